"""The embedded search engine: the documents in our own tables, queried directly.

Text is matched once (SQLite FTS5 with bm25, or a PostgreSQL tsvector with a GIN index and
ts_rank). Every facet is counted from that one hit set with bitmaps: each facet value has a
bitmap of the documents that carry it (a Python int, one bit per document), so a facet's
counts are a few ANDs and bit counts, whatever the number of hits. The bitmaps are read from
`search_facetvalue` once per process and read again only when the index has changed (the
token in `search_indexstate` says so). The rule: values OR-ed within a facet, facets AND-ed,
and each facet counted with every *other* facet's filter applied.

Text is analysed in Python (search.text) for both vendors, so SQLite and PostgreSQL match
exactly the same documents (and Elasticsearch indexes the same terms): each text field holds
its words' terms in order, and a `parts` field the compound parts. PostgreSQL stores the
terms as tsvector literals, which it takes as they are. `search_term` counts the documents of
each term, for spelling suggestions (search.suggest): a document's terms are counted when it is
stored and taken off, as the full-text index holds them, when it is replaced or removed, so the
counts always equal the index's own, even after the analysis changed.
"""

import heapq
import json
import threading
import uuid
from array import array
from collections import Counter, deque
from itertools import compress, groupby, islice, repeat
from operator import and_, itemgetter, sub

from django.db import connection, transaction

from ..facets import FACETS
from ..models import SearchDocument, SearchFacetValue, SearchIndexState, SearchTerm
from ..query import match_plan
from ..text import analyse
from .base import EngineHit, EngineResult, SearchEngine

# Relative weight of the text fields: title above summary above body; names of places,
# themes and tags between summary and body.
# Compound parts count a little more than a word of the body.
FIELD_WEIGHTS = {"title": 10.0, "summary": 4.0, "body": 1.0, "labels": 2.0, "parts": 1.5}
PG_WEIGHT_LETTERS = {"title": "A", "summary": "B", "labels": "C", "body": "D"}
TEXT_FIELDS = {"title": "title", "summary": "summary", "body": "body", "labels": "labels_text"}
WORD_COLUMNS = "{title summary body labels}"  # FTS5: phrases match words, never parts
FIELD_GAP = 100  # PostgreSQL: positions between two fields of one vector


def _vendor():
    return connection.vendor


# --- Writing ------------------------------------------------------------------------------


def _changed() -> None:
    SearchIndexState.objects.update_or_create(id=1, defaults={"version": uuid.uuid4().hex})


def analysed_fields(doc) -> dict[str, str]:
    """A document's text as the index holds it: each field's terms, and all compound parts.
    Elasticsearch indexes the same (search.engines.elasticsearch)."""
    fields = {field: analyse(doc[key] or "") for field, key in TEXT_FIELDS.items()}
    analysed = {field: value.terms for field, value in fields.items()}
    analysed["parts"] = " ".join(value.parts for value in fields.values() if value.parts)
    return analysed


def _document_terms(analysed) -> set[str]:
    return {term for value in analysed.values() for term in value.split()}


def _tsvector(fields) -> str:
    """A tsvector literal of (weight letter, terms) fields, each term with its positions. Each
    field starts well after the previous one ends, so no phrase can match across two fields
    (as on SQLite and Elasticsearch, where fields are apart). The terms are letters and digits
    only (search.text), so they need no quoting."""
    positions, start = {}, 1
    for letter, field_terms in fields:
        for n, term in enumerate(field_terms):
            # PostgreSQL keeps positions up to 16383 and 256 per term.
            positions.setdefault(term, []).append(f"{min(start + n, 16383)}{letter}")
        start += len(field_terms) + FIELD_GAP
    return " ".join(f"'{term}':{','.join(p[:256])}" for term, p in positions.items())


def _pg_vectors(analysed) -> tuple[str, str]:
    """The words' vector (with field weights) and the parts' vector (weight D, as
    to_tsvector would give them)."""
    words = _tsvector(
        (PG_WEIGHT_LETTERS[f], analysed[f].split()) for f in ("title", "summary", "labels", "body")
    )
    return words, _tsvector([("", analysed["parts"].split())])


