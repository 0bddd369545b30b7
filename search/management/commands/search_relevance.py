"""Recall@10 and mean reciprocal rank of the relevance set (search/relevance.py) per engine.

The corpus replaces the database index inside a transaction that is rolled back at the end,
so any database will do; on Elasticsearch it gets an index of its own, dropped afterwards."""

from uuid import uuid4

from django.conf import settings
from django.core.cache import cache
from django.core.management.base import BaseCommand
from django.db import transaction

from search import relevance
from search.engines.database import DatabaseEngine, clear_documents, store_documents
from search.models import Synonym


class Rollback(Exception):
    pass


class Command(BaseCommand):
    help = "Print recall@10 and mean reciprocal rank of the relevance set on each engine."

    def add_arguments(self, parser):
        parser.add_argument("--elasticsearch-url", default=settings.ELASTICSEARCH_URL,
                            help="Elasticsearch to measure too (default: ELASTICSEARCH_URL)")
        parser.add_argument("--misses", action="store_true", help="List the queries that miss a document.")

    def handle(self, *args, elasticsearch_url, misses, **options):
        engines = [DatabaseEngine()]
        if elasticsearch_url:
            from search.engines.elasticsearch import ElasticsearchEngine

            engines.append(ElasticsearchEngine(elasticsearch_url, f"kk-relevance-{uuid4().hex[:8]}", timeout=10))
        self.stdout.write(f"{len(relevance.QUERIES)} queries, {len(relevance.documents())} documents, top {relevance.TOP}")
        self.stdout.write(f"{'engine':<15}{'recall@10':>10}{'MRR':>8}{'complete':>10}")
        try:
            with transaction.atomic():
                clear_documents()
                store_documents(relevance.documents())
                for terms in relevance.SYNONYMS:
                    Synonym.objects.create(terms=terms)
                for engine in engines:
                    self._measure(engine, misses)
                raise Rollback
        except Rollback:
            pass
        finally:
            cache.clear()  # the thesaurus and lookups cached during the run

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
        self.stdout.write(f"{engine.name:<15}{recall:>10.3f}{mrr:>8.3f}{complete:>6}/{len(results)}")
        if misses:
            for r in results:
                if r.recall < 1:
                    self.stdout.write(f"  miss: {r.text!r} ({r.kind}) wanted {r.expected}, top 10 {r.found}")
