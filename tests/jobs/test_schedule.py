"""When each job is due: a daily job runs once a day at its time, also across a restart, a
missed day and a clock change; and what the purge of login records removes."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from jobs.schedule import Job, scheduled_jobs

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def at(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=AMSTERDAM)


def nothing() -> str:
    return ""


DUMP = Job("dump", nothing, daily_at=dt.time(1, 0))


def test_a_daily_job_first_runs_at_its_first_time_after_the_worker_saw_it():
    assert DUMP.next_due(None, known_since=at(2026, 12, 2, 10, 0)) == at(2026, 12, 3, 1, 0)
    assert DUMP.next_due(None, known_since=at(2026, 12, 2, 0, 30)) == at(2026, 12, 2, 1, 0)


def test_a_daily_job_that_ran_today_is_due_tomorrow_and_a_missed_one_once():
    seen = at(2026, 11, 1, 12, 0)
    ran = at(2026, 12, 2, 1, 0, 3)
    assert DUMP.next_due(ran, seen) == at(2026, 12, 3, 1, 0)
    # The worker was down from the 2nd to the 5th: the run of the 3rd is overdue, so it runs
    # when the worker is back; after that, the next night's time, not once per missed night.
    back = at(2026, 12, 5, 10, 0)
    assert DUMP.next_due(ran, seen) < back
    assert DUMP.next_due(back, seen) == at(2026, 12, 6, 1, 0)


def test_a_daily_job_runs_once_on_the_night_the_clocks_go_back():
    # 25 October 2026: 02:30 happens twice in Amsterdam (CEST, then CET).
    job = Job("night", nothing, daily_at=dt.time(2, 30))
    first = job.next_due(None, known_since=at(2026, 10, 24, 12, 0))
    assert first == dt.datetime(2026, 10, 25, 0, 30, tzinfo=dt.UTC)
    assert job.next_due(first + dt.timedelta(seconds=1), first) == at(2026, 10, 26, 2, 30)


def test_an_interval_job_is_due_its_interval_after_its_last_start():
    job = Job("often", nothing, every=dt.timedelta(seconds=60))
    seen = at(2026, 12, 2, 10, 0)
    assert job.next_due(None, seen) == seen
    assert job.next_due(at(2026, 12, 2, 11, 0), seen) == at(2026, 12, 2, 11, 1)


def test_the_schedule_comes_from_the_settings(settings):
    settings.JOB_SEND_ALERTS_AT = dt.time(5, 45)
    settings.JOB_PUBLISH_SCHEDULED_SECONDS = 300
    jobs = {job.name: job for job in scheduled_jobs()}
    assert jobs["send_alerts"].describe() == "daily at 05:45"
    assert jobs["publish_scheduled"].describe() == "every 300 s"
    assert list(jobs)[0] == "index_outbox"


@pytest.mark.django_db
def test_the_login_record_job_deletes_records_older_than_the_retention_period(settings):
    from axes.models import AccessLog

    settings.LOGIN_RECORD_RETENTION_DAYS = 90
    now = timezone.now()
    old = AccessLog.objects.create(username="oud", ip_address="192.0.2.1", user_agent="x")
    recent = AccessLog.objects.create(username="recent", ip_address="192.0.2.2", user_agent="x")
    AccessLog.objects.filter(pk=old.pk).update(attempt_time=now - dt.timedelta(days=91))
    AccessLog.objects.filter(pk=recent.pk).update(attempt_time=now - dt.timedelta(days=89))

    job = {job.name: job for job in scheduled_jobs()}["purge_login_records"]
    assert job.run() == "1 logs removed."
    assert list(AccessLog.objects.values_list("username", flat=True)) == ["recent"]