def _insert_fulltext(rows) -> None:
    """rows: (page_id, analysed fields)."""
    with connection.cursor() as cursor:
        if _vendor() == "postgresql":
            cursor.executemany(
                "INSERT INTO search_fulltext (document_id, vector, parts) VALUES (%s, %s::tsvector, %s::tsvector)",
                [(pk, *_pg_vectors(a)) for pk, a in rows],
            )
        else:
            cursor.executemany(
                "INSERT INTO search_fulltext (rowid, title, summary, body, labels, parts) "
                "VALUES (%s, %s, %s, %s, %s, %s)",
                [
                    (pk, a["title"], a["summary"], a["body"], a["labels"], a["parts"])
                    for pk, a in rows
                ],
            )


def _chunks(items, size=500):
    items = list(items)
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _stored_terms(page_ids) -> Counter:
    """Documents per term among these documents, read from the full-text index itself: exactly
    what was counted when they were stored, whatever the analysis does now."""
    counts = Counter()
    with connection.cursor() as cursor:
        for chunk in _chunks(page_ids):
            marks = ", ".join(["%s"] * len(chunk))
            if _vendor() == "postgresql":
                cursor.execute(
                    "SELECT tsvector_to_array(vector || parts) FROM search_fulltext "
                    f"WHERE document_id IN ({marks})",
                    chunk,
                )
                for (terms,) in cursor.fetchall():
                    counts.update(terms)
            else:
                cursor.execute(
                    f"SELECT title, summary, body, labels, parts FROM search_fulltext WHERE rowid IN ({marks})",
                    chunk,
                )
                for row in cursor.fetchall():
                    counts.update({term for field in row for term in field.split()})
    return counts


def _count_terms(counts: Counter, sign: int) -> None:
    """Add (sign 1) or take away (sign -1) documents per term in search_term. Taking away
    more than was counted cannot happen (both come from the same stored terms); if it did,
    the column's CHECK (documents >= 0) would fail the transaction rather than hide it."""
    if not counts:
        return
    with connection.cursor() as cursor:
        if sign > 0:
            cursor.executemany(
                "INSERT INTO search_term (term, documents) VALUES (%s, %s) ON CONFLICT (term) "
                "DO UPDATE SET documents = search_term.documents + excluded.documents",
                [(term[:100], n) for term, n in counts.items()],
            )
        else:
            cursor.executemany(
                "UPDATE search_term SET documents = documents - %s WHERE term = %s",
                [(n, term[:100]) for term, n in counts.items()],
            )
            for chunk in _chunks({term[:100] for term in counts}):
                marks = ", ".join(["%s"] * len(chunk))
                cursor.execute(
                    f"DELETE FROM search_term WHERE documents = 0 AND term IN ({marks})", chunk
                )


def store_documents(docs) -> None:
    """Insert or replace documents (dicts from search.documents) in the database index."""
    docs = list(docs)
    if not docs:
        return
    ids = [d["page_id"] for d in docs]
    with transaction.atomic():
        delete_documents(ids)
        _changed()
        SearchDocument.objects.bulk_create(
            [
                SearchDocument(
                    page_id=d["page_id"],
                    content_type=d["type"],
                    title=d["title"][:255],
                    sort_date=d["date"],
                    published_at=d.get("published_at"),
                    data=d,
                )
                for d in docs
            ]
        )
        with connection.cursor() as cursor:
            # Several rows per document: written without a model instance each.
            cursor.executemany(
                "INSERT INTO search_facetvalue (document_id, facet, value) VALUES (%s, %s, %s)",
                [
                    (d["page_id"], facet, value)
                    for d in docs
                    for facet, values in d["facets"].items()
                    for value in values
                ],
            )
        rows = [(d["page_id"], analysed_fields(d)) for d in docs]
        _insert_fulltext(rows)
        _count_terms(Counter(t for _, analysed in rows for t in _document_terms(analysed)), 1)


def delete_documents(page_ids) -> None:
    page_ids = list(page_ids)
    if not page_ids:
        return
    with transaction.atomic():
        _count_terms(_stored_terms(page_ids), -1)
        with connection.cursor() as cursor:
            key = "document_id" if _vendor() == "postgresql" else "rowid"
            for chunk in _chunks(page_ids):
                marks = ", ".join(["%s"] * len(chunk))
                cursor.execute(f"DELETE FROM search_fulltext WHERE {key} IN ({marks})", chunk)
        SearchFacetValue.objects.filter(document_id__in=page_ids).delete()
        SearchDocument.objects.filter(page_id__in=page_ids).delete()
        _changed()


