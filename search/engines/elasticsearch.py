"""The Elasticsearch engine: the same documents, matches and facet counts as the database
engine (search/engines/database.py), answered by an Elasticsearch 8 index behind an alias.

Visitors reach the index only through `ElasticsearchEngine.search`; every other method is for
the indexing jobs and management commands. Any Elasticsearch failure becomes
`SearchUnavailable` with a short message of our own (the original stays chained as the
cause, for the logs), so callers can fall back to the database engine or queue the change.

The Dutch analysis happens in Python (search.text): each document is sent with its text
already analysed into terms, exactly as the database engine stores them, and Elasticsearch
only splits those on spaces (its core `whitespace` analyzer). So both engines match the same
terms by construction, and the node needs nothing beyond Elastic's server as published.
Snippets and spelling suggestions are made in Python for both engines (search.highlight,
search.suggest).
"""

import re
import threading
import time
from contextlib import contextmanager
from datetime import UTC, datetime

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
)
from elasticsearch.dsl.exceptions import ElasticsearchDslException
from elasticsearch.helpers import BulkIndexError, ScanError

from ..facets import FACETS
from ..query import MAX_RESULT_WINDOW, match_plan
from .base import DocumentsRefused, EngineHit, EngineResult, SearchEngine, SearchUnavailable
from .database import analysed_fields

# --- Mapping --------------------------------------------------------------------------------

# The raw texts stay in the database (cards and snippets are made from there); the index gets
# their terms.
RAW_TEXT = ("title", "summary", "body", "labels_text")


def _terms(**kwargs):
    return Text(analyzer="whitespace", **kwargs)


class PageDocument(Document):
    """One public content page: the dict search.documents builds, its texts replaced by their
    analysed terms (see `_source`)."""

    page_id = Integer()
    type = Keyword()
    terms = Object(
        properties={
            "title": _terms(),
            "summary": _terms(),
            "body": _terms(),
            "labels": _terms(),
            # Compound parts: no positions, so no phrase can match across them.
            "parts": _terms(index_options="freqs"),
        },
        dynamic="strict",
    )
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


def _source(doc) -> dict:
    source = {key: value for key, value in doc.items() if key not in RAW_TEXT}
    source["terms"] = analysed_fields(doc)
    return source


# --- Searching ------------------------------------------------------------------------------

WORD_FIELDS = ["terms.title^3", "terms.summary^2", "terms.labels^1.5", "terms.body"]
TERM_FIELDS = [*WORD_FIELDS, "terms.parts^1.5"]
# Larger than any facet's number of values (the country has ~3,300 wijken), so every value
# is counted exactly, as the database engine does.
FACET_SIZE = 10_000
# A registration named in the query goes first (search.service pins it).
PINNED_BOOST = 1_000_000


def _alternative_query(alternative):
    """One alternative of search.query.match_plan. The terms go only into multi_match, which
    has no syntax of its own, so nothing a visitor types can change the query's structure."""
    if alternative.kind == "phrase":
        return Q(
            "multi_match", query=" ".join(alternative.terms), fields=WORD_FIELDS, type="phrase"
        )
    return Q(
        "bool",
        must=[Q("multi_match", query=term, fields=TERM_FIELDS) for term in alternative.terms],
    )


def text_query(clauses, pinned=()):
    """Every clause must match; within a clause any alternative."""
    must = [
        Q("bool", should=[_alternative_query(a) for a in clause], minimum_should_match=1)
        for clause in match_plan(clauses)
    ]
    if not must:
        return Q("match_all")
    should = (
        [
            Q(
                "constant_score",
                filter=Q("ids", values=[str(pk) for pk in pinned]),
                boost=PINNED_BOOST,
            )
        ]
        if pinned
        else []
    )
    return Q("bool", must=must, should=should)


class _PageSearch(FacetedSearch):
    """The multi-select facet rule comes from FacetedSearch itself: the filters are a
    post_filter (so they narrow the hits but not the aggregations), and each facet's
    aggregation is filtered by every *other* facet's filter."""

    facets = {
        facet.key: TermsFacet(field=f"facets.{facet.key}", size=FACET_SIZE) for facet in FACETS
    }

    def __init__(self, client, index, clauses, filters, sort, pinned=()):
        self.using = client
        self.index = index
        self.pinned = pinned
        super().__init__(query=clauses or None, filters=filters, sort=sort)

    def query(self, search, query):
        return search.query(text_query(query, self.pinned))


