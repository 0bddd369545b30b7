"""The Elasticsearch engine: the same documents, matches and facet counts as the database
engine (search/engines/database.py), answered by an Elasticsearch 8 index behind an alias.

Visitors reach the index only through `ElasticsearchEngine.search`; every other method is for
the indexing jobs and management commands. Any Elasticsearch failure becomes
`SearchUnavailable` with a short message of our own (the original stays chained as the
cause, for the logs), so callers can fall back to the database engine or queue the change.

The analyzer reproduces search/text.py step by step (see DUTCH_ANALYZER), so both engines
agree on which words match.
"""

import re
import threading
import time
from contextlib import contextmanager
from datetime import datetime, timezone

from django.utils.safestring import mark_safe
from elastic_transport import TransportError
from elasticsearch import ApiError, Elasticsearch, NotFoundError, helpers
from elasticsearch.dsl import (
    Boolean,
    Date,
    Document,
    FacetedSearch,
    Index,
    Integer,
    Keyword,
    MetaField,
    Object,
    Q,
    TermsFacet,
    Text,
    analyzer,
    char_filter,
    token_filter,
    tokenizer,
)
from elasticsearch.dsl.exceptions import ElasticsearchDslException
from elasticsearch.helpers import BulkIndexError, ScanError

from ..facets import FACETS
from ..query import MAX_RESULT_WINDOW, OPERATOR_WORDS
from ..text import STOP_WORDS, WORD_RE, words
from .base import EngineHit, EngineResult, SearchEngine, SearchUnavailable

# --- Analysis -------------------------------------------------------------------------------
# search.text splits on runs of Unicode letters and digits, not on Unicode word boundaries: "auto's" is "auto" + "s" and "2.500" is "2" + "500" there, where Lucene's
# standard tokenizer would keep one token and the two engines would disagree. So the tokenizer
# is a pattern with the same character class. Combining marks are dropped first, as
# search.text.fold does, so decomposed input ("o" + U+0308) folds like precomposed "ö".
_STRIP_MARKS = char_filter("kk_strip_marks", "pattern_replace", pattern=r"\p{M}+", replacement="")
_WORDS = tokenizer("kk_words", "pattern", pattern=r"[\p{L}\p{N}]+", group=0)
# Lucene refuses terms over 32766 bytes (the whole document would fail); nobody searches for
# a 1000-character word.
_TRUNCATE = token_filter("kk_truncate", "truncate", length=1000)
_DUTCH_STEMMER = token_filter("kk_dutch_stemmer", "stemmer", language="dutch")
# search.text.DEVOICING: initiatiev → initiatief, huiz → huis.
_DEVOICE_V = token_filter("kk_devoice_v", "pattern_replace", pattern="v$", replacement="f")
_DEVOICE_Z = token_filter("kk_devoice_z", "pattern_replace", pattern="z$", replacement="s")

# No stop filter: stop words stay in the index so quoted phrases match exactly; the query
# parser drops loose stop words itself.
DUTCH_ANALYZER = analyzer(
    "kk_dutch",
    char_filter=[_STRIP_MARKS],
    tokenizer=_WORDS,
    filter=["lowercase", "asciifolding", _TRUNCATE, _DUTCH_STEMMER, _DEVOICE_V, _DEVOICE_Z],
)
# Whole folded words, for spelling suggestions a visitor can read.
SPELL_ANALYZER = analyzer(
    "kk_spell",
    char_filter=[_STRIP_MARKS],
    tokenizer=_WORDS,
    filter=["lowercase", "asciifolding", _TRUNCATE],
)


# --- Mapping --------------------------------------------------------------------------------

def _text(**kwargs):
    # Offsets in the postings let the highlighter skip re-analysing long bodies.
    return Text(analyzer=DUTCH_ANALYZER, copy_to="spell", **kwargs)


