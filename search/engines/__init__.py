"""The two search engines behind one interface (see base.SearchEngine), chosen by settings:
ELASTICSEARCH_URL set → Elasticsearch, unset → the database engine."""

from django.conf import settings

# One client per (url, alias): its connection pool is reused across requests.
_elasticsearch_engines = {}


def database_engine():
    from .database import DatabaseEngine

    return DatabaseEngine()


def elasticsearch_engine():
    """The Elasticsearch engine if ELASTICSEARCH_URL is set, else None."""
    if not settings.ELASTICSEARCH_URL:
        return None
    key = (settings.ELASTICSEARCH_URL, settings.ELASTICSEARCH_INDEX, settings.ELASTICSEARCH_TIMEOUT)
    engine = _elasticsearch_engines.get(key)
    if engine is None:
        from .elasticsearch import ElasticsearchEngine

        engine = _elasticsearch_engines[key] = ElasticsearchEngine.from_settings()
    return engine


def configured_engine():
    return elasticsearch_engine() or database_engine()