def clear_documents() -> None:
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM search_fulltext")
        SearchTerm.objects.all().delete()
        SearchFacetValue.objects.all().delete()
        SearchDocument.objects.all().delete()
        _changed()


# --- Reading ------------------------------------------------------------------------------


def _fts5_alternative(alternative) -> str:
    """FTS5 query text. Terms are runs of letters and digits, always quoted, so nothing a
    visitor types can reach FTS5's own syntax."""
    quoted = [f'"{term}"' for term in alternative.terms]
    if alternative.kind == "phrase":
        return f'{WORD_COLUMNS} : "{" ".join(alternative.terms)}"'
    return "(" + " AND ".join(quoted) + ")"


def _fts5_expression(plan) -> str:
    return " AND ".join(
        "(" + " OR ".join(_fts5_alternative(a) for a in clause) + ")" for clause in plan
    )


def _pg_alternative(alternative) -> tuple[str, list]:
    """A PostgreSQL condition for one alternative: phrases on the words' vector only, other
    terms on the words or the parts."""
    if alternative.kind == "phrase":
        return "ft.vector @@ phraseto_tsquery('simple', %s)", [" ".join(alternative.terms)]
    conditions, params = [], []
    for term in alternative.terms:
        conditions.append(
            "(ft.vector @@ to_tsquery('simple', %s) OR ft.parts @@ to_tsquery('simple', %s))"
        )
        params += [term, term]
    return "(" + " AND ".join(conditions) + ")", params


def _pg_query(plan) -> tuple[str, list, str, list]:
    """WHERE condition and a tsquery (for ranking) for PostgreSQL, each with parameters."""
    conditions, params, ranking, ranking_params = [], [], [], []
    for clause in plan:
        alternatives = [_pg_alternative(a) for a in clause]
        conditions.append("(" + " OR ".join(sql for sql, _ in alternatives) + ")")
        params += [p for _, ps in alternatives for p in ps]
        for alternative in clause:
            ranking.append("phraseto_tsquery('simple', %s)")
            ranking_params.append(" ".join(alternative.terms))
    return " AND ".join(conditions), params, " || ".join(ranking), ranking_params


def _text_matches(plan, scored: bool, among=None):
    """(page ids, scores) of the documents the text matches; scores only if `scored` (else
    None), and only of the documents `among` those page ids if given (the results of selective
    facet filters: scoring is most of the work when a word is in nearly every document)."""
    if among is not None and not among:
        return [], []
    if _vendor() == "postgresql":
        where, where_params, ranking, ranking_params = _pg_query(plan)
        sources, params = "search_fulltext ft", []
        if among is not None:
            sources += " JOIN unnest(%s::integer[]) AS among(id) ON among.id = ft.document_id"
            params.append(list(among))
        if scored:
            weight = FIELD_WEIGHTS["parts"] / FIELD_WEIGHTS["body"] / 10
            sql = (
                f"SELECT ft.document_id, ts_rank(ft.vector, q.query) + {weight} * ts_rank(ft.parts, q.query) "
                f"FROM {sources}, (SELECT {ranking} AS query) q WHERE {where}"
            )
            params += ranking_params
        else:
            sql = f"SELECT ft.document_id FROM {sources} WHERE {where}"
        params += where_params
    else:
        weights = ", ".join(
            str(FIELD_WEIGHTS[f]) for f in ("title", "summary", "body", "labels", "parts")
        )
        # bm25 is lower for better matches.
        score = f", -bm25(search_fulltext, {weights})" if scored else ""
        sql = f"SELECT rowid{score} FROM search_fulltext WHERE search_fulltext MATCH %s"
        params = [_fts5_expression(plan)]
        if among is not None:
            # "+rowid": checked on each match, not handed to FTS5 (which would run the match
            # once per id).
            sql += " AND +rowid IN (SELECT value FROM json_each(%s))"
            params.append(json.dumps(list(among)))
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    return list(map(itemgetter(0), rows)), list(map(itemgetter(1), rows)) if scored else None


