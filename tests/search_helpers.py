"""Helpers for the search tests: an independent oracle for facet semantics, and publishing
with the index updates that follow a commit."""

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
            for key, values in filters.items() if key != skip
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
