"""The embedded search engine: the documents in our own tables, queried directly.

Text is matched once without scores (SQLite FTS5, or a PostgreSQL tsvector with a GIN index).
Every facet is counted from that one hit set with bitmaps: each facet value has a bitmap of
the documents that carry it (a Python int, one bit per document), so a facet's counts are a
few ANDs and bit counts, whatever the number of hits. The rule: values OR-ed within a facet,
facets AND-ed, and each facet counted with every *other* facet's filter applied.

The bitmaps are read from `search_facetvalue` once per process. After a change to the index
(the token in `search_indexstate` says so) a process patches them for the documents the
change log `search_indexchange` names, and reads them afresh only when the log cannot say
(FacetBitmaps.refreshed).

Ranking by relevance scores the results (bm25, or ts_rank): all of them up to SCORE_CAP.
Beyond that, the one approximation: only the SCORE_CAP most recent results (the highest page
ids, a range the full-text index skips to) are candidates, and of those only the ones that
match in the title (else in the title, summary or labels, the fields weighted above the body)
are scored and shown first; if that tier cannot fill the page asked for, every result is
scored. Totals and facet counts are always exact.

Text is analysed in Python (search.text) for both vendors, so SQLite and PostgreSQL match
exactly the same documents (and Elasticsearch indexes the same terms): each text field holds
its words' terms in order, and a `parts` field the compound parts. PostgreSQL stores the
terms as tsvector literals, which it takes as they are. `search_term` counts the documents of
each term, for spelling suggestions (search.suggest): a document's terms are counted when it is
stored and taken off, as the full-text index holds them, when it is replaced or removed, so the
counts always equal the index's own, even after the analysis changed.
"""

import copy
import datetime
import heapq
import json
import threading
import uuid
from array import array
from bisect import bisect_left
from collections import Counter, deque
from itertools import compress, groupby, islice, repeat
from operator import and_, itemgetter, sub

from django.db import connection, transaction

from ..facets import FACETS
from ..models import (
    SearchDocument,
    SearchFacetValue,
    SearchIndexChange,
    SearchIndexState,
    SearchTerm,
)
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
# A process patches its bitmaps for up to this many changed documents (a few ms each at 100k);
# a write that changes more logs "everything", and the processes read their bitmaps afresh.
PATCH_LIMIT = 100
CHANGES_KEPT = 1000  # entries of the change log kept (search_indexchange)
# Text ranked by relevance with more results than this: only a tier of them is scored (bm25
# costs about 1.5 µs per document on SQLite, and a common word is in every one).
SCORE_CAP = 10_000
SCORE_TIERS = (("title",), ("title", "summary", "labels"))


def _vendor():
    return connection.vendor


# --- Writing ------------------------------------------------------------------------------


def _changed(page_ids=None) -> None:
    """A new token for the index, and which documents changed in the change log (None: all
    may have). The token's row is updated first: its lock, held to the commit, makes writers
    wait for each other, so the log's ids follow the order of the commits (on PostgreSQL; an
    SQLite write locks the whole database anyway)."""
    version = uuid.uuid4().hex
    SearchIndexState.objects.update_or_create(id=1, defaults={"version": version})
    page_ids = None if page_ids is None else sorted(set(page_ids))
    if page_ids is None or len(page_ids) > PATCH_LIMIT:
        page_ids = [None]  # more than a process would patch: it reads everything again
    SearchIndexChange.objects.bulk_create(
        SearchIndexChange(page_id=page_id, version=version) for page_id in page_ids
    )
    with connection.cursor() as cursor:
        # Only the latest entries are kept; a process that applied an older one reads its
        # bitmaps afresh (it finds its last entry gone).
        cursor.execute(
            "DELETE FROM search_indexchange WHERE id <= "
            "(SELECT MAX(id) FROM search_indexchange) - %s",
            [CHANGES_KEPT],
        )


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
        _changed(ids)
        _delete(ids)
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
        _changed(page_ids)
        _delete(page_ids)


def _delete(page_ids) -> None:
    _count_terms(_stored_terms(page_ids), -1)
    with connection.cursor() as cursor:
        key = "document_id" if _vendor() == "postgresql" else "rowid"
        for chunk in _chunks(page_ids):
            marks = ", ".join(["%s"] * len(chunk))
            cursor.execute(f"DELETE FROM search_fulltext WHERE {key} IN ({marks})", chunk)
    SearchFacetValue.objects.filter(document_id__in=page_ids).delete()
    SearchDocument.objects.filter(page_id__in=page_ids).delete()


