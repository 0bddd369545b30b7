"""The embedded search engine: the documents in our own tables, queried directly.

Text is matched once (SQLite FTS5 with bm25, or a PostgreSQL tsvector with a GIN index and
ts_rank), the hit set is materialised once, and one statement returns the requested page,
the total and every facet's counts from that hit set. A hit counts towards facet F when it
passes every active filter except possibly F's own: that is the multi-select facet rule
(values OR-ed within a facet, facets AND-ed, each facet counted with the others applied).

Text is analysed in Python (search.text) for both vendors, so SQLite and PostgreSQL match
exactly the same documents; PostgreSQL stores the analysed terms with the `simple`
configuration for that reason (its own `dutch` configuration runs the same Snowball stemmer
but cannot add the v/f, z/s step).
"""

from django.db import connection, transaction

from ..facets import FACETS
from ..models import SearchDocument, SearchFacetValue
from ..text import analyse, stem
from .base import EngineHit, EngineResult, SearchEngine

# Relative weight of the text fields: title above summary above body; names of places,
# themes and tags between summary and body.
FIELD_WEIGHTS = {"title": 10.0, "summary": 4.0, "body": 1.0, "labels": 2.0}
PG_WEIGHT_LETTERS = {"title": "A", "summary": "B", "labels": "C", "body": "D"}


def _vendor():
    return connection.vendor


# --- Writing ------------------------------------------------------------------------------

def store_documents(docs) -> None:
    """Insert or replace documents (dicts from search.documents) in the database index."""
    docs = list(docs)
    if not docs:
        return
    ids = [d["page_id"] for d in docs]
    with transaction.atomic():
        delete_documents(ids)
        SearchDocument.objects.bulk_create([
            SearchDocument(page_id=d["page_id"], content_type=d["type"], title=d["title"][:255],
                           sort_date=d["date"], data=d)
            for d in docs
        ])
        SearchFacetValue.objects.bulk_create([
            SearchFacetValue(document_id=d["page_id"], facet=facet, value=value)
            for d in docs for facet, values in d["facets"].items() for value in values
        ])
        rows = [
            (d["page_id"], analyse(d["title"]), analyse(d["summary"]), analyse(d["body"]),
             analyse(d["labels_text"]))
            for d in docs
        ]
        with connection.cursor() as cursor:
            if _vendor() == "postgresql":
                vector = " || ".join(
                    f"setweight(to_tsvector('simple', %s), '{PG_WEIGHT_LETTERS[f]}')"
                    for f in ("title", "summary", "body", "labels")
                )
                cursor.executemany(
                    f"INSERT INTO search_fulltext (document_id, vector) VALUES (%s, {vector})", rows
                )
            else:
                cursor.executemany(
                    "INSERT INTO search_fulltext (rowid, title, summary, body, labels) "
                    "VALUES (%s, %s, %s, %s, %s)", rows,
                )


def delete_documents(page_ids) -> None:
    page_ids = list(page_ids)
    if not page_ids:
        return
    with transaction.atomic():
        with connection.cursor() as cursor:
            key = "document_id" if _vendor() == "postgresql" else "rowid"
            for start in range(0, len(page_ids), 500):
                chunk = page_ids[start:start + 500]
                marks = ", ".join(["%s"] * len(chunk))
                cursor.execute(f"DELETE FROM search_fulltext WHERE {key} IN ({marks})", chunk)
        SearchFacetValue.objects.filter(document_id__in=page_ids).delete()
        SearchDocument.objects.filter(page_id__in=page_ids).delete()


def clear_documents() -> None:
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM search_fulltext")
        SearchFacetValue.objects.all().delete()
        SearchDocument.objects.all().delete()


# --- Reading ------------------------------------------------------------------------------

def _stemmed(alternative: list[str]) -> list[str]:
    return [stem(word) for word in alternative]


def _fts5_expression(clauses) -> str:
    """FTS5 query text. Terms are \\w+ stems, always quoted, so nothing a visitor types can
    reach FTS5's own syntax."""
    parts = []
    for clause in clauses:
        alternatives = [" ".join(_stemmed(a)) for a in clause]
        alternatives = [f'"{a}"' for a in alternatives if a]
        if alternatives:
            parts.append("(" + " OR ".join(alternatives) + ")")
    return " AND ".join(parts)