def _sort(query):
    date_desc = {"date": {"order": "desc", "missing": "_last"}}
    page_desc = {"page_id": {"order": "desc"}}
    if query.effective_sort == "datum":
        return [date_desc, page_desc]
    if query.effective_sort == "gepubliceerd":
        return [{"published_at": {"order": "desc", "missing": "_last"}}, page_desc]
    return [{"_score": {"order": "desc"}}, date_desc, page_desc]


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
                nodes,
                request_timeout=timeout,
                max_retries=1,
                retry_on_timeout=False,
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

    def __init__(
        self,
        url: str,
        alias: str,
        timeout: float = 5,
        *,
        write_timeout: float = 60,
        replicas: int = 0,
        shards: int = 1,
        old_index_grace: float | None = None,
    ):
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
            replicas=settings.ELASTICSEARCH_REPLICAS,
        )

    # --- Searching --------------------------------------------------------------------------

    def search(self, query, clauses) -> EngineResult:
        filters = {f.key: list(query.filters[f.key]) for f in FACETS if query.filters.get(f.key)}
        faceted = _PageSearch(self.client, self.alias, clauses, filters, _sort(query), query.pinned)
        # Elasticsearch refuses pages beyond index.max_result_window; past it there are no
        # hits to show, but the total and the facets still answer.
        start = min(query.offset, MAX_RESULT_WINDOW)
        stop = min(query.offset + query.page_size, MAX_RESULT_WINDOW)
        faceted._s = (
            faceted._s[start:stop]
            .source(False)
            .extra(track_total_hits=True)
            .params(
                # A shard that failed would silently shrink totals and counts: fail instead.
                allow_partial_search_results=False,
            )
        )
        with _unavailable("search"):
            response = faceted.execute()
            facet_counts = {
                key: {value: n for value, n, _selected in values if n}
                for key, values in response.facets.to_dict().items()
            }

        hits = [EngineHit(page_id=int(hit.meta.id), score=hit.meta.score) for hit in response.hits]
        return EngineResult(
            total=response.hits.total.value,
            hits=hits,
            facet_counts={key: counts for key, counts in facet_counts.items() if counts},
            engine=self.name,
        )

    # --- Index management -------------------------------------------------------------------

    def _new_index_name(self) -> str:
        # Down to the microsecond: unique even when called twice in one second (and creating
        # an index that exists fails rather than reusing it).
        return f"{self.alias}-{datetime.now(UTC).strftime('%Y%m%d%H%M%S%f')}"

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
                index=self._new_index_name(),
                aliases={self.alias: {"is_write_index": True}},
                **body,
            )
        except ApiError as exc:
            # Another process created it at the same moment: its index serves us as well.
            if not self._indices_behind_alias():
                raise exc

    def _actions(self, docs, index):
        for doc in docs:
            yield {
                "_op_type": "index",
                "_index": index,
                "_id": str(doc["page_id"]),
                "_source": _source(doc),
            }

    def index_documents(self, docs) -> None:
        """Index `docs`; DocumentsRefused names those Elasticsearch answered but would not take
        (the others are indexed), SearchUnavailable means it was away or overloaded."""
        with _unavailable("indexing"):
            self._ensure_alias()
            _ok, errors = helpers.bulk(
                self._admin,
                self._actions(docs, self.alias),
                chunk_size=500,
                raise_on_error=False,
            )
        failures = [error.get("index", {}) for error in errors]
        if any(f.get("status", 500) >= 500 or f.get("status") == 429 for f in failures):
            raise SearchUnavailable(
                f"Elasticsearch indexing failed (HTTP {failures[0].get('status')})"
            )
        if failures:
            first = failures[0].get("error", {})
            reason = first.get("type", "error") if isinstance(first, dict) else str(first)
            raise DocumentsRefused(
                {int(f["_id"]) for f in failures if f.get("_id")},
                f"Elasticsearch refused: {reason}",
            )

    def delete_documents(self, page_ids) -> None:
        actions = (
            {"_op_type": "delete", "_index": self.alias, "_id": str(page_id)}
            for page_id in page_ids
        )
        with _unavailable("deletion"):
            if not self._indices_behind_alias():
                return
            # A 404 per id only means it was not indexed: fine.
            helpers.bulk(
                self._admin,
                actions,
                chunk_size=500,
                ignore_status=(404,),
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
                    client,
                    self._actions(docs, new_index),
                    chunk_size=1000,
                    max_chunk_bytes=20 * 1024 * 1024,
                    max_retries=3,
                ):
                    loaded += ok
                client.indices.put_settings(
                    index=new_index,
                    settings={
                        "index": {"refresh_interval": None, "number_of_replicas": self.replicas},
                    },
                )
                client.indices.refresh(index=new_index)
                if self.replicas:
                    # Yellow still answers; waiting only lets the replicas take load at once,
                    # so a timeout (HTTP 408) is no reason to stop.
                    client.options(ignore_status=408).cluster.health(
                        index=new_index,
                        wait_for_status="green",
                        timeout="30s",
                    )

                old_indices = self._indices_behind_alias()
                actions = [{"remove": {"index": old, "alias": self.alias}} for old in old_indices]
                if self._alias_is_concrete_index():
                    actions.append({"remove_index": {"index": self.alias}})
                actions.append(
                    {"add": {"index": new_index, "alias": self.alias, "is_write_index": True}}
                )
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
                    self._admin,
                    index=self.alias,
                    query={"query": {"match_all": {}}, "_source": False},
                    size=5000,
                    scroll="2m",
                )
            }

    def refresh(self) -> None:
        with _unavailable("refresh"):
            if self._indices_behind_alias():
                self._admin.indices.refresh(index=self.alias)

    def ping(self) -> bool:
        # Cluster health, not GET /: Elastic's server as published here has no root endpoint.
        try:
            self._admin.cluster.health(timeout="1s")
            return True
        except (ApiError, TransportError):
            return False

    def cluster_health(self, timeout: float = 2.0) -> dict:
        """The cluster's status and node count for /health/ready, within `timeout` seconds
        (raises the client's error when it does not answer)."""
        health = self.client.options(request_timeout=timeout).cluster.health()
        return {"status": health["status"], "nodes": health["number_of_nodes"]}

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
