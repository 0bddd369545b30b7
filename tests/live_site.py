"""The site running in a process of its own, for tests that need a real server: the browser
tests (tests/browser/) and tests that send simultaneous requests (a burst against a rate limit).

Why a separate process and not pytest-django's live_server: live_server needs transactional_db,
which empties every table after each test, and the rest of the suite relies on the demo data
tests/conftest.py loads once per session. So the session starts its own site once, when a test
first asks for it (the `live_site` fixture in tests/conftest.py):

- a fresh SQLite file in a temporary folder (DATABASE_URL), settings website.settings.test;
- tests/browser/prepare_site.py: migrate, load_demo --size 40 --seed 2007, setup_roles, two
  test users (a Rotterdam editor and a moderator with an authenticator app), one published
  amendment of a demo experiment;
- `manage.py runserver 127.0.0.1:<free port> --noreload --insecure` (static files with DEBUG
  off; runserver answers requests in threads), polled until it answers, stopped at the end.

It runs behind one trusted proxy (TRUSTED_PROXY_COUNT=1): a test may send X-Forwarded-For to be
a client of its own, while requests without that header (the browser's) count as 127.0.0.1.
Emails the site sends land as files in EMAIL_FILE_PATH (see website/settings/test.py).
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
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parents[1]
PREPARE_SCRIPT = PROJECT_DIR / "tests" / "browser" / "prepare_site.py"
SERVER_START_TIMEOUT = 120  # seconds: migrations and the demo content take ~10-20 s here


@dataclass
class Site:
    url: str
    mail_dir: Path
    database: Path
    facts: dict = field(default_factory=dict)
    log_path: Path | None = None

    def __call__(self, path: str) -> str:
        return self.url + path

    def mails(self) -> list[str]:
        """Every message the site sent so far (the file backend writes one file per connection)."""
        if not self.mail_dir.exists():
            return []
        return [p.read_text(errors="replace") for p in sorted(self.mail_dir.iterdir())]

    def log_tail(self, chars=4000) -> str:
        if self.log_path and self.log_path.exists():
            return self.log_path.read_text(errors="replace")[-chars:]
        return ""

    def query(self, sql: str, params=()) -> list[tuple]:
        """Read the site's own database (what it really stored), read-only."""
        with sqlite3.connect(f"file:{self.database}?mode=ro", uri=True) as connection:
            return connection.execute(sql, params).fetchall()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_until_up(url: str, process: subprocess.Popen, log_path: Path, timeout: float) -> None:
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
            raise RuntimeError(f"The test site did not answer at {url} within {timeout} s:\n"
                               f"{log_path.read_text()[-4000:]}")
        time.sleep(0.1)  # polling interval of the wait loop, not a fixed wait


@contextmanager
def running_site():
    """Prepare and start the site; yields a Site, stops it and removes its files afterwards."""
    workdir = Path(tempfile.mkdtemp(prefix="kennisloket-site-"))
    database = workdir / "site.sqlite3"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "website.settings.test",
        "DATABASE_URL": f"sqlite:///{database}",
        "MEDIA_ROOT": str(workdir / "media"),
        "STATIC_ROOT": str(workdir / "static"),
        "EMAIL_FILE_PATH": str(workdir / "mail"),
        "TRUSTED_PROXY_COUNT": "1",
        "PYTHONUNBUFFERED": "1",
        "DEBUG": "false",
    }
    for name in ("ELASTICSEARCH_URL", "REDIS_URL"):  # the embedded defaults, whatever the shell has
        env.pop(name, None)
    prepared = subprocess.run(
        [sys.executable, str(PREPARE_SCRIPT)], cwd=PROJECT_DIR, env=env,
        capture_output=True, text=True, timeout=600,
    )
    if prepared.returncode != 0:
        raise RuntimeError(f"Preparing the test site failed:\n{prepared.stdout[-3000:]}\n{prepared.stderr[-4000:]}")
    facts = json.loads(prepared.stdout.strip().splitlines()[-1])

    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    log_path = workdir / "server.log"
    with open(log_path, "w") as log:
        process = subprocess.Popen(
            [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload", "--insecure"],
            cwd=PROJECT_DIR, env=env, stdout=log, stderr=subprocess.STDOUT,
        )
    try:
        _wait_until_up(url + "/", process, log_path, SERVER_START_TIMEOUT)
        yield Site(url=url, mail_dir=workdir / "mail", database=database, facts=facts, log_path=log_path)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        shutil.rmtree(workdir, ignore_errors=True)
