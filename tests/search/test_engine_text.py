"""The database engine's text path beyond SCORE_CAP results (a word in nearly every
document): totals and facet counts stay exact, the first page shows the recent documents that
carry the word in their title, and a page that tier cannot fill is ranked exactly."""

import pytest

from search.engines import database
from search.engines.database import DatabaseEngine, clear_documents, store_documents
from search.query import SearchQuery

pytestmark = pytest.mark.django_db

FIRST_ID = 700


def make_doc(n):
    titled = n % 4 == 0  # "bewoners" in the title of every fourth document
    return {
        "page_id": FIRST_ID + n,
        "type": "experiment" if n % 2 else "praktijk",
        "title": f"Bewoners in de wijk {n}" if titled else f"Aanpak van de wijk {n}",
        "summary": "Over de buurt en de school.",
        "body": "De bewoners van de wijk. " * (1 + n % 3),
        "labels_text": "",
        "url": f"/proef/{n}/",
        "date": f"{2007 + n % 5}-03-0{1 + n % 9}",
        "year": 2007 + n % 5,
        "published_at": None,
        "registration_number": "",
        "facets": {"type": ["experiment" if n % 2 else "praktijk"], "year": [str(2007 + n % 5)]},
        "names": {},
        "tags": [],
    }


def search(**kwargs):
    query = SearchQuery(text="bewoners", **kwargs)
    return DatabaseEngine().search(query, query.clauses())


@pytest.fixture
def corpus():
    clear_documents()
    store_documents([make_doc(n) for n in range(40)])


def test_beyond_the_cap_counts_stay_exact_and_recent_title_matches_come_first(corpus, monkeypatch):
    exact = search(page_size=3)
    monkeypatch.setattr(database, "SCORE_CAP", 20)
    capped = search(page_size=3)
    assert capped.total == exact.total == 40
    assert capped.facet_counts == exact.facet_counts
    # The 20 highest ids hold five titles with the word (720, 724, ... 736); the page is theirs.
    shown = [hit.page_id for hit in capped.hits]
    assert len(shown) == 3 and all((n - FIRST_ID) % 4 == 0 and n >= 720 for n in shown)
    # Exactly ranked, the word in a title comes first too.
    assert all((hit.page_id - FIRST_ID) % 4 == 0 for hit in exact.hits)


def test_a_page_the_title_tier_cannot_fill_is_ranked_exactly(corpus, monkeypatch):
    exact = search(page_size=3, page=3)  # results 7-9: more than the five titles in range
    monkeypatch.setattr(database, "SCORE_CAP", 20)
    assert search(page_size=3, page=3) == exact


def test_a_filter_below_the_cap_is_ranked_exactly(corpus, monkeypatch):
    exact = search(filters={"year": ["2008"]})
    monkeypatch.setattr(database, "SCORE_CAP", 20)
    assert search(filters={"year": ["2008"]}) == exact  # 8 results: all scored
