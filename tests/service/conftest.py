"""Sites served in their own process, for what the test client cannot show: many editors at
once, and a search engine that hangs. One database is prepared per session (migrations, the
page tree, roles and 60 submitted drafts); each fixture serves it with the settings it needs."""

from __future__ import annotations

import socket
import threading
from pathlib import Path

import pytest
import requests

from tests.sites import prepare, serve, site_database, site_env, workdir

PREPARE_SCRIPT = Path(__file__).resolve().parent / "prepare_registry_site.py"
DRAFTS = 60  # 50 for the concurrent approvals, the rest for single approvals
CONCURRENT = 50


@pytest.fixture(scope="session")
def registry_database():
    """(folder, DATABASE_URL, facts) of the prepared database."""
    with workdir("kennisloket-registry-") as folder, site_database(folder) as database_url:
        env = site_env(folder, database_url)
        facts = prepare(env, PREPARE_SCRIPT, str(DRAFTS))
        yield folder, database_url, facts


def _site_env(folder, database_url, **extra):
    # Plain http on 127.0.0.1: the cookies must not be Secure-only for a script to send them.
    return site_env(
        folder, database_url, SESSION_COOKIE_SECURE="false", CSRF_COOKIE_SECURE="false", **extra
    )


@pytest.fixture(scope="session")
def registry_site(registry_database, elasticsearch_url):
    """The prepared site on the session's real Elasticsearch, under an index of its own."""
    folder, database_url, facts = registry_database
    env = _site_env(
        folder,
        database_url,
        ELASTICSEARCH_URL=elasticsearch_url,
        ELASTICSEARCH_INDEX=f"kk-service-{folder.name[-8:].lower()}",
    )
    site_with_es = serve(env, folder, facts, name="registry-server", server="gunicorn")
    running = site_with_es.__enter__()
    try:
        # The index behind the alias is made from what the prepared database holds.
        running.manage("search_index", "rebuild")
        yield running
    finally:
        site_with_es.__exit__(None, None, None)


class HangingServer:
    """A real listening socket that accepts every connection and never answers: what a hung
    Elasticsearch node looks like from the outside."""

    def __init__(self):
        self.socket = socket.socket()
        self.socket.bind(("127.0.0.1", 0))
        self.socket.listen(64)
        self.url = f"http://127.0.0.1:{self.socket.getsockname()[1]}"
        self.connections: list[socket.socket] = []
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def _accept(self):
        while True:
            try:
                connection, _ = self.socket.accept()
            except OSError:  # closed
                return
            self.connections.append(connection)  # kept open, never read from or answered

    def close(self):
        self.socket.close()
        for connection in self.connections:
            connection.close()


@pytest.fixture(scope="session")
def hanging_elasticsearch():
    server = HangingServer()
    yield server
    server.close()


@pytest.fixture(scope="session")
def hanging_es_site(registry_database, hanging_elasticsearch):
    """The same prepared site, configured with an Elasticsearch that accepts and never answers.
    One worker process: the circuit breaker is per process, so each process's first search
    waits for the timeout once, and the test follows one process through it."""
    folder, database_url, facts = registry_database
    env = _site_env(folder, database_url, ELASTICSEARCH_URL=hanging_elasticsearch.url)
    with serve(
        env, folder, facts, name="hanging-es-server", server="gunicorn", workers=1
    ) as running:
        yield running


def login_as_moderator(site, which: int) -> requests.Session:
    """A browser-like session of moderator `which`, logged in through the admin's own login form
    and its second step, with the code the moderator's authenticator app shows now."""
    from django_otp.oath import TOTP

    moderator = site.facts["moderators"][which]
    session = requests.Session()
    login_url = site(site.facts["login_url"])
    session.get(login_url, timeout=30).raise_for_status()
    response = session.post(
        login_url,
        data={
            "username": moderator["username"],
            "password": site.facts["password"],
            "csrfmiddlewaretoken": session.cookies["csrftoken"],
            "next": "/admin/",
        },
        headers={"Referer": login_url},
        allow_redirects=False,
        timeout=30,
    )
    assert response.status_code == 302, f"login failed: {response.status_code}"
    code = f"{TOTP(bytes.fromhex(moderator['totp_key'])).token():06d}"
    response = post_as(session, site, site.facts["second_step_url"], {"code": code}, timeout=30)
    assert response.status_code == 302 and "2fa" not in response.headers["Location"], (
        f"second step failed: {response.status_code}"
    )
    session.cookies.update(response.cookies)  # the session id is renewed after the second step
    return session


def post_as(
    session: requests.Session, site, path: str, data: dict | None = None, timeout=120
) -> requests.Response:
    token = session.cookies["csrftoken"]
    return requests.post(
        site(path),
        data={"csrfmiddlewaretoken": token, **(data or {})},
        cookies=session.cookies.get_dict(),
        headers={"Referer": site("/admin/"), "X-CSRFToken": token},
        allow_redirects=False,
        timeout=timeout,
    )
