"""Retention of the question desk's personal data (for cron, e.g. daily)."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from loket.models import Question
from loket.services import anonymise


class Command(BaseCommand):
    help = (
        "Remove the asker's name, email address and organisation (and their traces in the texts) "
        "from questions older than QUESTION_RETENTION_DAYS; the question, theme, centre and dates "
        "stay for statistics. With --delete, delete those questions instead. Idempotent."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--delete",
            action="store_true",
            help="Delete old questions instead of anonymising them.",
        )
        parser.add_argument(
            "--days", type=int, default=None, help="Override QUESTION_RETENTION_DAYS."
        )
        parser.add_argument("--dry-run", action="store_true", help="Only count what would change.")

    def handle(self, *args, delete, days, dry_run, **options):
        days = settings.QUESTION_RETENTION_DAYS if days is None else days
        if days < 0:
            raise CommandError("The retention period cannot be negative.")
        old = Question.objects.older_than(days)
        if delete:
            count = old.count()
            if not dry_run:
                with transaction.atomic():
                    _, per_model = old.delete()  # their forwardings go with them
                count = per_model.get(Question._meta.label, 0)
            verb = "to delete" if dry_run else "deleted"
            self.stdout.write(f"Questions older than {days} days: {count} {verb}.")
            return
        pending = old.filter(anonymised_at__isnull=True) | old.exclude(
            name="", email="", organisation=""
        )
        pending = pending.distinct()
        done = 0
        if dry_run:
            done = pending.count()
        else:
            for question in pending.iterator():
                with transaction.atomic():
                    done += anonymise(question)
        total = old.count()
        verb = "to anonymise" if dry_run else "anonymised"
        self.stdout.write(
            f"Questions older than {days} days: {total}; {done} {verb}, "
            f"{total - done} already without personal data."
        )