class PageDocument(Document):
    """One public content page, as built by search.documents (the dict is indexed as is)."""

    page_id = Integer()
    type = Keyword()
    title = _text(index_options="offsets")
    summary = _text(index_options="offsets")
    body = _text(index_options="offsets")
    labels_text = _text()
    spell = Text(analyzer=SPELL_ANALYZER, index_options="docs", norms=False)
    url = Keyword(index=False, doc_values=False)
    date = Date()
    year = Integer()
    published_at = Date()
    registration_number = Keyword()
    results_due = Date()  # experiments: "resultaten verwacht" is decided when shown
    has_evaluation = Boolean()
    facets = Object(properties={facet.key: Keyword() for facet in FACETS}, dynamic="strict")
    names = Object(enabled=False)
    tags = Keyword()

    class Meta:
        # A document key the mapping does not know is a bug in the builder: fail loudly.
        dynamic = MetaField("strict")


# --- Searching ------------------------------------------------------------------------------

TEXT_FIELDS = ["title^3", "summary^2", "labels_text^1.5", "body"]
# Larger than any facet's number of values (the country has ~3,300 wijken), so every value
# is counted exactly, as the database engine does.
FACET_SIZE = 10_000
HIGHLIGHT_FRAGMENT = 200
# Words shorter than this get no spelling suggestion (the term suggester's own minimum).
MIN_SUGGEST_LENGTH = 4


def _alternative_query(alternative):
    text = " ".join(alternative)
    if len(alternative) > 1:
        return Q("multi_match", query=text, fields=TEXT_FIELDS, type="phrase")
    return Q("multi_match", query=text, fields=TEXT_FIELDS, type="best_fields", operator="and")


def text_query(clauses):
    """Every clause must match; within a clause any alternative. The words are already
    folded and split by search.query, and go only into multi_match, which has no syntax of
    its own, so nothing a visitor types can change the query's structure."""
    must = []
    for clause in clauses:
        alternatives = [_alternative_query(a) for a in clause if a]
        if alternatives:
            must.append(Q("bool", should=alternatives, minimum_should_match=1))
    return Q("bool", must=must) if must else Q("match_all")


class _PageSearch(FacetedSearch):
    """The multi-select facet rule comes from FacetedSearch itself: the filters are a
    post_filter (so they narrow the hits but not the aggregations), and each facet's
    aggregation is filtered by every *other* facet's filter."""

    facets = {facet.key: TermsFacet(field=f"facets.{facet.key}", size=FACET_SIZE) for facet in FACETS}

    def __init__(self, client, index, clauses, filters, sort):
        self.using = client
        self.index = index
        super().__init__(query=clauses or None, filters=filters, sort=sort)

    def query(self, search, query):
        return search.query(text_query(query))


def _sort(query):
    date_desc = {"date": {"order": "desc", "missing": "_last"}}
    page_desc = {"page_id": {"order": "desc"}}
    if query.effective_sort == "datum":
        return [date_desc, page_desc]
    if query.effective_sort == "gepubliceerd":
        return [{"published_at": {"order": "desc", "missing": "_last"}}, page_desc]
    return [{"_score": {"order": "desc"}}, date_desc, page_desc]


def _highlight(meta) -> str:
    fragments = getattr(meta, "highlight", None)
    if not fragments:
        return ""
    for field in ("summary", "body", "title"):
        if field in fragments and fragments[field]:
            # Safe: the html encoder escaped the text; only our <mark> tags are markup.
            return mark_safe(fragments[field][0])
    return ""


def _suggestion_words(text: str) -> list[str]:
    """The folded words of the visitor's text worth a spelling suggestion."""
    raw = [w for w in text.split() if w not in OPERATOR_WORDS]
    found = dict.fromkeys(
        w for part in raw for w in words(part)
        if len(w) >= MIN_SUGGEST_LENGTH and w not in STOP_WORDS and not w.isdigit()
    )
    return list(found)