def _pg_tsquery(clauses) -> tuple[str, list]:
    """A tsquery SQL expression (with parameters) for PostgreSQL: phrases as <->."""
    sql_clauses, params = [], []
    for clause in clauses:
        alternatives = []
        for alternative in clause:
            stems = _stemmed(alternative)
            if stems:
                alternatives.append("phraseto_tsquery('simple', %s)")
                params.append(" ".join(stems))
        if alternatives:
            sql_clauses.append("(" + " || ".join(alternatives) + ")")
    return " && ".join(sql_clauses), params


class DatabaseEngine(SearchEngine):
    name = "database"

    def search(self, query, clauses) -> EngineResult:
        params: list = []
        if _vendor() == "postgresql":
            tsquery, tsparams = _pg_tsquery(clauses)
            if tsquery:
                hits_sql = (
                    "SELECT ft.document_id AS id, ts_rank(ft.vector, q.query) AS score "
                    f"FROM search_fulltext ft, (SELECT {tsquery} AS query) q "
                    "WHERE ft.vector @@ q.query"
                )
                params += tsparams
            else:
                hits_sql = "SELECT page_id AS id, 0.0 AS score FROM search_document"
        else:
            expression = _fts5_expression(clauses)
            if expression:
                weights = ", ".join(str(FIELD_WEIGHTS[f]) for f in ("title", "summary", "body", "labels"))
                hits_sql = (
                    f"SELECT rowid AS id, -bm25(search_fulltext, {weights}) AS score "
                    "FROM search_fulltext WHERE search_fulltext MATCH %s"
                )
                params.append(expression)
            else:
                hits_sql = "SELECT page_id AS id, 0.0 AS score FROM search_document"

        # One flag per active facet: does the hit have one of the chosen values?
        active = [(f.key, query.filters[f.key]) for f in FACETS if query.filters.get(f.key)]
        flag_columns, failed_cases = [], []
        for n, (facet, values) in enumerate(active):
            marks = ", ".join(["%s"] * len(values))
            flag_columns.append(
                f"CASE WHEN h.id IN (SELECT document_id FROM search_facetvalue "
                f"WHERE facet = %s AND value IN ({marks})) THEN 0 ELSE 1 END AS miss{n}"
            )
            params += [facet, *values]
            failed_cases.append(f"WHEN miss{n} = 1 THEN '{facet}'")  # facet keys are ours
        misses = " + ".join(f"miss{n}" for n in range(len(active))) or "0"
        failed = f"CASE {' '.join(failed_cases)} END" if failed_cases else "NULL"
        flag_sql = ", ".join(["h.id", "h.score", *flag_columns])

        if query.effective_sort == "datum":
            order = "d.sort_date DESC, f.id DESC"
            if _vendor() == "postgresql":
                order = "d.sort_date DESC NULLS LAST, f.id DESC"
        else:
            order = "f.score DESC, d.sort_date DESC, f.id DESC"

        materialized = "MATERIALIZED "
        sql = f"""
            WITH hits AS {materialized}({hits_sql}),
            flags AS {materialized}(
                SELECT id, score, {misses} AS misses, {failed} AS failed
                FROM (SELECT {flag_sql} FROM hits h) AS flagged
            )
            SELECT 'hit' AS kind, CAST(page.id AS TEXT) AS name, page.score AS number,
                   CAST(page.position AS TEXT) AS value
            FROM (
                SELECT f.id, f.score, ROW_NUMBER() OVER (ORDER BY {order}) AS position
                FROM flags f JOIN search_document d ON d.page_id = f.id
                WHERE f.misses = 0 ORDER BY {order} LIMIT %s OFFSET %s
            ) AS page
            UNION ALL
            SELECT 'total', '', COUNT(*), '' FROM flags WHERE misses = 0
            UNION ALL
            SELECT 'facet', fv.facet, COUNT(*), fv.value
            FROM flags f JOIN search_facetvalue fv ON fv.document_id = f.id
            WHERE f.misses = 0 OR (f.misses = 1 AND fv.facet = f.failed)
            GROUP BY fv.facet, fv.value
        """
        params += [query.page_size, query.offset]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()

        hits, total, counts = [], 0, {}
        for kind, name, number, value in rows:
            if kind == "hit":
                hits.append((int(value), EngineHit(page_id=int(name), score=float(number or 0))))
            elif kind == "total":
                total = int(number)
            else:
                counts.setdefault(name, {})[value] = int(number)
        # UNION ALL promises no order: put the page back in the order asked for.
        hits = [hit for _, hit in sorted(hits, key=lambda pair: pair[0])]
        return EngineResult(total=total, hits=hits, facet_counts=counts, engine=self.name)
