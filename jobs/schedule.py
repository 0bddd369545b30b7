"""Every job the worker runs and when: the one place to add a job or change its schedule.
Times and intervals come from the settings ("The worker" in website/settings/base.py); the
other apps' jobs are run by command name, so this module imports none of them."""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from io import StringIO

from django.conf import settings
from django.core.management import call_command
from django.utils import timezone

from search.indexing import process_queue

OUTBOX = "index_outbox"


@dataclass(frozen=True)
class Job:
    name: str
    run: Callable[[], str]  # does the work; returns what it did, in one line
    every: dt.timedelta | None = None  # an interval after the last start ...
    daily_at: dt.time | None = None  # ... or a time of day in TIME_ZONE
    quiet_when_idle: bool = False  # no log line for a run that did nothing

    def next_due(self, last_started: dt.datetime | None, known_since: dt.datetime) -> dt.datetime:
        """When the job is due next. A daily job is due at its first time of day after its last
        start (or, never run, after the worker first saw it): a worker that was down for days
        runs it once when it is back, and a restart after today's run waits for tomorrow."""
        if self.every is not None:
            return last_started + self.every if last_started else known_since
        after = last_started or known_since
        zone = timezone.get_default_timezone()
        day = after.astimezone(zone).date()
        while True:
            # Compared in UTC: around a clock change the local wall time is ambiguous.
            due = dt.datetime.combine(day, self.daily_at, tzinfo=zone).astimezone(dt.UTC)
            if due > after.astimezone(dt.UTC):
                return due
            day += dt.timedelta(days=1)

    def describe(self) -> str:
        if self.daily_at is not None:
            return f"daily at {self.daily_at:%H:%M}"
        return f"every {self.every.total_seconds():g} s" if self.every else "every round"


def command(*args: str) -> Callable[[], str]:
    """A management command as a job; its output, lines joined, is what it did."""

    def run() -> str:
        output = StringIO()
        call_command(*args, stdout=output, stderr=output)
        return "; ".join(line.strip() for line in output.getvalue().splitlines() if line.strip())

    return run


def apply_outbox() -> str:
    done = process_queue()
    return ", ".join(f"{name} {count}" for name, count in done.items() if count)


def scheduled_jobs() -> list[Job]:
    """In the order a round runs them: the outbox first, so a long job never holds up the
    changes made before it."""
    return [
        Job(OUTBOX, apply_outbox, every=dt.timedelta(0), quiet_when_idle=True),
        Job(
            "publish_scheduled",
            command("publish_scheduled"),
            every=dt.timedelta(seconds=settings.JOB_PUBLISH_SCHEDULED_SECONDS),
        ),
        Job(
            "export_dump",
            command("export_dump", "--output", str(settings.DUMP_PATH)),
            daily_at=settings.JOB_EXPORT_DUMP_AT,
        ),
        Job(
            "purge_questions", command("purge_questions"), daily_at=settings.JOB_PURGE_QUESTIONS_AT
        ),
        Job(
            "purge_login_records",
            command("axes_reset_logs", "--age", str(settings.LOGIN_RECORD_RETENTION_DAYS)),
            daily_at=settings.JOB_PURGE_LOGIN_RECORDS_AT,
        ),
        Job(
            "search_index_status",
            command("search_index", "status"),
            daily_at=settings.JOB_SEARCH_STATUS_AT,
        ),
        # Daily and weekly alerts alike: send_alerts knows which are due.
        Job("send_alerts", command("send_alerts"), daily_at=settings.JOB_SEND_ALERTS_AT),
        Job(
            "send_event_reminders",
            command("send_event_reminders"),
            daily_at=settings.JOB_SEND_EVENT_REMINDERS_AT,
        ),
        Job(
            "purge_personal_data",
            command("purge_personal_data"),
            daily_at=settings.JOB_PURGE_PERSONAL_DATA_AT,
        ),
        Job(
            "remind_overdue_experiments",
            command("remind_overdue_experiments"),
            daily_at=settings.JOB_REMIND_OVERDUE_AT,
        ),
    ]
