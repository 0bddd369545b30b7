"""manage.py run_worker [--poll SECONDS] [--once] [--status [--json]]"""

import json
import logging
import signal

from django.core.management.base import BaseCommand
from django.utils import timezone

from jobs.worker import Worker

logger = logging.getLogger("jobs.worker")


def _local(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M:%S %Z") if moment else "-"


class Command(BaseCommand):
    help = (
        "The worker a deployment runs beside its app servers: every --poll seconds it applies "
        "the search index's outbox and runs the scheduled jobs that are due (jobs/schedule.py). "
        "SIGTERM or SIGINT: it finishes the current step and exits. --once: one round (for "
        "cron, every minute). --status: each job's last run and next due time, and the outbox "
        "backlog (--json for scripts)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--poll", type=float, default=1, metavar="SECONDS")
        parser.add_argument("--once", action="store_true", help="Run one round, then exit.")
        parser.add_argument("--status", action="store_true", help="Print the state and exit.")
        parser.add_argument("--json", action="store_true", help="--status: print JSON.")

    def handle(self, *args, poll, once, status, **options):
        worker = Worker()
        if status:
            self.print_status(worker.status(), as_json=options["json"])
            return
        previous = {
            signum: signal.signal(signum, worker.stop) for signum in (signal.SIGTERM, signal.SIGINT)
        }
        try:
            worker.release_abandoned_claims()
            rows = worker.rows()
            logger.info(
                "Worker %s started (%s): %s",
                worker.identity,
                "one round" if once else f"every {poll:g} s",
                "; ".join(
                    f"{job.name} {job.describe()}, next {_local(worker.next_due(job, rows[job.name]))}"
                    for job in worker.jobs
                ),
            )
            if once:
                worker.run_round()
            else:
                worker.run_forever(poll)
            logger.info("Worker %s stopped", worker.identity)
        finally:
            for signum, handler in previous.items():
                signal.signal(signum, handler)

    def print_status(self, report, as_json):
        if as_json:
            self.stdout.write(
                json.dumps(report, indent=2, default=lambda moment: moment.isoformat())
            )
            return
        outbox = report["outbox"]
        self.stdout.write(
            f"Outbox: {outbox['waiting']} waiting (database {outbox['database']}, "
            f"elasticsearch {outbox['elasticsearch']}), {outbox['set_aside']} set aside"
        )
        for job in report["jobs"]:
            last = (
                f"last run {_local(job['last_started'])}: {job['outcome']}"
                + (f" ({job['message']})" if job["message"] else "")
                if job["last_started"]
                else "never run"
            )
            running = (
                f"; running on {job['running_on']} since {_local(job['running_since'])}"
                if job["running_on"]
                else ""
            )
            self.stdout.write(
                f"{job['name']} ({job['schedule']}): {last}; next due {_local(job['next_due'])}{running}"
            )
