"""manage.py search_index rebuild | status | sync | process_queue [--loop SECONDS]"""

import json
import logging
import time

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from search.engines import elasticsearch_engine
from search.engines.base import SearchUnavailable
from search.indexing import (
    MAX_REFUSALS,
    drift,
    process_queue,
    queue_for_elasticsearch,
    rebuild_database_index,
    stored_documents,
    sync,
)
from search.models import IndexQueueEntry, SearchDocument

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = (
        "Look after the public search index. rebuild: build the database index and (if "
        "ELASTICSEARCH_URL is set) a new Elasticsearch index swapped in behind the alias; "
        "status: counts and drift between the published pages and the indexes; sync: repair "
        "drift; process_queue: the index worker, applying the outbox to the database index and "
        "Elasticsearch (with --loop it keeps running)."
    )

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["rebuild", "status", "sync", "process_queue"])
        parser.add_argument("--json", action="store_true", help="status: print JSON.")
        parser.add_argument(
            "--loop",
            type=float,
            default=0,
            metavar="SECONDS",
            help="process_queue: keep running, looking at the outbox every SECONDS (the index worker).",
        )

    def handle(self, *args, action, **options):
        self.verbosity = options["verbosity"]
        getattr(self, action)(**options)

    def rebuild(self, **options):
        started = time.monotonic()
        count = rebuild_database_index()
        self._say(f"Database index: {count} documents in {time.monotonic() - started:.1f} s.")
        engine = elasticsearch_engine()
        if engine is None:
            return
        started, started_at = time.monotonic(), timezone.now()
        try:
            count = engine.rebuild(stored_documents())
        except SearchUnavailable as error:
            IndexQueueEntry.objects.create(
                action=IndexQueueEntry.Action.REBUILD, target=IndexQueueEntry.Target.ELASTICSEARCH
            )
            raise CommandError(
                f"Elasticsearch did not answer ({error}); a rebuild is queued for process_queue."
            ) from error
        # Changes queued before this rebuild are in it now. Changes made while it ran went to
        # the old index: send those pages again, and remove pages deleted meanwhile.
        IndexQueueEntry.objects.filter(
            target=IndexQueueEntry.Target.ELASTICSEARCH, created_at__lt=started_at
        ).delete()
        changed = set(
            SearchDocument.objects.filter(indexed_at__gte=started_at).values_list(
                "page_id", flat=True
            )
        )
        try:
            gone = engine.document_ids() - set(
                SearchDocument.objects.values_list("page_id", flat=True)
            )
        except SearchUnavailable:
            gone = set()
        queue_for_elasticsearch(changed | gone)
        process_queue(engine)
        self._say(f"Elasticsearch index: {count} documents in {time.monotonic() - started:.1f} s.")

    def status(self, **options):
        report = drift()
        if options["json"]:
            self.stdout.write(json.dumps(report, indent=2))
            return
        self.stdout.write(f"Published public pages: {report['pages']}")
        self._report_index("Database index", report["database"])
        if "elasticsearch" in report:
            self._report_index("Elasticsearch", report["elasticsearch"])
        else:
            self.stdout.write("Elasticsearch: not configured (ELASTICSEARCH_URL is empty)")
        self.stdout.write(f"Changes waiting in the outbox: {report['queue']}")
        for entry in report["set_aside"]:
            self.stdout.write(
                f"Set aside (failed {MAX_REFUSALS} times; `sync` retries): page {entry['page_id']} "
                f"for the {entry['target']} index: {entry['error']}"
            )

    def _report_index(self, name, part):
        if "error" in part:
            self.stdout.write(f"{name}: unreachable ({part['error']})")
            return
        problems = {k: v for k, v in part.items() if k != "documents" and v}
        state = (
            "in step"
            if not problems
            else ", ".join(
                f"{len(v)} {k} (e.g. {', '.join(map(str, v[:5]))})" for k, v in problems.items()
            )
        )
        self.stdout.write(f"{name}: {part['documents']} documents, {state}")

    def sync(self, **options):
        report = sync()
        fixed = sum(len(v) for k, v in report["database"].items() if k != "documents")
        self._say(f"Database index: {fixed} documents repaired.")
        es = report.get("elasticsearch")
        if es and "error" not in es:
            self._say(f"Elasticsearch: {len(es['missing'])} added, {len(es['extra'])} removed.")
        left = IndexQueueEntry.objects.count()
        if left:
            raise CommandError(f"{left} changes are still queued: Elasticsearch did not take them.")

    def process_queue(self, loop: float = 0, **options):
        while True:
            if loop:
                try:
                    done = process_queue()
                except Exception:  # noqa: BLE001 - the worker keeps running; the next round retries
                    logger.exception("Index worker round failed")
                    time.sleep(loop)
                    continue
            else:
                done = process_queue()
            if any(done.values()):
                self._say(", ".join(f"{k}: {v}" for k, v in done.items()))
            if not loop:
                if done["left"]:
                    raise CommandError(
                        f"{done['left']} changes left in the queue: Elasticsearch is not answering."
                    )
                return
            # Poll the outbox (a cheap indexed query) rather than hold a connection open.
            time.sleep(loop)

    def _say(self, text):
        if self.verbosity:
            self.stdout.write(text)
