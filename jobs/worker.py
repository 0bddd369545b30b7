"""The worker's rounds: each job that is due is claimed, run and recorded (jobs.models.JobRun).

A claim is one conditional UPDATE: it succeeds only while the job's last start is still the one
this worker read and nobody holds a fresh claim, so of two workers exactly one runs a due job
(on SQLite and PostgreSQL alike). A job that raises is logged in one line and tried again when
it is next due; the other jobs go on.
"""

import datetime as dt
import logging
import os
import socket
import time
from threading import Event

from django.conf import settings
from django.db import close_old_connections, connection
from django.db.models import Q
from django.utils import timezone

from search import indexing

from .models import JobRun
from .schedule import Job, scheduled_jobs

logger = logging.getLogger(__name__)


def _one_line(text: str, limit: int = 500) -> str:
    return " ".join(str(text).split())[:limit]


def _process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class Worker:
    def __init__(self, jobs: list[Job] | None = None, clock=timezone.now):
        self.jobs = scheduled_jobs() if jobs is None else jobs
        self.clock = clock
        self.identity = f"{socket.gethostname()}:{os.getpid()}"
        self.claim_timeout = dt.timedelta(seconds=settings.JOB_CLAIM_TIMEOUT)
        self.stopping = Event()

    def stop(self, *_signal) -> None:
        """Finish the current step, then stop (the SIGTERM and SIGINT handler)."""
        self.stopping.set()

    def rows(self) -> dict[str, JobRun]:
        """Each job's row, made for the jobs seen for the first time."""
        names = [job.name for job in self.jobs]
        rows = {row.name: row for row in JobRun.objects.filter(name__in=names)}
        if len(rows) < len(names):
            now = self.clock()
            JobRun.objects.bulk_create(
                [JobRun(name=name, known_since=now) for name in names if name not in rows],
                ignore_conflicts=True,  # another worker may be making them too
            )
            rows = {row.name: row for row in JobRun.objects.filter(name__in=names)}
        return rows

    def next_due(self, job: Job, row: JobRun) -> dt.datetime:
        return job.next_due(row.last_started_at, row.known_since)

    def release_abandoned_claims(self) -> None:
        """Claims of workers on this host that are no longer running are free at once (a
        restart after a crash need not wait for JOB_CLAIM_TIMEOUT); other hosts' wait for it."""
        host = socket.gethostname()
        for row in JobRun.objects.filter(claimed_by__startswith=f"{host}:"):
            pid = int(row.claimed_by.rsplit(":", 1)[1])
            if pid == os.getpid() or not _process_alive(pid):
                JobRun.objects.filter(
                    pk=row.pk, claimed_by=row.claimed_by, claimed_at=row.claimed_at
                ).update(claimed_by="", claimed_at=None)

    def claim(self, row: JobRun, now: dt.datetime) -> bool:
        free = Q(claimed_at__isnull=True) | Q(claimed_at__lt=now - self.claim_timeout)
        return bool(
            JobRun.objects.filter(free, pk=row.pk, last_started_at=row.last_started_at).update(
                claimed_by=self.identity, claimed_at=now
            )
        )

    def run_round(self) -> None:
        """Every job that is due, once, in schedule order; stops early when asked to."""
        self._replace_broken_connection()
        rows = self.rows()
        for job in self.jobs:
            if self.stopping.is_set():
                return
            now = self.clock()
            row = rows[job.name]
            if self.next_due(job, row) <= now and self.claim(row, now):
                self.run_job(job, row, now)
        self._replace_broken_connection()

    @staticmethod
    def _replace_broken_connection() -> None:
        # As Django does around a request: a connection that broke (the database restarted) or
        # outlived DATABASE_CONN_MAX_AGE is closed, and the next query opens a new one. Not
        # inside a transaction (a caller's, or a test's), which it would end.
        if not connection.in_atomic_block:
            close_old_connections()

    def run_job(self, job: Job, row: JobRun, claimed_at: dt.datetime) -> None:
        mine = JobRun.objects.filter(pk=row.pk, claimed_by=self.identity, claimed_at=claimed_at)
        started = time.monotonic()
        try:
            message, outcome = job.run(), JobRun.Outcome.OK
        except (SystemExit, KeyboardInterrupt):
            # The job's own signal handling ended it (export_dump on SIGTERM): not run, so still
            # due; the worker stops as it was asked to.
            mine.update(claimed_by="", claimed_at=None)
            logger.warning("Job %s interrupted; it runs again when due", job.name)
            self.stopping.set()
            return
        except Exception as error:  # noqa: BLE001 - one line, and the other jobs go on
            message, outcome = f"{type(error).__name__}: {_one_line(error)}", JobRun.Outcome.FAILED
            if logger.isEnabledFor(logging.DEBUG):
                logger.debug("Job %s traceback", job.name, exc_info=True)
        seconds = time.monotonic() - started
        message = _one_line(message)
        mine.update(
            claimed_by="",
            claimed_at=None,
            last_started_at=claimed_at,
            last_finished_at=self.clock(),
            last_outcome=outcome,
            last_message=message,
        )
        if outcome == JobRun.Outcome.FAILED:
            logger.error("Job %s failed after %.1f s: %s", job.name, seconds, message)
        elif message or not job.quiet_when_idle:
            logger.info(
                "Job %s ok in %.1f s%s", job.name, seconds, f": {message}" if message else ""
            )

    def run_forever(self, poll: float) -> None:
        while not self.stopping.is_set():
            try:
                self.run_round()
            except Exception as error:  # noqa: BLE001 - the database away: try the next round
                logger.error("Worker round failed: %s: %s", type(error).__name__, _one_line(error))
            self.stopping.wait(poll)

    def status(self) -> dict:
        """Each job's last run and next due time, and the outbox backlog (read-only)."""
        now = self.clock()
        rows = {row.name: row for row in JobRun.objects.all()}
        jobs = []
        for job in self.jobs:
            row = rows.get(job.name) or JobRun(name=job.name, known_since=now)
            jobs.append(
                {
                    "name": job.name,
                    "schedule": job.describe(),
                    "last_started": row.last_started_at,
                    "last_finished": row.last_finished_at,
                    "outcome": row.last_outcome or None,
                    "message": row.last_message,
                    "next_due": self.next_due(job, row),
                    "running_on": row.claimed_by or None,
                    "running_since": row.claimed_at,
                }
            )
        targets = indexing.Entry.Target
        waiting = {target.value: indexing.pending(target).count() for target in targets}
        set_aside = indexing.Entry.objects.filter(refusals__gte=indexing.MAX_REFUSALS).count()
        return {
            "outbox": {"waiting": sum(waiting.values()), **waiting, "set_aside": set_aside},
            "jobs": jobs,
        }
