"""Helpers for the search tests: an independent oracle for facet semantics, the full-text
index's own term counts, and publishing with the index updates that follow a commit."""

from collections import Counter

from django.db import connection

from search.facets import FACETS
from search.models import SearchDocument


def expected_from_documents(filters: dict[str, list[str]]):
    """What any engine must answer for `filters` without text, worked out in plain Python from
    the stored documents: ids of the hits, and each facet's counts with the other facets'
    filters applied."""
    docs = [d.data for d in SearchDocument.objects.all()]

    def passes(doc, skip=None):
        return all(
            set(doc["facets"].get(key, [])) & set(values)
            for key, values in filters.items()
            if key != skip
        )

    ids = {d["page_id"] for d in docs if passes(d)}
    counts = {}
    for facet in FACETS:
        for doc in docs:
            if passes(doc, skip=facet.key):
                for value in doc["facets"].get(facet.key, []):
                    counts.setdefault(facet.key, {}).setdefault(value, 0)
                    counts[facet.key][value] += 1
    return ids, counts


def publish(page, capture):
    """Publish a page's latest revision and run what waits for the commit (the indexing)."""
    with capture(execute=True):
        page.save_revision().publish()
    page.refresh_from_db()
    return page


def index_term_counts() -> dict[str, int]:
    """Documents per term as the full-text index itself counts them (FTS5's fts5vocab on
    SQLite, the stored vectors on PostgreSQL): what search_term must equal."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT t, count(*) FROM search_fulltext, unnest(tsvector_to_array(vector || parts)) t GROUP BY t"
            )
        else:
            cursor.execute(
                "CREATE VIRTUAL TABLE IF NOT EXISTS temp.search_fulltext_vocab "
                "USING fts5vocab(main, search_fulltext, row)"
            )
            cursor.execute("SELECT term, doc FROM temp.search_fulltext_vocab")
        counts = Counter()
        for term, n in cursor.fetchall():
            counts[term[:100]] += n
    return dict(counts)
