"""Keeping both indexes true to the published content.

A change marks page ids dirty; after the transaction commits, their documents are rebuilt
from the database as it is then (public → stored, otherwise → removed). The database index
is updated at once. When Elasticsearch is configured, the ids also go into a durable queue
(IndexQueueEntry) that is applied straight away if Elasticsearch answers, and otherwise
later by `manage.py search_index process_queue` — so a publish never fails because
Elasticsearch is down, and nothing is lost.
"""

import logging

from django.db import transaction

from .documents import build_documents, iter_documents
from .engines import elasticsearch_engine
from .engines.base import SearchUnavailable
from .engines.database import clear_documents, delete_documents, store_documents
from .models import IndexQueueEntry, SearchDocument, SearchFacetValue

logger = logging.getLogger(__name__)


def schedule(page_ids) -> None:
    """Reindex these pages once the current transaction commits (at once outside one).
    Nothing happens if it rolls back."""
    page_ids = {int(pk) for pk in page_ids}
    if page_ids:
        transaction.on_commit(lambda: reindex(page_ids), robust=True)


def reindex(page_ids) -> None:
    page_ids = set(page_ids)
    docs = build_documents(page_ids)
    engine = elasticsearch_engine()
    with transaction.atomic():
        delete_documents(page_ids - set(docs))
        store_documents(docs.values())
        entries = []
        if engine is not None:
            entries = IndexQueueEntry.objects.bulk_create(
                IndexQueueEntry(page_id=pk, action=IndexQueueEntry.Action.UPDATE) for pk in sorted(page_ids)
            )
    if entries:
        # Only this change, straight away; a backlog and queued rebuilds are the worker's
        # (process_queue), so a publish never waits for them.
        process_queue(engine, entry_ids=[e.pk for e in entries])


def pages_with_facet_value(facet: str, value: str) -> set[int]:
    """Pages whose document carries a facet value (for a renamed wijk, theme, ...)."""
    return set(
        SearchFacetValue.objects.filter(facet=facet, value=value).values_list("document_id", flat=True)
    )


def process_queue(engine=None, batch_size=500, entry_ids=None) -> dict:
    """Apply queued changes to Elasticsearch (only `entry_ids` if given, never a rebuild
    then). Returns counts; leaves the queue as it is (with the error noted) when
    Elasticsearch does not answer."""
    engine = engine or elasticsearch_engine()
    done = {"updated": 0, "deleted": 0, "rebuilt": 0, "left": 0}
    if engine is None:
        return done
    while True:
        pending = IndexQueueEntry.objects.order_by("id")
        if entry_ids is not None:
            pending = pending.filter(id__in=entry_ids, action=IndexQueueEntry.Action.UPDATE)
        entries = list(pending[:batch_size])
        if not entries:
            break
        try:
            if any(e.action == IndexQueueEntry.Action.REBUILD for e in entries):
                done["rebuilt"] += engine.rebuild(stored_documents())
            else:
                # The database index as it is now decides (it is updated in the same
                # transaction as every change): its documents are (re)sent, others removed.
                page_ids = {e.page_id for e in entries if e.page_id is not None}
                docs = dict(SearchDocument.objects.filter(page_id__in=page_ids).values_list("page_id", "data"))
                engine.index_documents(list(docs.values()))
                engine.delete_documents(sorted(page_ids - set(docs)))
                done["updated"] += len(docs)
                done["deleted"] += len(page_ids - set(docs))
        except SearchUnavailable as error:
            IndexQueueEntry.objects.filter(id__in=[e.id for e in entries]).update(
                attempts=entries[0].attempts + 1, last_error=str(error)[:1000]
            )
            logger.warning("Search index queue kept for later: %s", error)
            done["left"] = IndexQueueEntry.objects.count()
            return done
        IndexQueueEntry.objects.filter(id__in=[e.id for e in entries]).delete()
    return done


def stored_documents(chunk_size=1000):
    """Every document of the database index, as built (what Elasticsearch is sent: the pages
    are read and turned into documents once, by the database index's upkeep)."""
    last = 0
    while True:
        chunk = list(
            SearchDocument.objects.filter(page_id__gt=last).order_by("page_id")
            .values_list("page_id", "data")[:chunk_size]
        )
        if not chunk:
            return
        yield from (data for _, data in chunk)
        last = chunk[-1][0]


def rebuild_database_index() -> int:
    with transaction.atomic():
        clear_documents()
        count, batch = 0, []
        for doc in iter_documents():
            batch.append(doc)
            if len(batch) >= 500:
                store_documents(batch)
                count, batch = count + len(batch), []
        store_documents(batch)
        return count + len(batch)


def drift(engine=None) -> dict:
    """What differs between the published content and the indexes."""
    expected = {doc["page_id"]: doc for doc in iter_documents()}
    stored = dict(SearchDocument.objects.values_list("page_id", "data"))
    report = {
        "pages": len(expected),
        "database": {
            "documents": len(stored),
            "missing": sorted(set(expected) - set(stored)),
            "extra": sorted(set(stored) - set(expected)),
            "stale": sorted(pk for pk in set(expected) & set(stored) if expected[pk] != stored[pk]),
        },
        "queue": IndexQueueEntry.objects.count(),
    }
    engine = engine or elasticsearch_engine()
    if engine is not None:
        try:
            engine.refresh()
            indexed = engine.document_ids()
            report["elasticsearch"] = {
                "documents": len(indexed),
                "missing": sorted(set(expected) - indexed),
                "extra": sorted(indexed - set(expected)),
            }
        except SearchUnavailable as error:
            report["elasticsearch"] = {"error": str(error)}
    return report


def sync(engine=None) -> dict:
    """Repair drift: the database index first, then Elasticsearch via the queue."""
    report = drift(engine)
    db = report["database"]
    reindex_ids = set(db["missing"]) | set(db["extra"]) | set(db["stale"])
    es = report.get("elasticsearch", {})
    es_ids = set(es.get("missing", [])) | set(es.get("extra", []))
    if reindex_ids:
        docs = build_documents(reindex_ids)
        with transaction.atomic():
            delete_documents(reindex_ids - set(docs))
            store_documents(docs.values())
    engine = engine or elasticsearch_engine()
    if engine is not None:
        IndexQueueEntry.objects.bulk_create(
            IndexQueueEntry(page_id=pk, action=IndexQueueEntry.Action.UPDATE)
            for pk in sorted(reindex_ids | es_ids)
        )
        process_queue(engine)
    return report
