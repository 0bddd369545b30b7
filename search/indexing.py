"""Keeping both indexes true to the published content, through an outbox.

1. A change (publish, unpublish, delete, move, privacy, a renamed vocabulary item) records
   which pages need their document rebuilt as rows of IndexQueueEntry (target "database"),
   inside the transaction that makes the change: both commit, or neither does.
2. Right after the commit, `apply_database_entries` rebuilds those documents in the database
   index from the pages as they are then, and turns the rows into "elasticsearch" rows when
   Elasticsearch is configured, in one transaction. If that fails (the database is busy), the
   rows stay and the next application or the worker does it.
3. The index worker (`search_index process_queue --loop 1`) applies what is left for the
   database index and sends the "elasticsearch" rows. Elasticsearch is never written to inside
   a request, so a slow or hanging Elasticsearch costs no editor any time; while it does not
   answer, the rows wait (search/engines/breaker.py decides when to try again).
"""

import logging

from django.conf import settings
from django.db import DatabaseError, transaction
from django.db.models import F
from wagtail.models import Page

from .documents import build_documents, iter_documents
from .engines import elasticsearch_engine
from .engines.base import DocumentsRefused, SearchUnavailable
from .engines.breaker import breaker
from .engines.database import clear_documents, delete_documents, store_documents
from .models import IndexQueueEntry, SearchDocument, SearchFacetValue

logger = logging.getLogger(__name__)
Entry = IndexQueueEntry


# An entry whose own document fails this often (it cannot be built, Elasticsearch refuses it)
# is set aside: it no longer holds up the others, and `search_index status` shows it.
MAX_REFUSALS = 3


def schedule(page_ids) -> None:
    """Record, in the current transaction, that these pages' documents must be rebuilt, and
    rebuild them once it commits (at once outside a transaction). Nothing is recorded if it
    rolls back."""
    page_ids = sorted({int(pk) for pk in page_ids})
    if not page_ids:
        return
    entries = Entry.objects.bulk_create(
        Entry(page_id=pk, action=Entry.Action.UPDATE, target=Entry.Target.DATABASE)
        for pk in page_ids
    )
    entry_ids = [e.pk for e in entries]
    # Only this change's entries, right after its commit: a backlog (a renamed wijk on thousands
    # of pages, what failed earlier) is the worker's, so no editor's request waits for it.
    transaction.on_commit(lambda: apply_database_entries(entry_ids=entry_ids), robust=True)


def pending(target):
    """Entries still to apply to `target`, oldest first (not the ones set aside)."""
    return Entry.objects.filter(target=target, refusals__lt=MAX_REFUSALS).order_by("id")


def apply_database_entries(batch_size=500, entry_ids=None) -> int:
    """Rebuild the documents the outbox asks for (only `entry_ids` if given), oldest first.
    Returns how many entries were applied; a database error leaves the rest for later (one log
    line) instead of failing the request that committed the change."""
    entries = pending(Entry.Target.DATABASE)
    if entry_ids is not None:
        entries = entries.filter(id__in=entry_ids)
    applied, failed_now = 0, set()
    while True:
        try:
            done, failed = _apply_database_batch(entries.exclude(id__in=failed_now), batch_size)
        except DatabaseError as error:
            logger.warning(
                "Search index update postponed, the index worker will apply it: %s", error
            )
            return applied
        if not done:
            return applied
        applied += done - len(failed)
        failed_now |= failed  # tried again in a later round, not in this one


def _rebuild_documents(page_ids) -> None:
    docs = build_documents(page_ids)
    delete_documents(page_ids - set(docs))
    store_documents(docs.values())


