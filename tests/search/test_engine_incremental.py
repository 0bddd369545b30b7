"""After an index change a process patches its facet bitmaps for the changed documents (the
change log, search_indexchange) instead of reading them all again: the patched bitmaps must
answer exactly as bitmaps read afresh from the database would, for totals, facet counts and
the order of every sort."""

import pytest
from django.db import connection, transaction

from search.engines import database
from search.engines.database import (
    DatabaseEngine,
    FacetBitmaps,
    clear_documents,
    delete_documents,
    store_documents,
)
from search.models import SearchIndexChange
from search.query import SearchQuery
from tests.search.test_search import found_ids

pytestmark = pytest.mark.django_db

THEMES = ["wonen", "werken", "leren-en-opgroeien"]


def make_doc(
    page_id, n, *, date="2010-05-01", themes=None, published_at="2010-05-02T09:00:00+00:00"
):
    words = ["bewoners", "wijk", "jongeren", "aanpak", "school"][: 2 + n % 4]
    return {
        "page_id": page_id,
        "type": "experiment" if n % 2 else "praktijk",
        "title": f"Aanpak {words[-1]} nummer {n}",
        "summary": " ".join(words),
        "body": " ".join(words * 3),
        "labels_text": "",
        "url": f"/proef/{page_id}/",
        "date": date,
        "year": int(date[:4]) if date else None,
        "published_at": published_at,
        "registration_number": "",
        "facets": {
            "type": ["experiment" if n % 2 else "praktijk"],
            "theme": themes if themes is not None else [THEMES[n % 3]],
            **({"year": [date[:4]]} if date else {}),
        },
        "names": {},
        "tags": [],
    }


def corpus(first_id):
    # Dates repeat, so documents with equal dates are ordered by page id too.
    return [
        make_doc(
            first_id + n,
            n,
            date=f"{2007 + n % 5}-0{1 + n % 3}-1{n % 2}",
            published_at=f"{2008 + n % 4}-02-0{1 + n % 7}T10:00:00+00:00" if n % 6 else None,
        )
        for n in range(40)
    ]


QUERIES = [
    SearchQuery(),
    SearchQuery(page=2),
    SearchQuery(filters={"theme": ["wonen", "nieuw-thema"]}),
    SearchQuery(filters={"theme": ["werken"], "type": ["experiment"]}),
    SearchQuery(sort="gepubliceerd"),
    SearchQuery(sort="gepubliceerd", filters={"type": ["praktijk"]}, page=2),
    SearchQuery(text="bewoners"),
    SearchQuery(text="school", filters={"theme": ["leren-en-opgroeien"]}),
    SearchQuery(text="jongeren", sort="datum"),
]


def answers():
    engine = DatabaseEngine()
    return [engine.search(query, query.clauses()) for query in QUERIES]


@pytest.fixture
def full_reads(monkeypatch):
    """How often the bitmaps were read whole from the database."""
    reads = []
    original = FacetBitmaps.__init__

    def counting(self, *args):
        reads.append(1)
        original(self, *args)

    monkeypatch.setattr(FacetBitmaps, "__init__", counting)
    return reads


def assert_same_as_a_fresh_read():
    patched = database.facet_bitmaps()
    fresh = FacetBitmaps(*database.index_version())
    assert patched.page_ids == fresh.page_ids
    assert patched.values == fresh.values
    assert patched.published_order == fresh.published_order
    assert patched.all == fresh.all
    patched_answers = answers()
    database._bitmaps = fresh
    assert patched_answers == answers()
    database._bitmaps = patched


