"""Retention of the personal data of the agenda and the pool, in one daily run (jobs/schedule.py).
The question desk keeps its own (purge_questions), as it has its own rules."""

from django.core.management.base import BaseCommand

from agenda.registrations import purge as purge_registrations
from people.retention import purge as purge_experts


class Command(BaseCommand):
    help = (
        "Delete registrations never confirmed, anonymise the participants of events that ended "
        "more than EVENT_ATTENDEE_RETENTION_DAYS ago, and delete what the pool of experts may no "
        "longer keep. Idempotent."
    )

    def handle(self, *args, **options):
        done = {**purge_registrations(), **purge_experts()}
        self.stdout.write("; ".join(f"{what}: {count}" for what, count in done.items()))