def _replace_words(text: str, replacements: dict[str, str]) -> str:
    """The visitor's own text with some words replaced, keeping quotes, case and the rest."""
    def replace(match):
        folded = words(match.group(0))
        if len(folded) == 1 and folded[0] in replacements:
            return replacements[folded[0]]
        return match.group(0)

    return WORD_RE.sub(replace, text)


# --- The engine -----------------------------------------------------------------------------

_clients: dict[tuple, Elasticsearch] = {}
_clients_lock = threading.Lock()


def _client(url: str, timeout: float) -> Elasticsearch:
    """One client (and connection pool) per URL and timeout for the whole process: the engine
    is constructed per request. Several nodes may be given, comma-separated: the client
    spreads requests over them and leaves a failing node aside for a while. A request is not
    retried on a timeout (a visitor would wait twice as long); a refused connection is tried
    once more, on another node if there is one."""
    key = (url, timeout)
    with _clients_lock:
        if key not in _clients:
            nodes = [node.strip() for node in url.split(",") if node.strip()]
            _clients[key] = Elasticsearch(
                nodes, request_timeout=timeout, max_retries=1, retry_on_timeout=False,
            )
        return _clients[key]


def _reason(exc) -> str:
    """A short, fixed-vocabulary description of an Elasticsearch failure, for the logs."""
    if isinstance(exc, ApiError):
        error = exc.body.get("error") if isinstance(exc.body, dict) else None
        kind = error.get("type") if isinstance(error, dict) else None
        return f"HTTP {exc.meta.status}" + (f" {kind}" if isinstance(kind, str) else "")
    return type(exc).__name__


@contextmanager
def _unavailable(action: str):
    try:
        yield
    except SearchUnavailable:
        raise
    except (ApiError, TransportError, BulkIndexError, ScanError, ElasticsearchDslException) as exc:
        raise SearchUnavailable(f"Elasticsearch {action} failed ({_reason(exc)})") from exc


