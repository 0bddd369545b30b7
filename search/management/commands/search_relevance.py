"""Recall@10 and mean reciprocal rank of the relevance set (search/relevance.py) per engine.

Run it on a throwaway database (`make relevance`: a fresh SQLite file in var/relevance/): it
replaces the database index with the set's corpus, inside a transaction that is rolled back
at the end, and refuses to run on a database that holds content pages unless given
--allow-content (the transaction then holds the index's write lock for the whole run). It
searches with the set's own thesaurus, so it writes no cache key at all. On Elasticsearch the
corpus gets an index of its own, dropped afterwards."""

from uuid import uuid4

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from search import relevance
from search.documents import content_page_counts
from search.engines.database import DatabaseEngine, clear_documents, store_documents


class Rollback(Exception):
    pass


class Command(BaseCommand):
    help = (
        "Print recall@10 and mean reciprocal rank of the relevance set on each engine. Run it on "
        "a throwaway database (make relevance)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--elasticsearch-url",
            default=settings.ELASTICSEARCH_URL,
            help="Elasticsearch to measure too (default: ELASTICSEARCH_URL)",
        )
        parser.add_argument(
            "--misses", action="store_true", help="List the queries that miss a document."
        )
        parser.add_argument(
            "--allow-content",
            action="store_true",
            help="Run on a database with content pages too: its search index is replaced "
            "(and locked) until the run ends and is rolled back.",
        )

    def handle(self, *args, elasticsearch_url, misses, allow_content, **options):
        pages = content_page_counts()
        if pages and not allow_content:
            raise CommandError(
                "Refusing to run: this database holds content pages ("
                + ", ".join(f"{n} {name}" for name, n in pages.items())
                + "), and the relevance set replaces its search index while it runs. Use a throwaway "
                "database (make relevance), or --allow-content."
            )
        engines = [DatabaseEngine()]
        if elasticsearch_url:
            from search.engines.elasticsearch import ElasticsearchEngine

            engines.append(
                ElasticsearchEngine(
                    elasticsearch_url, f"kk-relevance-{uuid4().hex[:8]}", timeout=10
                )
            )
        self.stdout.write(
            f"{len(relevance.QUERIES)} queries, {len(relevance.documents())} documents, top {relevance.TOP}"
        )
        self.stdout.write(f"{'engine':<15}{'recall@10':>10}{'MRR':>8}{'complete':>10}")
        try:
            with transaction.atomic():
                clear_documents()
                store_documents(relevance.documents())
                for engine in engines:
                    self._measure(engine, misses)
                raise Rollback
        except Rollback:
            pass

    def _measure(self, engine, misses):
        if engine.name == "elasticsearch":
            engine.rebuild(relevance.documents())
        try:
            results = relevance.run(engine)
        finally:
            if engine.name == "elasticsearch":
                engine.drop()
        recall, mrr = relevance.summary(results)
        complete = sum(1 for r in results if r.recall == 1)
        self.stdout.write(
            f"{engine.name:<15}{recall:>10.3f}{mrr:>8.3f}{complete:>6}/{len(results)}"
        )
        if misses:
            for r in results:
                if r.recall < 1:
                    self.stdout.write(
                        f"  miss: {r.text!r} ({r.kind}) wanted {r.expected}, top 10 {r.found}"
                    )
