"""The two search engines behind one interface (see base.SearchEngine), chosen by settings:
ELASTICSEARCH_URL set → Elasticsearch, unset → the database engine."""

from django.conf import settings


def database_engine():
    from .database import DatabaseEngine

    return DatabaseEngine()


def elasticsearch_engine():
    """The Elasticsearch engine if ELASTICSEARCH_URL is set, else None."""
    if not settings.ELASTICSEARCH_URL:
        return None
    from .elasticsearch import ElasticsearchEngine

    return ElasticsearchEngine.from_settings()


def configured_engine():
    return elasticsearch_engine() or database_engine()
