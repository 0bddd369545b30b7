"""The worker as a deployment runs it: `manage.py run_worker` in a process of its own, on a
database of its own, stopped with SIGTERM after its first round: it exits 0 and leaves no job
claimed."""

import json
import signal
import sqlite3
import subprocess
import sys
import time

import pytest
from django.db import connection

from tests.sites import PROJECT_DIR, site_database, site_env


@pytest.fixture(scope="module")
def worker_database(django_db_setup, django_db_blocker, tmp_path_factory):
    """A DATABASE_URL with the whole schema: a copy of the session's SQLite database (quick;
    made before a test's transaction holds its tables), or on PostgreSQL a database of its
    own, migrated."""
    folder = tmp_path_factory.mktemp("worker-database")
    with django_db_blocker.unblock():
        if connection.vendor == "sqlite":
            path = folder / "worker.sqlite3"
            connection.ensure_connection()
            with sqlite3.connect(path) as copy:
                connection.connection.backup(copy)
            yield f"sqlite:///{path}"
            return
    with site_database(folder) as database_url:
        migrate = subprocess.run(
            [sys.executable, "manage.py", "migrate", "--noinput", "-v0"],
            cwd=PROJECT_DIR,
            env=site_env(folder, database_url),
            capture_output=True,
            text=True,
        )
        assert migrate.returncode == 0, migrate.stderr[-3000:]
        yield database_url


def wait_for(condition, process, timeout=60):
    deadline = time.monotonic() + timeout
    while not condition():
        assert process.poll() is None, f"the worker stopped (exit {process.returncode})"
        assert time.monotonic() < deadline, "the worker did not get there in time"
        time.sleep(0.1)  # polling interval of the wait, not a fixed wait


def test_the_worker_stops_on_sigterm_after_its_round_and_exits_0(tmp_path, worker_database):
    env = site_env(tmp_path, worker_database, DUMP_PATH=str(tmp_path / "dump.jsonl"))
    log_path = tmp_path / "worker.log"
    with open(log_path, "w") as log:
        process = subprocess.Popen(
            [sys.executable, "manage.py", "run_worker", "--poll", "0.2"],
            cwd=PROJECT_DIR,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        wait_for(lambda: "Job publish_scheduled ok" in log_path.read_text(), process)
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=30) == 0, log_path.read_text()
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    log = log_path.read_text()
    assert "started (every 0.2 s): index_outbox every round" in log
    assert log.rstrip().endswith("stopped"), log

    status = subprocess.run(
        [sys.executable, "manage.py", "run_worker", "--status", "--json"],
        cwd=PROJECT_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    report = json.loads(status.stdout)
    assert report["outbox"]["waiting"] == 0
    jobs = {job["name"]: job for job in report["jobs"]}
    assert jobs["publish_scheduled"]["outcome"] == "ok"
    assert not any(job["running_on"] for job in jobs.values())
