"""The worker's rounds on the real database: due jobs run once, whoever else is running, a
failing job costs one log line, and one round publishes what is scheduled and applies the
index outbox."""

import datetime as dt
import logging
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.utils import timezone

from jobs.models import JobRun
from jobs.schedule import Job
from jobs.worker import Worker
from search.engines.database import delete_documents
from search.models import IndexQueueEntry, SearchDocument
from tests.factories import ExperimentPageFactory

pytestmark = pytest.mark.django_db
AMSTERDAM = ZoneInfo("Europe/Amsterdam")


class Clock:
    def __init__(self, *start):
        self.now = dt.datetime(*start, tzinfo=AMSTERDAM)

    def __call__(self):
        return self.now


def recording_job(name, runs, **schedule):
    def run():
        runs.append(name)
        return f"{name} done"

    return Job(name, run, **schedule)


def test_a_daily_job_runs_once_across_a_restart_and_once_after_missed_days():
    runs, clock = [], Clock(2026, 12, 2, 10, 0)
    jobs = [recording_job("nightly", runs, daily_at=dt.time(1, 0))]
    Worker(jobs, clock).run_round()
    assert runs == []  # first seen at 10:00: its first time is tomorrow night

    clock.now = dt.datetime(2026, 12, 3, 1, 0, 5, tzinfo=AMSTERDAM)
    Worker(jobs, clock).run_round()
    Worker(jobs, clock).run_round()  # restarted the same night: not again
    assert runs == ["nightly"]

    clock.now = dt.datetime(2026, 12, 6, 9, 0, tzinfo=AMSTERDAM)  # down for three nights
    worker = Worker(jobs, clock)
    worker.run_round()
    worker.run_round()
    assert runs == ["nightly", "nightly"]
    row = JobRun.objects.get(name="nightly")
    assert row.last_started_at == clock.now and row.last_outcome == "ok"
    assert row.last_message == "nightly done" and not row.claimed_by
    assert worker.next_due(jobs[0], row) == dt.datetime(2026, 12, 7, 1, 0, tzinfo=AMSTERDAM)


def test_of_two_workers_claiming_a_due_job_one_wins():
    clock = Clock(2026, 12, 2, 10, 0)
    jobs = [Job("single", lambda: "", every=dt.timedelta(seconds=60))]
    first, second = Worker(jobs, clock), Worker(jobs, clock)
    # Both read the row while the job is due ...
    row_of_first, row_of_second = first.rows()["single"], second.rows()["single"]
    assert first.claim(row_of_first, clock())
    assert not second.claim(row_of_second, clock())
    # ... and once the first has run it, what the second read is out of date.
    first.run_job(jobs[0], row_of_first, clock())
    assert not second.claim(row_of_second, clock())
    # A claim older than JOB_CLAIM_TIMEOUT is abandoned: free again.
    fresh = second.rows()["single"]
    assert second.claim(fresh, clock())
    clock.now += first.claim_timeout + dt.timedelta(seconds=1)
    assert first.claim(fresh, clock())


def test_a_failing_job_logs_one_line_and_the_other_jobs_still_run(caplog, monkeypatch):
    caplog.set_level(logging.INFO, logger="jobs")

    def elasticsearch_away():
        raise ConnectionError("Elasticsearch did not answer\n(connection refused)")

    monkeypatch.setattr("jobs.schedule.process_queue", elasticsearch_away)
    Worker().run_round()

    failures = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert len(failures) == 1, caplog.text
    line = failures[0]
    assert line.name == "jobs.worker" and not line.exc_info
    assert line.getMessage().startswith("Job index_outbox failed after ")
    assert "ConnectionError: Elasticsearch did not answer (connection refused)" in line.getMessage()
    assert "\n" not in line.getMessage()
    assert JobRun.objects.get(name="index_outbox").last_outcome == "failed"
    assert JobRun.objects.get(name="publish_scheduled").last_outcome == "ok"
    assert "Job publish_scheduled ok in" in caplog.text


def test_run_worker_once_publishes_what_is_due_and_applies_the_outbox(
    django_capture_on_commit_callbacks,
):
    scheduled = ExperimentPageFactory(title="Gepland experiment")
    scheduled.go_live_at = timezone.now() + dt.timedelta(hours=1)
    revision = scheduled.save_revision()
    revision.publish()
    scheduled.refresh_from_db()
    assert not scheduled.live
    # An hour later: the time has passed.
    revision.refresh_from_db()
    past = timezone.now() - dt.timedelta(minutes=1)
    revision.content["go_live_at"] = past.isoformat()
    revision.approved_go_live_at = past
    revision.save(update_fields=["content", "approved_go_live_at"])
    # A change whose index update did not happen after its commit (the database was busy).
    waiting = ExperimentPageFactory(title="Wachtend in de outbox", published=True)
    delete_documents([waiting.pk])
    IndexQueueEntry.objects.create(
        page_id=waiting.pk,
        action=IndexQueueEntry.Action.UPDATE,
        target=IndexQueueEntry.Target.DATABASE,
    )

    with django_capture_on_commit_callbacks(execute=True):
        call_command("run_worker", "--once")

    scheduled.refresh_from_db()
    assert scheduled.live
    assert SearchDocument.objects.filter(page_id__in=[scheduled.pk, waiting.pk]).count() == 2
    assert not IndexQueueEntry.objects.exists()
