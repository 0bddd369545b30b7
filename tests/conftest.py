"""Shared fixtures. The test database is built once per session (migrations, vocabulary,
site structure and a small demo set); each test then runs in a transaction that is rolled
back, so tests can add and change content freely."""

import os
import subprocess
from pathlib import Path

import pytest
from django.core.management import call_command


def pytest_collection_modifyitems(items):
    # The browser tests run last: Playwright leaves an event loop running in this process, and
    # after it Django refuses synchronous ORM calls in the tests that would follow.
    items.sort(key=lambda item: item.get_closest_marker("browser") is not None)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        # The hand-written corpus, and generated pages up to 140 in all (so that every kind of
        # page has generated items too, whatever the corpus holds).
        call_command("load_demo", size=140, seed=2007, skip_admin_indexes=True, verbosity=0)


@pytest.fixture(autouse=True)
def fresh_cache():
    # Rate-limit counters, cached lookups and a tripped Elasticsearch breaker must not leak
    # from one test into the next.
    from django.core.cache import cache

    from search.engines.breaker import breaker

    cache.clear()
    breaker.reset()


@pytest.fixture
def rotterdam_without_demo(db):
    """Rotterdam without the session's demo experiments, for tests that count what Rotterdam
    has (deleted inside the test's transaction: they are back for the next test)."""
    from experiments.models import ExperimentPage

    for page in ExperimentPage.objects.filter(municipality__slug="rotterdam"):
        page.delete()


@pytest.fixture
def structure(db):
    from website.structure import ensure_site_structure

    return ensure_site_structure()


# --- Roles: the groups setup_roles makes, and clients of their members -------------------------


@pytest.fixture
def roles(db):
    from editorial.setup import setup_roles

    return setup_roles()


@pytest.fixture
def rotterdam(roles, client):
    """A logged-in client of a Rotterdam editor (user "redactie-rotterdam")."""
    from tests.helpers import log_in
    from tests.roles_helpers import municipality_editor

    log_in(client, municipality_editor("rotterdam", "redactie-rotterdam"))
    return client


@pytest.fixture
def moderator_client(roles):
    """A logged-in client of a moderator (user "redacteur"), second step included."""
    from django.test import Client

    from tests.helpers import log_in
    from tests.roles_helpers import moderator

    client = Client()
    log_in(client, moderator())
    return client


@pytest.fixture
def admin_client(client, django_user_model):
    """A client logged in as an administrator, second step included (tests/helpers.log_in)."""
    from tests.helpers import log_in

    user = django_user_model.objects.create_superuser(
        "beheerder", "beheer@example.org", "geheim-wachtwoord"
    )
    log_in(client, user)
    return client


@pytest.fixture(scope="session")
def live_site():
    """The site in a server process of its own, started once per session by the first test that
    asks (tests/sites.py): a fresh SQLite file; tests/browser/prepare_site.py (migrate, load_demo
    --size 140 --seed 2007, setup_roles, a Rotterdam editor and a moderator with an authenticator
    app, one published amendment); runserver. It runs behind one trusted proxy
    (TRUSTED_PROXY_COUNT=1): a test may send X-Forwarded-For to be a client of its own, while
    requests without that header (the browser's) count as 127.0.0.1."""
    from tests.sites import PROJECT_DIR, prepare, serve, site_env, workdir

    with workdir("kennisloket-site-") as folder:
        env = site_env(folder, f"sqlite:///{folder / 'site.sqlite3'}", TRUSTED_PROXY_COUNT=1)
        facts = prepare(env, PROJECT_DIR / "tests" / "browser" / "prepare_site.py")
        with serve(env, folder, facts) as site:
            yield site


# --- Elasticsearch --------------------------------------------------------------------------
# One real Elasticsearch node per test session, started by ops/elasticsearch/es.sh (Elastic's
# own 8.19 server from Maven Central) the first time a test asks for it, and stopped at the
# end if this session started it. ELASTICSEARCH_TEST_URL points at a node you run yourself.
# In CI (CI=true) a missing Elasticsearch fails the tests; on a laptop they skip, saying why.

ES_SCRIPT = Path(__file__).resolve().parent.parent / "ops" / "elasticsearch" / "es.sh"


def _missing_service(message: str, service: str = "Elasticsearch"):
    if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        pytest.fail(f"{message} (CI needs a real {service}: no skipping)", pytrace=False)
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


# --- Redis ------------------------------------------------------------------------------------
# A real Redis server (Debian's redis-server; .ci/run installs it) for the tests of the shared
# cache, started on a free port in a folder of its own and stopped at the end of the session.


class RedisServer:
    def __init__(self, folder: Path):
        from tests.sites import free_port

        self.folder, self.port = folder, free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process = None

    def start(self):
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.folder),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.STDOUT,
        )
        self.wait(answering=True)

    def stop(self):
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None

    def wait(self, answering: bool, timeout: float = 10.0):
        import time

        import redis

        client = redis.Redis(port=self.port, socket_connect_timeout=0.2)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                up = bool(client.ping())
            except redis.exceptions.ConnectionError:
                up = False
            if up == answering:
                return
            time.sleep(0.05)
        raise RuntimeError(f"Redis on port {self.port} did not {'start' if answering else 'stop'}")


@pytest.fixture(scope="session")
def redis_server(tmp_path_factory):
    import shutil

    if shutil.which("redis-server") is None:
        _missing_service("redis-server is not installed (apt-get install redis-server)", "Redis")
    server = RedisServer(tmp_path_factory.mktemp("redis"))
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(autouse=True)
def fresh_page_cache():
    # Pages and per-process lookups are kept under the state of the content, which a rolled-back
    # test restores; a test that changes settings must not see another test's pages either.
    from django.core.cache import caches

    from core import freshness

    caches["pages"].clear()
    freshness.clear_memos()