class ElasticsearchEngine(SearchEngine):
    name = "elasticsearch"

    def __init__(self, url: str, alias: str, timeout: float = 5, *, write_timeout: float = 60,
                 replicas: int = 0, shards: int = 1, old_index_grace: float | None = None):
        self.url = url
        self.alias = alias
        self.timeout = timeout  # a search
        self.write_timeout = max(timeout, write_timeout)  # bulk writes and rebuilds (the worker's)
        self.replicas = replicas
        self.shards = shards
        # After an alias swap, searches that already resolved the alias to the old index
        # may still run on it; they finish (or time out) before it is deleted.
        self.old_index_grace = timeout if old_index_grace is None else old_index_grace
        self.client = _client(url, timeout)
        # Everything but a visitor's search: the index worker, rebuilds, status and sync.
        self._admin = self.client.options(request_timeout=self.write_timeout)
        self._index_name_re = re.compile(re.escape(alias) + r"-\d{20}")

    @classmethod
    def from_settings(cls):
        from django.conf import settings

        return cls(
            url=settings.ELASTICSEARCH_URL,
            alias=settings.ELASTICSEARCH_INDEX,
            timeout=settings.ELASTICSEARCH_TIMEOUT,
            write_timeout=settings.ELASTICSEARCH_WRITE_TIMEOUT,
            replicas=getattr(settings, "ELASTICSEARCH_REPLICAS", 0),
        )

    # --- Searching --------------------------------------------------------------------------

    def search(self, query, clauses) -> EngineResult:
        filters = {f.key: list(query.filters[f.key]) for f in FACETS if query.filters.get(f.key)}
        faceted = _PageSearch(self.client, self.alias, clauses, filters, _sort(query))
        # Elasticsearch refuses pages beyond index.max_result_window; past it there are no
        # hits to show, but the total and the facets still answer.
        start = min(query.offset, MAX_RESULT_WINDOW)
        stop = min(query.offset + query.page_size, MAX_RESULT_WINDOW)
        search = faceted._s[start:stop].source(False).extra(track_total_hits=True).params(
            # A shard that failed would silently shrink totals and counts: fail instead.
            allow_partial_search_results=False,
        )
        if clauses:
            search = search.highlight_options(
                encoder="html", pre_tags=["<mark>"], post_tags=["</mark>"],
                fragment_size=HIGHLIGHT_FRAGMENT, number_of_fragments=1,
                boundary_scanner_locale="nl-NL",
            ).highlight("summary", "body").highlight("title", number_of_fragments=0)
        suggest_words = _suggestion_words(query.text)
        if suggest_words:
            search = search.suggest(
                "spelling", " ".join(suggest_words),
                term={"field": "spell", "suggest_mode": "missing", "size": 1, "sort": "score"},
            )
            # Whether each word matches any document at all (ignoring the query and filters):
            # a word that does ("bewonersinitiatieven" via its stem) is not misspelled, even
            # if its exact form is not in the spell field.
            search.aggs.bucket("_anywhere", "global").bucket(
                "words", "filters",
                filters={w: _alternative_query([w]) for w in suggest_words},
            )
        faceted._s = search
        with _unavailable("search"):
            response = faceted.execute()
            facet_counts = {
                key: {value: n for value, n, _selected in values if n}
                for key, values in response.facets.to_dict().items()
            }

        hits = [
            EngineHit(page_id=int(hit.meta.id), score=hit.meta.score, highlight=_highlight(hit.meta))
            for hit in response.hits
        ]
        suggestion = ""
        if suggest_words:
            suggestion = self._suggestion(query.text, response)
        return EngineResult(
            total=response.hits.total.value,
            hits=hits,
            facet_counts={key: counts for key, counts in facet_counts.items() if counts},
            suggestion=suggestion,
            engine=self.name,
        )

    def _suggestion(self, text: str, response) -> str:
        anywhere = response.to_dict()["aggregations"]["_anywhere"]["words"]["buckets"]
        replacements = {}
        for entry in response.suggest.spelling:
            word = entry.text
            if entry.options and anywhere.get(word, {}).get("doc_count", 1) == 0:
                replacements[word] = entry.options[0].text
        return _replace_words(text, replacements) if replacements else ""

    # --- Index management -------------------------------------------------------------------

    def _new_index_name(self) -> str:
        # Down to the microsecond: unique even when called twice in one second (and creating
        # an index that exists fails rather than reusing it).
        return f"{self.alias}-{datetime.now(timezone.utc).strftime('%Y%m%d%H%M%S%f')}"

    def _index_body(self, *, loading: bool) -> dict:
        settings = {
            "number_of_shards": self.shards,
            "number_of_replicas": 0 if loading else self.replicas,
        }
        if loading:
            settings["refresh_interval"] = "-1"
        index = Index("unused")  # the name is given at creation; this only renders the body
        index.document(PageDocument)
        return index.settings(**settings).to_dict()

    def _indices_behind_alias(self) -> list[str]:
        try:
            return sorted(self._admin.indices.get_alias(name=self.alias))
        except NotFoundError:
            return []

    def _alias_is_concrete_index(self) -> bool:
        """Whether an index (not an alias) has the alias' name, e.g. left by an older setup."""
        try:
            found = self._admin.indices.get(index=self.alias)
        except NotFoundError:
            return False
        return self.alias in found

    def _ensure_alias(self) -> None:
        """Create an index behind the alias if there is none yet."""
        if self._indices_behind_alias():
            return
        body = self._index_body(loading=False)
        try:
            self._admin.indices.create(
                index=self._new_index_name(), aliases={self.alias: {"is_write_index": True}}, **body,
            )
        except ApiError as exc:
            # Another process created it at the same moment: its index serves us as well.
            if not self._indices_behind_alias():
                raise exc

    def _actions(self, docs, index):
        for doc in docs:
            yield {"_op_type": "index", "_index": index, "_id": str(doc["page_id"]), "_source": doc}

    def index_documents(self, docs) -> None:
        with _unavailable("indexing"):
            self._ensure_alias()
            helpers.bulk(
                self._admin,
                self._actions(docs, self.alias), chunk_size=500,
            )

    def delete_documents(self, page_ids) -> None:
        actions = (
            {"_op_type": "delete", "_index": self.alias, "_id": str(page_id)} for page_id in page_ids
        )
        with _unavailable("deletion"):
            if not self._indices_behind_alias():
                return
            # A 404 per id only means it was not indexed: fine.
            helpers.bulk(
                self._admin, actions,
                chunk_size=500, ignore_status=(404,),
            )

    def rebuild(self, docs) -> int:
        """Load every document into a new index and swap the alias to it atomically; searches
        through the alias are answered by the old index until the swap."""
        client = self._admin.options(request_timeout=max(self.write_timeout, 120))
        with _unavailable("rebuild"):
            new_index = self._new_index_name()
            client.indices.create(index=new_index, **self._index_body(loading=True))
            try:
                loaded = 0
                for ok, _item in helpers.streaming_bulk(
                    client, self._actions(docs, new_index), chunk_size=1000,
                    max_chunk_bytes=20 * 1024 * 1024, max_retries=3,
                ):
                    loaded += ok
                client.indices.put_settings(index=new_index, settings={
                    "index": {"refresh_interval": None, "number_of_replicas": self.replicas},
                })
                client.indices.refresh(index=new_index)
                if self.replicas:
                    # Yellow still answers; waiting only lets the replicas take load at once,
                    # so a timeout (HTTP 408) is no reason to stop.
                    client.options(ignore_status=408).cluster.health(
                        index=new_index, wait_for_status="green", timeout="30s",
                    )

                old_indices = self._indices_behind_alias()
                actions = [{"remove": {"index": old, "alias": self.alias}} for old in old_indices]
                if self._alias_is_concrete_index():
                    actions.append({"remove_index": {"index": self.alias}})
                actions.append({"add": {"index": new_index, "alias": self.alias, "is_write_index": True}})
                client.indices.update_aliases(actions=actions)
            except BaseException:
                # Leave nothing half-built behind; the alias still points at the old index.
                try:
                    client.indices.delete(index=new_index, ignore_unavailable=True)
                except (ApiError, TransportError):
                    pass
                raise
            if old_indices:
                time.sleep(self.old_index_grace)
                client.indices.delete(index=",".join(old_indices), ignore_unavailable=True)
        return loaded

    def count(self) -> int:
        with _unavailable("count"):
            if not self._indices_behind_alias():
                return 0
            self._admin.indices.refresh(index=self.alias)
            return self._admin.count(index=self.alias)["count"]

    def document_ids(self) -> set[int]:
        with _unavailable("listing ids"):
            if not self._indices_behind_alias():
                return set()
            return {
                int(hit["_id"])
                for hit in helpers.scan(
                    self._admin, index=self.alias, query={"query": {"match_all": {}}, "_source": False},
                    size=5000, scroll="2m",
                )
            }

    def refresh(self) -> None:
        with _unavailable("refresh"):
            if self._indices_behind_alias():
                self._admin.indices.refresh(index=self.alias)

    def ping(self) -> bool:
        try:
            return bool(self._admin.ping())
        except (ApiError, TransportError):
            return False

    def drop(self) -> None:
        """Delete the alias and every index behind it, plus indices of ours a failed rebuild
        left without the alias."""
        with _unavailable("drop"):
            names = set(self._indices_behind_alias())
            try:
                existing = self._admin.indices.get(index=f"{self.alias}-*", expand_wildcards="all")
            except NotFoundError:
                existing = {}
            # Only names this engine makes: "kennisloket-*" must not take "kennisloket-staging".
            names.update(name for name in existing if self._index_name_re.fullmatch(name))
            if self._alias_is_concrete_index():
                names.add(self.alias)
            if names:
                self._admin.indices.delete(index=",".join(sorted(names)), ignore_unavailable=True)