def _apply_database_batch(entries, batch_size) -> int:
    with transaction.atomic():
        # Two app servers applying at once each take their own rows (PostgreSQL; SQLite runs
        # one writing transaction at a time anyway).
        batch = list(entries.select_for_update(skip_locked=True)[:batch_size])
        if not batch:
            return 0, set()
        page_ids = {e.page_id for e in batch if e.page_id is not None}
        # Wait for any transaction still changing these pages, so the documents are built from
        # their latest committed state and an older state can never be written last.
        list(
            Page.objects.select_for_update()
            .filter(pk__in=page_ids)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        failed = {}
        try:
            with transaction.atomic():
                _rebuild_documents(page_ids)
        except DatabaseError:
            raise
        except Exception:  # noqa: BLE001 - a page whose document cannot be built is a bug: find it
            logger.exception("Building search documents failed; trying the pages one by one")
            for pk in sorted(page_ids):
                try:
                    with transaction.atomic():
                        _rebuild_documents({pk})
                except DatabaseError:
                    raise
                except Exception as error:  # noqa: BLE001
                    failed[pk] = f"{type(error).__name__}: {error}"
        queue_for_elasticsearch(page_ids - set(failed))
        return len(batch), _set_aside(batch, failed)


def _set_aside(batch, failed: dict) -> set[int]:
    """Delete the applied entries; count a refusal on the entries of pages that failed, and
    return those entries' ids."""
    kept = {e.pk for e in batch if e.page_id in failed}
    Entry.objects.filter(pk__in=[e.pk for e in batch if e.pk not in kept]).delete()
    for entry in batch:
        if entry.pk in kept:
            Entry.objects.filter(pk=entry.pk).update(
                refusals=F("refusals") + 1,
                attempts=F("attempts") + 1,
                last_error=failed[entry.page_id][:1000],
            )
    if failed:
        logger.warning(
            "Search index: pages %s failed and wait for a retry (%s)",
            sorted(failed),
            next(iter(failed.values())),
        )
    return kept


def pages_with_facet_value(facet: str, value: str) -> set[int]:
    """Pages whose document carries a facet value (for a renamed wijk, theme, ...)."""
    return set(
        SearchFacetValue.objects.filter(facet=facet, value=value).values_list(
            "document_id", flat=True
        )
    )


def process_queue(engine=None, batch_size=500) -> dict:
    """The index worker's round: apply what the database index still has to take, then send
    the queued changes to Elasticsearch. Returns counts; while Elasticsearch does not answer
    its rows stay (with the error noted) and `left` says how many."""
    done = {
        "database": apply_database_entries(batch_size),
        "updated": 0,
        "deleted": 0,
        "rebuilt": 0,
        "left": 0,
    }
    engine = engine or elasticsearch_engine()
    if engine is None:
        return done
    entries_for_es = pending(Entry.Target.ELASTICSEARCH)
    if breaker.is_open(engine.url):
        done["left"] = entries_for_es.count()
        return done
    failed_now = set()
    while True:
        batch = list(entries_for_es.exclude(id__in=failed_now)[:batch_size])
        if not batch:
            break
        refused = {}
        try:
            if any(e.action == Entry.Action.REBUILD for e in batch):
                done["rebuilt"] += engine.rebuild(stored_documents())
            else:
                # The database index as it is now decides: its documents are (re)sent, others
                # removed.
                page_ids = {e.page_id for e in batch if e.page_id is not None}
                docs = dict(
                    SearchDocument.objects.filter(page_id__in=page_ids).values_list(
                        "page_id", "data"
                    )
                )
                try:
                    engine.index_documents(list(docs.values()))
                except DocumentsRefused as error:  # those documents' own fault: the rest went in
                    refused = {pk: str(error) for pk in error.page_ids}
                engine.delete_documents(sorted(page_ids - set(docs)))
                done["updated"] += len(docs) - len(refused)
                done["deleted"] += len(page_ids - set(docs))
        except SearchUnavailable as error:
            breaker.failed(engine.url, str(error), settings.ELASTICSEARCH_RETRY_AFTER, "indexing")
            Entry.objects.filter(id__in=[e.id for e in batch]).update(
                attempts=F("attempts") + 1, last_error=str(error)[:1000]
            )
            done["left"] = entries_for_es.count()
            return done
        breaker.succeeded(engine.url)
        failed_now |= _set_aside(batch, refused)
    return done


def stored_documents(chunk_size=1000):
    """Every document of the database index, as built (what Elasticsearch is sent: the pages
    are read and turned into documents once, by the database index's upkeep)."""
    last = 0
    while True:
        chunk = list(
            SearchDocument.objects.filter(page_id__gt=last)
            .order_by("page_id")
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
        "queue": Entry.objects.count(),
        "set_aside": [
            {"page_id": e.page_id, "target": e.target, "error": e.last_error}
            for e in Entry.objects.filter(refusals__gte=MAX_REFUSALS).order_by("id")[:100]
        ],
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
    # Pages only Elasticsearch is wrong about; the others reach it through the database index.
    es_only = (set(es.get("missing", [])) | set(es.get("extra", []))) - reindex_ids
    with transaction.atomic():
        # What was set aside gets another chance (the fault may have been mended since).
        Entry.objects.filter(refusals__gte=MAX_REFUSALS).update(refusals=0)
        schedule(reindex_ids)
        queue_for_elasticsearch(es_only)
    process_queue(engine)
    return report


def queue_for_elasticsearch(page_ids) -> None:
    """Have the worker send these pages' stored documents (or their removal) to Elasticsearch."""
    if settings.ELASTICSEARCH_URL:
        Entry.objects.bulk_create(
            Entry(page_id=pk, action=Entry.Action.UPDATE, target=Entry.Target.ELASTICSEARCH)
            for pk in sorted(page_ids)
        )