# 500: ids dense enough for the array of positions; 8,000,000: so sparse that a dict holds them.
@pytest.mark.parametrize("first_id", [500, 8_000_000])
def test_patched_bitmaps_answer_as_a_fresh_read_after_every_kind_of_change(full_reads, first_id):
    clear_documents()
    docs = corpus(first_id)
    store_documents(docs)
    database.facet_bitmaps()
    full_reads.clear()

    # A new date (the document moves in the date order) and a facet value no document had.
    store_documents([make_doc(first_id + 3, 3, date="2012-12-31", themes=["nieuw-thema"])])
    assert_same_as_a_fresh_read()
    # A new document without a date or a publication time (both orders put it last).
    store_documents([make_doc(first_id + 100, 100, date=None, published_at=None)])
    assert_same_as_a_fresh_read()
    # A removed document, and the last document of a facet value removed: the value is gone.
    delete_documents([first_id + 7])
    delete_documents([first_id + 3])
    assert "nieuw-thema" not in database.facet_bitmaps().values["theme"]
    assert_same_as_a_fresh_read()
    # Several at once: replaced with the same date, a new one, one moved to the oldest date.
    store_documents(
        [
            {**docs[10], "facets": {**docs[10]["facets"], "theme": ["wonen", "werken"]}},
            make_doc(first_id + 101, 101, date="2007-01-10"),
            make_doc(
                first_id + 20, 20, date="2001-01-01", published_at="2013-01-01T00:00:00+00:00"
            ),
        ]
    )
    delete_documents([first_id + 30, first_id + 31, first_id + 999])  # 999 was never there
    assert_same_as_a_fresh_read()
    assert full_reads == [1] * 4  # the fresh reads of the comparisons, none by the engine

    clear_documents()  # the log says "everything": read whole
    assert database.facet_bitmaps().page_ids == []
    store_documents(docs[:5])
    assert_same_as_a_fresh_read()


def test_a_replaced_document_is_found_under_its_new_facet_value_at_once(client):
    doc = make_doc(9_100_000, 1, themes=["wonen"])
    store_documents([doc])
    assert 9_100_000 in found_ids(client, thema="wonen")
    store_documents([{**doc, "facets": {**doc["facets"], "theme": ["werken"]}}])
    assert 9_100_000 in found_ids(client, thema="werken")
    assert 9_100_000 not in found_ids(client, thema="wonen")


def test_a_rolled_back_change_leaves_the_bitmaps(full_reads):
    store_documents(corpus(9_200_000))
    before = database.facet_bitmaps()
    with transaction.atomic():
        store_documents([make_doc(9_200_500, 5, themes=["nieuw-thema"])])
        assert "nieuw-thema" in database.facet_bitmaps().values["theme"]
        transaction.set_rollback(True)
    after = database.facet_bitmaps()
    assert "nieuw-thema" not in after.values["theme"]
    assert after.page_ids == before.page_ids and after.values == before.values


def test_a_large_write_or_a_pruned_log_reads_the_bitmaps_afresh(monkeypatch, full_reads):
    monkeypatch.setattr(database, "PATCH_LIMIT", 3)
    monkeypatch.setattr(database, "CHANGES_KEPT", 5)
    docs = corpus(9_300_000)
    store_documents(docs)  # more than PATCH_LIMIT documents: one entry, "everything"
    assert list(SearchIndexChange.objects.order_by("-id").values_list("page_id", flat=True))[
        :1
    ] == [None]
    database.facet_bitmaps()
    assert len(full_reads) == 1
    store_documents(docs[:2])  # two documents: patched
    database.facet_bitmaps()
    assert len(full_reads) == 1
    # Six single changes while this process looks away: the entry it applied last is pruned.
    for doc in docs[2:8]:
        store_documents([{**doc, "facets": {**doc["facets"], "theme": ["werken"]}}])
    assert SearchIndexChange.objects.count() <= 5
    assert_same_as_a_fresh_read()
    assert len(full_reads) == 3  # the engine's own read again, and the comparison's


def test_every_write_logs_which_documents_it_changed():
    store_documents([make_doc(9_400_000, 1)])
    delete_documents([9_400_000])
    clear_documents()
    with connection.cursor() as cursor:
        cursor.execute("SELECT id, page_id FROM search_indexchange ORDER BY id DESC LIMIT 3")
        newest_first = [page_id for _, page_id in cursor.fetchall()]
    assert newest_first == [None, 9_400_000, 9_400_000]