class FacetBitmaps:
    """Every document as a bit position, and per facet value the bitmap of its documents.

    The loops over every hit (tens of thousands for a common word) run inside C: positions are
    looked up with map(), a bitmap is made from a bytearray of digits, one per position."""

    def __init__(self, version, database):
        self.version = version
        self.database = database
        with connection.cursor() as cursor:
            # Positions in date order (newest first, undated last), so "newest first" is
            # simply the order of the bits.
            cursor.execute(
                "SELECT page_id FROM search_document "
                "ORDER BY CASE WHEN sort_date IS NULL THEN 1 ELSE 0 END, sort_date DESC, page_id DESC"
            )
            self.page_ids = list(map(itemgetter(0), cursor.fetchall()))
            self.position = {page_id: n for n, page_id in enumerate(self.page_ids)}
            self._index_positions()
            # The same positions in order of first publication (newest first, unknown last).
            cursor.execute(
                "SELECT page_id FROM search_document ORDER BY "
                "CASE WHEN published_at IS NULL THEN 1 ELSE 0 END, published_at DESC, page_id DESC"
            )
            self.published_order = self.positions(map(itemgetter(0), cursor.fetchall()))
            cursor.execute(
                "SELECT facet, value, document_id FROM search_facetvalue ORDER BY facet, value"
            )
            rows = cursor.fetchall()
        self.all = (1 << len(self.page_ids)) - 1
        self.values: dict[str, dict[str, int]] = {}
        for (facet, value), group in groupby(rows, key=itemgetter(0, 1)):
            self.values.setdefault(facet, {})[value] = self.bitmap_at(
                self.positions(map(itemgetter(2), group))
            )

    def _index_positions(self):
        """Positions by page id in an array, looked up without hashing, where the ids are
        dense enough (page ids mostly are)."""
        size = len(self.page_ids)
        self._first_id = min(self.page_ids, default=0)
        self._last_id = max(self.page_ids, default=-1)
        self._by_offset = None
        if self._last_id - self._first_id < 4 * size + 1000:
            self._by_offset = array("i", [size]) * (self._last_id - self._first_id + 1)
            for n, page_id in enumerate(self.page_ids):
                self._by_offset[page_id - self._first_id] = n

    def positions(self, page_ids) -> list[int]:
        """The position of each page id; len(self.page_ids) (no bit) for one not in the bitmaps."""
        page_ids = page_ids if isinstance(page_ids, list) else list(page_ids)
        if (
            self._by_offset is not None
            and page_ids
            and self._first_id <= min(page_ids)
            and max(page_ids) <= self._last_id
        ):
            return list(
                map(self._by_offset.__getitem__, map(sub, page_ids, repeat(self._first_id)))
            )
        return list(map(self.position.get, page_ids, repeat(len(self.page_ids))))

    def bitmap_at(self, positions) -> int:
        size = len(self.page_ids)
        if not size:
            return 0
        digits = bytearray(b"0") * (size + 1)  # the last one takes the ids not in the bitmaps
        deque(map(digits.__setitem__, positions, repeat(ord("1"))), maxlen=0)
        return int(digits[size - 1 :: -1], 2)

    def filter_bitmap(self, facet, values) -> int:
        bitmap = 0
        for value in values:
            bitmap |= self.values.get(facet, {}).get(value, 0)
        return bitmap


_bitmaps: FacetBitmaps | None = None
_bitmaps_lock = threading.Lock()


def index_version() -> tuple[str, tuple]:
    """The token of the database index's current state and which database it is in: what a
    process's caches of the index (these bitmaps, search.suggest's vocabulary) are valid for.
    The database too: a process may talk to another one (tests, a management command)."""
    state = SearchIndexState.objects.filter(id=1).values_list("version", flat=True).first() or ""
    return state, (connection.vendor, connection.settings_dict.get("NAME"))


def facet_bitmaps() -> FacetBitmaps:
    global _bitmaps
    state, database = index_version()
    current = _bitmaps
    if current is not None and current.version == state and current.database == database:
        return current
    with _bitmaps_lock:
        _bitmaps = FacetBitmaps(state, database)
        return _bitmaps


