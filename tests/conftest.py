"""Shared fixtures. The test database is built once per session (migrations, vocabulary,
site structure and a small demo set); each test then runs in a transaction that is rolled
back, so tests can add and change content freely."""

import pytest
from django.core.management import call_command


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        call_command("load_demo", size=40, seed=2007, skip_admin_indexes=True, verbosity=0)


@pytest.fixture(autouse=True)
def fresh_cache():
    # Rate-limit counters and cached lookups must not leak from one test into the next.
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def structure(db):
    from website.structure import ensure_site_structure

    return ensure_site_structure()


@pytest.fixture
def admin_client(client, django_user_model):
    """A client logged in as an administrator, second step included (tests/helpers.log_in)."""
    from .helpers import log_in

    user = django_user_model.objects.create_superuser("beheerder", "beheer@example.org", "geheim-wachtwoord")
    log_in(client, user)
    return client


@pytest.fixture(scope="session")
def live_site():
    """The site in a server process of its own, on its own SQLite database, started once per
    session by the first test that asks (tests/live_site.py)."""
    from .live_site import running_site

    with running_site() as site:
        yield site


# --- Elasticsearch --------------------------------------------------------------------------
# One real Elasticsearch node per test session, started by ops/elasticsearch/es.sh (Elastic's
# own 8.19 server from Maven Central) the first time a test asks for it, and stopped at the
# end if this session started it. ELASTICSEARCH_TEST_URL points at a node you run yourself.
# In CI (CI=true) a missing Elasticsearch fails the tests; on a laptop they skip, saying why.

import os
import subprocess
from pathlib import Path

ES_SCRIPT = Path(__file__).resolve().parent.parent / "ops" / "elasticsearch" / "es.sh"


def _missing_service(message: str):
    if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        pytest.fail(f"{message} (CI needs a real Elasticsearch: no skipping)", pytrace=False)
    pytest.skip(message)


@pytest.fixture(scope="session")
def elasticsearch_url():
    url = os.environ.get("ELASTICSEARCH_TEST_URL")
    if url:
        yield url.rstrip("/")
        return
    already_running = subprocess.run([str(ES_SCRIPT), "url"], capture_output=True, text=True)
    if already_running.returncode == 0:
        yield already_running.stdout.strip()
        return
    started = subprocess.run([str(ES_SCRIPT), "start"], capture_output=True, text=True)
    if started.returncode != 0:
        _missing_service(
            "Elasticsearch could not be started by ops/elasticsearch/es.sh (needs Java 17+ and "
            "Maven with access to Maven Central):\n" + started.stderr[-2000:]
        )
    try:
        yield started.stdout.strip().splitlines()[-1]
    finally:
        subprocess.run([str(ES_SCRIPT), "stop"], capture_output=True)


@pytest.fixture
def es_settings(elasticsearch_url, settings):
    """Point the site at the session's Elasticsearch under an alias of this test's own, built
    from the current documents; dropped afterwards."""
    from uuid import uuid4

    from search.documents import iter_documents
    from search.engines.elasticsearch import ElasticsearchEngine

    settings.ELASTICSEARCH_URL = elasticsearch_url
    settings.ELASTICSEARCH_INDEX = f"kk-test-{uuid4().hex[:10]}"
    engine = ElasticsearchEngine.from_settings()
    engine.rebuild(iter_documents())
    settings.es_engine = engine
    yield settings
    engine.drop()
