"""The Elasticsearch index follows the content even when Elasticsearch is away: changes wait
in a durable queue; status reports drift, sync repairs it, and a rebuild swaps the index in
without a failed search."""

import threading
from io import StringIO

import pytest
from django.core.management import call_command

from experiments.models import ExperimentPage
from search.documents import iter_documents
from search.engines.database import delete_documents
from search.models import IndexQueueEntry, SearchDocument
from search.query import SearchQuery
from tests.factories import ExperimentPageFactory
from tests.search_helpers import publish

pytestmark = pytest.mark.django_db
UNREACHABLE = "http://127.0.0.1:9"  # nothing listens there: Elasticsearch is down


def test_changes_made_while_elasticsearch_is_down_are_applied_when_it_is_back(
    client, es_settings, django_capture_on_commit_callbacks
):
    engine, live_url = es_settings.es_engine, es_settings.ELASTICSEARCH_URL
    # Three pages published and indexed while Elasticsearch is up, to change while it is down.
    withdrawn, deleted, amended = (
        publish(ExperimentPageFactory(title=f"Geïndexeerd {n}"), django_capture_on_commit_callbacks)
        for n in range(3)
    )
    call_command("search_index", "process_queue", verbosity=0)
    assert not IndexQueueEntry.objects.exists()
    es_settings.ELASTICSEARCH_URL = UNREACHABLE

    new_pages = [
        publish(
            ExperimentPageFactory(title=f"Wachtrijproef {n}"), django_capture_on_commit_callbacks
        )
        for n in range(3)
    ]
    amended.title = "Omgedoopte wachtrijtitel"  # an already indexed page changes: nothing stale
    publish(amended, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        withdrawn.unpublish()
    with django_capture_on_commit_callbacks(execute=True):
        ExperimentPage.objects.get(pk=deleted.pk).delete()
    with django_capture_on_commit_callbacks(execute=True):
        new_pages[0].unpublish()

    # Every publish went through; the changes wait in the queue.
    assert all(p.live for p in new_pages[1:])
    assert IndexQueueEntry.objects.exists()
    # Meanwhile the search page answers from the database, and says so.
    data = client.get("/zoeken/", {"q": "wachtrijproef", "format": "json"}).json()
    assert data["engine"] == "database"
    assert {r["id"] for r in data["results"]} == {p.pk for p in new_pages[1:]}
    assert data["notices"]

    es_settings.ELASTICSEARCH_URL = live_url
    call_command("search_index", "process_queue", verbosity=0)

    engine.refresh()
    expected = {doc["page_id"] for doc in iter_documents()}
    assert engine.document_ids() == expected
    assert set(SearchDocument.objects.values_list("page_id", flat=True)) == expected
    assert not IndexQueueEntry.objects.exists()
    data = client.get("/zoeken/", {"q": "wachtrijproef", "format": "json"}).json()
    assert data["engine"] == "elasticsearch"
    assert {r["id"] for r in data["results"]} == {p.pk for p in new_pages[1:]}
    renamed = engine.search(
        SearchQuery(text="omgedoopte"), SearchQuery(text="omgedoopte").clauses()
    )
    assert [hit.page_id for hit in renamed.hits] == [amended.pk]


def test_process_queue_says_when_elasticsearch_still_does_not_answer(
    es_settings, django_capture_on_commit_callbacks
):
    es_settings.ELASTICSEARCH_URL = UNREACHABLE
    publish(ExperimentPageFactory(title="Nog in de wachtrij"), django_capture_on_commit_callbacks)
    with pytest.raises(Exception, match="left in the queue"):
        call_command("search_index", "process_queue", verbosity=0)
    entry = IndexQueueEntry.objects.first()
    assert entry.attempts >= 1 and entry.last_error


def test_status_reports_drift_and_sync_repairs_it(es_settings):
    engine = es_settings.es_engine
    gone_from_es, gone_from_db = SearchDocument.objects.values_list("page_id", flat=True)[:2]
    engine.delete_documents([gone_from_es])
    delete_documents([gone_from_db])

    out = StringIO()
    call_command("search_index", "status", stdout=out)
    report = out.getvalue()
    assert "Database index:" in report and f"1 missing (e.g. {gone_from_db})" in report
    assert f"1 missing (e.g. {gone_from_es})" in report

    call_command("search_index", "sync", verbosity=0)
    out = StringIO()
    call_command("search_index", "status", stdout=out)
    assert out.getvalue().count("in step") == 2, out.getvalue()


def test_searches_during_a_rebuild_all_succeed(es_settings):
    engine = es_settings.es_engine
    query = SearchQuery(text="wijk")
    clauses = query.clauses()
    expected = engine.search(query, clauses).total
    totals, errors, stop = [], [], threading.Event()

    def search_in_a_loop():
        while not stop.is_set():
            try:
                totals.append(engine.search(query, clauses).total)
            except Exception as error:  # noqa: BLE001 — any failure is what the test looks for
                errors.append(error)

    # The rebuild waits this long before deleting the old index (for searches still on it).
    es_settings.ELASTICSEARCH_TIMEOUT = 1
    searcher = threading.Thread(target=search_in_a_loop)
    searcher.start()
    try:
        call_command("search_index", "rebuild", verbosity=0)
        call_command("search_index", "rebuild", verbosity=0)
    finally:
        stop.set()
        searcher.join()
    assert not errors
    assert len(totals) > 5
    assert set(totals) == {expected}
