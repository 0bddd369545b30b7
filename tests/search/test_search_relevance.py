"""The relevance set (search/relevance.py) on both engines: every query finds the documents
it must in its top 10. `manage.py search_relevance` prints the figures."""

import pytest

from search import relevance
from search.engines.database import DatabaseEngine, clear_documents, store_documents

pytestmark = pytest.mark.django_db


@pytest.fixture
def corpus(db):
    # Only the corpus in the database index (rolled back after the test) ...
    clear_documents()
    store_documents(relevance.documents())


def _misses(results):
    return [
        f"{r.text!r} ({r.kind}): wanted {r.expected}, top 10 {r.found}"
        + (f" via {r.followed!r}" if r.followed else "")
        for r in results
        if r.recall < 1
    ]


def test_the_set_is_big_enough_and_covers_every_kind():
    assert len(relevance.QUERIES) >= 60
    kinds = " ".join(kind for _text, _ids, kind in relevance.QUERIES)
    for kind in (
        "plural",
        "part",
        "parts apart",
        "accent",
        "synonym",
        "phrase",
        "typo",
        "registration",
    ):
        assert kind in kinds
    ids = {doc["page_id"] - 900_000 for doc in relevance.documents()}
    assert all(set(expected) <= ids for _text, expected, _kind in relevance.QUERIES)


def test_every_query_finds_its_documents_on_the_database_engine(corpus):
    results = relevance.run(DatabaseEngine())
    assert _misses(results) == []


def test_every_query_finds_its_documents_on_elasticsearch(corpus, elasticsearch_url):
    from uuid import uuid4

    from search.engines.elasticsearch import ElasticsearchEngine

    engine = ElasticsearchEngine(
        elasticsearch_url, f"kk-test-relevance-{uuid4().hex[:8]}", timeout=10
    )
    # ... and in an index of its own.
    engine.rebuild(relevance.documents())
    try:
        results = relevance.run(engine)
    finally:
        engine.drop()
    assert _misses(results) == []
    assert relevance.summary(results)[1] > 0.8


def test_the_script_refuses_a_database_with_content_and_leaves_the_site_alone(settings):
    from io import StringIO

    from django.core.cache import cache
    from django.core.management import CommandError, call_command

    from search.models import SearchDocument
    from search.thesaurus import CACHE_KEY, load_thesaurus

    settings.ELASTICSEARCH_URL = ""
    with pytest.raises(CommandError, match="holds content pages"):
        call_command("search_relevance")
    documents = SearchDocument.objects.count()
    thesaurus = load_thesaurus()  # the editors' (cached)
    cache.set("a-rate-limit-counter", 3)
    out = StringIO()
    call_command("search_relevance", "--allow-content", stdout=out)
    assert "database" in out.getvalue() and "recall@10" in out.getvalue()
    # The site's index, its cached thesaurus and everything else in the cache are as they were.
    assert SearchDocument.objects.count() == documents
    assert cache.get(CACHE_KEY) == thesaurus and cache.get("a-rate-limit-counter") == 3