def clear_documents() -> None:
    with transaction.atomic():
        _changed()
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM search_fulltext")
        SearchTerm.objects.all().delete()
        SearchFacetValue.objects.all().delete()
        SearchDocument.objects.all().delete()


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


def _tier_tsquery(alternative, letters) -> str:
    """A tsquery text matching an alternative only in the fields of these weight letters."""
    return " <-> ".join(f"{term}:{letters}" for term in alternative.terms)


def _pg_tier(plan, fields) -> tuple[str, list]:
    """A PostgreSQL condition: the plan matched in these fields of the words' vector only."""
    letters = "".join(PG_WEIGHT_LETTERS[f] for f in fields)
    conditions, params = [], []
    for clause in plan:
        conditions.append(
            "(" + " OR ".join(["ft.vector @@ to_tsquery('simple', %s)"] * len(clause)) + ")"
        )
        params += [_tier_tsquery(a, letters) for a in clause]
    return " AND ".join(conditions), params


def _text_matches(plan, scored: bool, among=None, fields=None, from_id=None):
    """(page ids, scores) of the documents the text matches; scores only if `scored` (else
    None), and only of the documents `among` those page ids if given (the results of selective
    facet filters: scoring is most of the work when a word is in nearly every document). Only
    where it matches within `fields` (title, summary, labels) and only page ids from `from_id`
    on, if given (a range the index itself skips to)."""
    if among is not None and not among:
        return [], []
    if _vendor() == "postgresql":
        where, where_params, ranking, ranking_params = _pg_query(plan)
        if fields:
            tier, tier_params = _pg_tier(plan, fields)
            where, where_params = f"({where}) AND {tier}", where_params + tier_params
        if from_id is not None:
            where, where_params = f"{where} AND ft.document_id >= %s", [*where_params, from_id]
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
        # Without scores, the ids come as one JSON array: for 100k matches, 20 ms instead of
        # the 50 ms of 100k rows through the driver.
        columns = (
            f"rowid, -bm25(search_fulltext, {weights})" if scored else "json_group_array(rowid)"
        )
        sql = f"SELECT {columns} FROM search_fulltext WHERE search_fulltext MATCH %s"
        params = [_fts5_expression(plan)]
        if fields:
            params = [f"{{{' '.join(fields)}}} : ({params[0]})"]
        if from_id is not None:
            sql += " AND rowid >= %s"
            params.append(from_id)
        if among is not None:
            # "+rowid": checked on each match, not handed to FTS5 (which would run the match
            # once per id).
            sql += " AND +rowid IN (SELECT value FROM json_each(%s))"
            params.append(json.dumps(list(among)))
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        if not scored and _vendor() != "postgresql":
            return json.loads(cursor.fetchone()[0]), None
        rows = cursor.fetchall()
    return list(map(itemgetter(0), rows)), list(map(itemgetter(1), rows)) if scored else None


def _date_key(page_id, day):
    """Where a document stands in date order: newest first, undated last, then the higher id
    first (as `ORDER BY sort_date DESC NULLS LAST, page_id DESC`), as an ascending key."""
    if day is None:
        return (1, 0, -page_id)
    if isinstance(day, str):  # SQLite hands dates over as text
        day = datetime.date.fromisoformat(day[:10])
    return (0, -day.toordinal(), -page_id)


_EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)
_MICROSECOND = datetime.timedelta(microseconds=1)