def _first_set_positions(bitmap: int, wanted: int, skip: int) -> list[int]:
    """Positions of set bits in ascending order, after skipping `skip` of them."""
    found, n, data = [], 0, bitmap.to_bytes(bitmap.bit_length() // 8 + 1, "little")
    for byte_index, byte in enumerate(data):
        if not byte:
            continue
        for bit in range(8):
            if byte >> bit & 1:
                if n >= skip:
                    found.append(byte_index * 8 + bit)
                    if len(found) == wanted:
                        return found
                n += 1
    return found


def _members(bitmap: int, positions, size: int) -> list[bool]:
    """Whether each position's bit is set (position `size`, an id not in the bitmaps: never)."""
    digits = format(bitmap, f"0{size + 1}b")[::-1]
    return list(map("1".__eq__, map(digits.__getitem__, positions)))


def _best(bitmaps, results, scores, positions, query) -> list[EngineHit]:
    """The page of the best-scoring results (equal scores newest first: the lower position),
    a registration named in the query first. The matches are narrowed in C to those among the
    results scoring at least the page's lowest score, and only those are sorted."""
    wanted = query.offset + query.page_size
    kept = _members(results, positions, len(bitmaps.page_ids))
    if query.pinned:
        pinned = set(bitmaps.positions(query.pinned))
        scores = [
            float("inf") if n in pinned else score
            for score, n in zip(scores, positions, strict=True)
        ]
    kept_scores = list(compress(scores, kept))
    if not kept_scores:
        return []
    lowest = heapq.nlargest(wanted, kept_scores)[-1]
    close = compress(
        zip(scores, positions, strict=True), map(and_, kept, map(lowest.__le__, scores))
    )
    best = heapq.nlargest(wanted, ((score, -n) for score, n in close))[query.offset :]
    return [EngineHit(page_id=bitmaps.page_ids[-n], score=float(score)) for score, n in best]


class DatabaseEngine(SearchEngine):
    name = "database"

    def search(self, query, clauses) -> EngineResult:
        bitmaps = facet_bitmaps()
        size = len(bitmaps.page_ids)
        active = {
            f.key: bitmaps.filter_bitmap(f.key, query.filters[f.key])
            for f in FACETS
            if query.filters.get(f.key)
        }
        narrowed = bitmaps.all
        for bitmap in active.values():
            narrowed &= bitmap

        plan = match_plan(clauses)
        ranked = bool(plan) and query.effective_sort == "relevantie"
        # Filters that keep at most half the documents: score only the matches they keep.
        score_later = ranked and narrowed.bit_count() * 2 <= size
        if plan:
            page_ids, scores = _text_matches(plan, scored=ranked and not score_later)
            positions = bitmaps.positions(page_ids)
            hits = bitmaps.bitmap_at(positions)
        else:
            hits = bitmaps.all
        results = hits & narrowed

        counts = {}
        for facet in FACETS:
            base = hits
            for key, bitmap in active.items():
                if key != facet.key:
                    base &= bitmap
            facet_counts = {}
            for value, bitmap in bitmaps.values.get(facet.key, {}).items():
                n = (base & bitmap).bit_count()
                if n:
                    facet_counts[value] = n
            if facet_counts:
                counts[facet.key] = facet_counts

        total = results.bit_count()
        if query.effective_sort == "gepubliceerd":
            in_results = results.to_bytes(results.bit_length() // 8 + 1, "little")
            members = (
                n
                for n in bitmaps.published_order
                if n >> 3 < len(in_results) and in_results[n >> 3] >> (n & 7) & 1
            )
            numbers = list(islice(members, query.offset, query.offset + query.page_size))
            page = [EngineHit(page_id=bitmaps.page_ids[n]) for n in numbers]
        elif not ranked:  # newest first
            numbers = _first_set_positions(results, query.page_size, query.offset)
            page = [EngineHit(page_id=bitmaps.page_ids[n]) for n in numbers]
        else:
            if score_later:
                among = list(compress(page_ids, _members(results, positions, size)))
                page_ids, scores = _text_matches(plan, scored=True, among=among)
                positions = bitmaps.positions(page_ids)
            page = _best(bitmaps, results, scores, positions, query)
        return EngineResult(total=total, hits=page, facet_counts=counts, engine=self.name)
