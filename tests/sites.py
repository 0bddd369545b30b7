"""The site as a real server process, for tests that must not run inside the test client's
transaction: the browser tests, simultaneous requests (a burst against a rate limit, concurrent
publishing), a hanging search engine.

Why a separate process and not pytest-django's live_server: live_server needs transactional_db,
which empties every table after each test, and the rest of the suite relies on the demo data
tests/conftest.py loads once per session.

Each site gets its own database (a fresh SQLite file, or a fresh PostgreSQL database next to
the one DATABASE_URL names), is prepared by a script run in its own process (migrations and
whatever the test needs), and is served by `manage.py runserver` (threaded) on a free port,
polled until it answers. Nothing here sleeps for a fixed time.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import uuid
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parents[1]
SERVER_START_TIMEOUT = 120  # seconds: migrations and demo content take ~10-20 s here


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_up(url: str, process: subprocess.Popen, log_path: Path, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while True:
        if process.poll() is not None:
            raise RuntimeError(
                f"The test site stopped (exit {process.returncode}):\n{log_path.read_text()[-4000:]}"
            )
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        if time.monotonic() > deadline:
            raise RuntimeError(
                f"The test site did not answer at {url} within {timeout} s:\n"
                f"{log_path.read_text()[-4000:]}"
            )
        time.sleep(0.1)  # polling interval of the wait loop, not a fixed wait


@dataclass
class Site:
    url: str
    workdir: Path
    env: dict
    facts: dict = field(default_factory=dict)
    log_path: Path | None = None

    def __call__(self, path: str) -> str:
        return self.url + path

    @property
    def mail_dir(self) -> Path:
        return self.workdir / "mail"

    def mails(self) -> list[str]:
        """Every message the site sent so far (the file backend writes one file per connection)."""
        if not self.mail_dir.exists():
            return []
        return [p.read_text(errors="replace") for p in sorted(self.mail_dir.iterdir())]

    def log_tail(self, chars=4000) -> str:
        if self.log_path and self.log_path.exists():
            return self.log_path.read_text(errors="replace")[-chars:]
        return ""

    @property
    def database(self) -> Path:
        """The site's SQLite file (sites on PostgreSQL have none)."""
        url = self.env["DATABASE_URL"]
        if not url.startswith("sqlite:///"):
            raise ValueError(f"not a SQLite site: {url}")
        return Path(url.removeprefix("sqlite:///"))

    def query(self, sql: str, params=()) -> list[tuple]:
        """Read the site's own SQLite database (what it really stored), read-only."""
        with sqlite3.connect(f"file:{self.database}?mode=ro", uri=True) as connection:
            return connection.execute(sql, params).fetchall()

    def manage(self, *args, timeout=300, check=True) -> subprocess.CompletedProcess:
        """Run a management command against this site's database and settings."""
        done = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=PROJECT_DIR,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        if check and done.returncode != 0:
            raise RuntimeError(
                f"manage.py {' '.join(args)} failed:\n{done.stdout[-2000:]}\n{done.stderr[-4000:]}"
            )
        return done


@contextmanager
def site_database(workdir: Path):
    """A DATABASE_URL of a database of its own: a SQLite file, or, when the suite runs on
    PostgreSQL (DATABASE_URL), a new database on that server, dropped afterwards."""
    base = os.environ.get("DATABASE_URL", "")
    if not base.startswith(("postgres://", "postgresql://")):
        yield f"sqlite:///{workdir / 'site.sqlite3'}"
        return
    import dj_database_url
    import psycopg

    config = dj_database_url.parse(base)
    name = f"kk_site_{uuid.uuid4().hex[:10]}"
    connect = dict(
        host=config["HOST"] or None,
        port=config["PORT"] or None,
        user=config["USER"],
        password=config["PASSWORD"],
        dbname="postgres",
        autocommit=True,
    )
    with psycopg.connect(**connect) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    try:
        yield base.rsplit("/", 1)[0] + "/" + name
    finally:
        with psycopg.connect(**connect) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def site_env(workdir: Path, database_url: str, **extra) -> dict:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "website.settings.test",
        "DATABASE_URL": database_url,
        "MEDIA_ROOT": str(workdir / "media"),
        "STATIC_ROOT": str(workdir / "static"),
        "EMAIL_FILE_PATH": str(workdir / "mail"),
        "PYTHONUNBUFFERED": "1",
        "DEBUG": "false",
    }
    for name in ("ELASTICSEARCH_URL", "REDIS_URL"):  # the embedded defaults, whatever the shell has
        env.pop(name, None)
    # Production's search timeout, not the test settings' (empty means the default there).
    env["ELASTICSEARCH_TIMEOUT"] = ""
    env.update({k: str(v) for k, v in extra.items()})
    return env


def prepare(env: dict, script: Path, *args: str) -> dict:
    """Run a preparation script in the site's environment; it prints one line of JSON last."""
    done = subprocess.run(
        [sys.executable, str(script), *args],
        cwd=PROJECT_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    if done.returncode != 0:
        raise RuntimeError(
            f"Preparing the test site failed:\n{done.stdout[-3000:]}\n{done.stderr[-4000:]}"
        )
    return json.loads(done.stdout.strip().splitlines()[-1])


def _server_command(server: str, port: int, workers: int) -> list[str]:
    if server == "gunicorn":
        # The production app server with the site's own configuration (website/gunicorn_conf.py),
        # on a port of its own; more threads than production, for the concurrency tests.
        return [
            sys.executable,
            "-m",
            "gunicorn",
            "-c",
            "python:website.gunicorn_conf",
            "website.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--threads",
            "8",
            "--timeout",
            "120",
        ]
    # runserver serves the static files too (--insecure, with DEBUG off), which the browser needs.
    return [
        sys.executable,
        "manage.py",
        "runserver",
        f"127.0.0.1:{port}",
        "--noreload",
        "--insecure",
    ]


@contextmanager
def serve(
    env: dict,
    workdir: Path,
    facts: dict | None = None,
    name: str = "server",
    server="runserver",
    workers: int = 2,
    port: int | None = None,
):
    """Serve the prepared site until the block ends: with runserver (one thread per request), or
    with gunicorn (server="gunicorn", `workers` processes of 8 threads) as production does; on
    `port`, or on a free one."""
    port = port or free_port()
    url = f"http://127.0.0.1:{port}"
    log_path = workdir / f"{name}.log"
    with open(log_path, "w") as log:
        process = subprocess.Popen(
            _server_command(server, port, workers),
            cwd=PROJECT_DIR,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        wait_until_up(url + "/", process, log_path, SERVER_START_TIMEOUT)
        yield Site(url=url, workdir=workdir, env=env, facts=facts or {}, log_path=log_path)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@contextmanager
def workdir(prefix: str):
    path = Path(tempfile.mkdtemp(prefix=prefix))
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)