def _published_key(page_id, moment):
    """Where a document stands in order of first publication (newest first, unknown last)."""
    if moment is None:
        return (1, 0, -page_id)
    if isinstance(moment, str):
        moment = datetime.datetime.fromisoformat(moment)
    if moment.tzinfo is None:  # SQLite's text is in UTC
        moment = moment.replace(tzinfo=datetime.UTC)
    return (0, -((moment - _EPOCH) // _MICROSECOND), -page_id)


class FacetBitmaps:
    """Every document as a bit position, and per facet value the bitmap of its documents.

    The loops over every hit (tens of thousands for a common word) run inside C: positions are
    looked up with map(), a bitmap is made from a bytearray of digits, one per position.

    An object is never changed once built: after an index change, `refreshed()` builds a new
    one (patched for the documents the change log names, or read afresh) and facet_bitmaps()
    swaps it in, so a search in another thread never sees a half-patched set."""

    def __init__(self, version, database):
        self.version = version
        self.database = database
        with connection.cursor() as cursor:
            # The log entry this state includes (at least): refreshed() applies what follows
            # it. Read before the documents, so a change committed meanwhile is applied again
            # later (applying one is idempotent), never missed.
            cursor.execute("SELECT id, version FROM search_indexchange ORDER BY id DESC LIMIT 1")
            last = cursor.fetchone()
            self.last_change = tuple(last) if last else None
            # Positions in date order (newest first, undated last), so "newest first" is
            # simply the order of the bits. The dates are kept for refreshed(), which puts a
            # changed document back in its place by the same order (_date_key).
            cursor.execute(
                "SELECT page_id, sort_date FROM search_document "
                "ORDER BY CASE WHEN sort_date IS NULL THEN 1 ELSE 0 END, sort_date DESC, page_id DESC"
            )
            rows = cursor.fetchall()
            self.page_ids = list(map(itemgetter(0), rows))
            self._dates = list(map(itemgetter(1), rows))
            # The documents in order of first publication (newest first, unknown last).
            cursor.execute(
                "SELECT page_id, published_at FROM search_document ORDER BY "
                "CASE WHEN published_at IS NULL THEN 1 ELSE 0 END, published_at DESC, page_id DESC"
            )
            rows = cursor.fetchall()
            self._published_ids = list(map(itemgetter(0), rows))
            self._published_at = list(map(itemgetter(1), rows))
            cursor.execute(
                "SELECT facet, value, document_id FROM search_facetvalue ORDER BY facet, value"
            )
            rows = cursor.fetchall()
        self._published_order = None
        self._index_positions()
        self.all = (1 << len(self.page_ids)) - 1
        self.values: dict[str, dict[str, int]] = {}
        for (facet, value), group in groupby(rows, key=itemgetter(0, 1)):
            self.values.setdefault(facet, {})[value] = self.bitmap_at(
                self.positions(map(itemgetter(2), group))
            )

    @property
    def published_order(self) -> list[int]:
        """The positions in order of first publication (made at the first search that sorts
        by it; a harmless race between threads at worst makes it twice)."""
        if self._published_order is None:
            self._published_order = self.positions(self._published_ids)
        return self._published_order

    @property
    def position(self) -> dict[int, int]:
        """Position by page id, for ids the array of _index_positions does not cover."""
        if self._position is None:
            self._position = dict(zip(self.page_ids, range(len(self.page_ids)), strict=True))
        return self._position

    def _index_positions(self):
        """Positions by page id in an array, looked up without hashing, where the ids are
        dense enough (page ids mostly are)."""
        size = len(self.page_ids)
        self._position = None
        self._first_id = min(self.page_ids, default=0)
        self._last_id = max(self.page_ids, default=-1)
        self._by_offset = None
        if self._last_id - self._first_id < 4 * size + 1000:
            self._by_offset = array("i", [size]) * (self._last_id - self._first_id + 1)
            offsets = map(sub, self.page_ids, repeat(self._first_id))
            deque(map(self._by_offset.__setitem__, offsets, range(size)), maxlen=0)

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

    # -- after an index change -------------------------------------------------------------

    def refreshed(self, version) -> "FacetBitmaps":
        """The bitmaps of the index's state `version`: these patched for the documents the
        change log names since this state, or read afresh when the log cannot say (it holds
        "everything", more than PATCH_LIMIT documents, or no longer holds this state's entry:
        rolled back or pruned)."""
        changes = self._changes_since()
        if changes is None:
            return FacetBitmaps(version, self.database)
        last_change, page_ids = changes
        if not page_ids:  # only the token changed (or another thread got here first)
            same = copy.copy(self)
            same.version, same.last_change = version, last_change
            return same
        return self._patched(version, last_change, page_ids)

    def _changes_since(self):
        """(the last log entry, the page ids changed after this state's entry) or None."""
        if self.last_change is None:
            return None  # the log was empty: nothing to check continuity against
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT id, version, page_id FROM search_indexchange WHERE id >= %s "
                "ORDER BY id LIMIT %s",
                [self.last_change[0], CHANGES_KEPT + 1],
            )
            rows = cursor.fetchall()
        if not rows or (rows[0][0], rows[0][1]) != self.last_change:
            return None
        page_ids = {row[2] for row in rows[1:]}
        if None in page_ids or len(page_ids) > PATCH_LIMIT:
            return None
        return (rows[-1][0], rows[-1][1]), page_ids

    def _patched(self, version, last_change, page_ids) -> "FacetBitmaps":
        """A new object: these bitmaps with each changed document taken out and, if it is
        still in the index, put back where its date puts it, with its facet values as they are
        now. Exactly what a fresh read would give, for a few big-int operations per facet
        value and document; only when a document comes, goes or moves in the date order are
        the positions made again (~10-20 ms at 100k)."""
        ids = sorted(page_ids)
        marks = ", ".join(["%s"] * len(ids))
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT page_id, sort_date, published_at FROM search_document "
                f"WHERE page_id IN ({marks})",
                ids,
            )
            documents = {row[0]: row for row in cursor.fetchall()}
            cursor.execute(
                f"SELECT facet, value, document_id FROM search_facetvalue WHERE document_id IN ({marks})",
                ids,
            )
            facet_rows = cursor.fetchall()
        carried = {}
        for facet, value, page_id in facet_rows:
            carried.setdefault(page_id, set()).add((facet, value))
        bitmaps = {
            (facet, value): bitmap
            for facet, by_value in self.values.items()
            for value, bitmap in by_value.items()
        }
        for key in set().union(*carried.values()):
            bitmaps.setdefault(key, 0)

        size = len(self.page_ids)
        old = {page_id: n for page_id, n in zip(ids, self.positions(ids), strict=True) if n < size}
        page_list, dates = self.page_ids, self._dates
        # A document dated as before keeps its position: only its bits change.
        in_place = {
            page_id
            for page_id, p in old.items()
            if page_id in documents
            and _date_key(page_id, documents[page_id][1]) == _date_key(page_id, dates[p])
        }
        for page_id in in_place:
            values, bit = carried.get(page_id, set()), 1 << old[page_id]
            for key, bitmap in bitmaps.items():
                bitmaps[key] = bitmap | bit if key in values else bitmap & ~bit
        out = sorted((p for page_id, p in old.items() if page_id not in in_place), reverse=True)
        into = [documents[i] for i in ids if i in documents and i not in in_place]
        if out or into:
            page_list, dates = list(page_list), list(dates)
        # Out: from the highest position down, so the lower positions still hold.
        for p in out:
            del page_list[p], dates[p]
            below = (1 << p) - 1
            for key, bitmap in bitmaps.items():
                bitmaps[key] = (bitmap & below) | (bitmap >> (p + 1) << p)
        # In: at the date's place (found by bisection, the keys made only where it looks).
        for page_id, day, _ in into:
            q = bisect_left(
                range(len(page_list)),
                _date_key(page_id, day),
                key=lambda n: _date_key(page_list[n], dates[n]),
            )
            page_list.insert(q, page_id)
            dates.insert(q, day)
            below, bit = (1 << q) - 1, 1 << q
            values = carried.get(page_id, set())
            for key, bitmap in bitmaps.items():
                shifted = (bitmap & below) | (bitmap >> q << (q + 1))
                bitmaps[key] = shifted | bit if key in values else shifted

        new = object.__new__(FacetBitmaps)
        new.version, new.database, new.last_change = version, self.database, last_change
        new.page_ids, new._dates = page_list, dates
        new._published_ids, new._published_at, reordered = self._published_after(old, documents)
        if out or into:
            new._index_positions()
            new._published_order = None
        else:
            for name in ("_position", "_first_id", "_last_id", "_by_offset"):
                setattr(new, name, getattr(self, name))
            new._published_order = None if reordered else self._published_order
        new.all = (1 << len(page_list)) - 1
        new.values = {}
        for (facet, value), bitmap in sorted(bitmaps.items()):
            if bitmap:  # a value no document carries any more is gone, as from a fresh read
                new.values.setdefault(facet, {})[value] = bitmap
        return new

    def _published_after(self, old, documents):
        """The order of first publication with the changed documents taken out and put back:
        (page ids, publication times, whether anything moved)."""
        ids, moments = self._published_ids, self._published_at
        out, into = [], []
        for page_id in sorted(set(old) | set(documents)):
            row = documents.get(page_id)
            if page_id in old:
                n = ids.index(page_id)  # a scan in C
                if row is not None and _published_key(page_id, row[2]) == _published_key(
                    page_id, moments[n]
                ):
                    continue
                out.append(page_id)
            if row is not None:
                into.append(row)
        if not out and not into:
            return ids, moments, False
        ids, moments = list(ids), list(moments)
        for page_id in out:
            n = ids.index(page_id)
            del ids[n], moments[n]
        for page_id, _, moment in into:
            n = bisect_left(
                range(len(ids)),
                _published_key(page_id, moment),
                key=lambda i: _published_key(ids[i], moments[i]),
            )
            ids.insert(n, page_id)
            moments.insert(n, moment)
        return ids, moments, True


_bitmaps: FacetBitmaps | None = None
_bitmaps_lock = threading.Lock()


def index_version() -> tuple[str, tuple]:
    """The token of the database index's current state and which database it is in: what a
    process's caches of the index (these bitmaps, search.suggest's vocabulary) are valid for.
    The database too: a process may talk to another one (tests, a management command)."""
    state = SearchIndexState.objects.filter(id=1).values_list("version", flat=True).first() or ""
    return state, (connection.vendor, connection.settings_dict.get("NAME"))


def facet_bitmaps() -> FacetBitmaps:
    """The bitmaps of the index as it is now. After a change, one thread refreshes them
    (patched for the changed documents, see FacetBitmaps.refreshed) while the others wait;
    searches already under way keep the object they had."""
    global _bitmaps
    state, database = index_version()
    current = _bitmaps
    if current is not None and current.version == state and current.database == database:
        return current
    with _bitmaps_lock:
        current = _bitmaps  # another thread may have refreshed them meanwhile
        if current is not None and current.database == database:
            if current.version != state:
                current = current.refreshed(state)
        else:
            current = FacetBitmaps(state, database)
        _bitmaps = current
        return current


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


def _ranked_page(bitmaps, plan, query, results, total, page_ids, positions) -> list[EngineHit]:
    """The requested page by relevance. Exact (bm25 of every result) up to SCORE_CAP results;
    beyond it, only a tier of the most recent results is scored, see the module's docstring.
    `page_ids` are the matches, with their `positions`."""
    size = len(bitmaps.page_ids)
    wanted = query.offset + query.page_size
    in_results = None
    if total > SCORE_CAP and not query.pinned and wanted <= SCORE_CAP:
        in_results = (
            page_ids  # no filter left any match out
            if total == len(page_ids)
            else list(compress(page_ids, _members(results, positions, size)))
        )
        # The SCORE_CAP highest page ids (the pages made last): a range FTS5 and PostgreSQL's
        # index skip to, so only the documents in it are matched again and scored.
        from_id = sorted(in_results)[-SCORE_CAP]  # (FTS5 gives them sorted already)
        for fields in SCORE_TIERS:
            tier_ids, scores = _text_matches(plan, scored=True, fields=fields, from_id=from_id)
            tier_positions = bitmaps.positions(tier_ids)
            if sum(_members(results, tier_positions, size)) >= wanted:
                return _best(bitmaps, results, scores, tier_positions, query)
    if total * 2 <= len(page_ids):
        # Selective filters (or few results): score only the results, not every match.
        if in_results is None:
            in_results = list(compress(page_ids, _members(results, positions, size)))
        page_ids, scores = _text_matches(plan, scored=True, among=in_results)
    else:
        page_ids, scores = _text_matches(plan, scored=True)
    return _best(bitmaps, results, scores, bitmaps.positions(page_ids), query)


class DatabaseEngine(SearchEngine):
    name = "database"

    def search(self, query, clauses) -> EngineResult:
        bitmaps = facet_bitmaps()
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
        if plan:
            # Matched without scores first: scoring is most of the cost of a common word, and
            # what has to be scored is known only once the results are.
            page_ids, _ = _text_matches(plan, scored=False)
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
            page = _ranked_page(bitmaps, plan, query, results, total, page_ids, positions)
        return EngineResult(total=total, hits=page, facet_counts=counts, engine=self.name)
