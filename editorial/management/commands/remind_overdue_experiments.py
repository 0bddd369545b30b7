"""For cron (daily is fine): remind each municipality's editors by email of their experiments
whose (planned) end date has passed without a published evaluation, at most once per
OVERDUE_REMINDER_DAYS (default 30) per experiment."""

from django.core.management.base import BaseCommand

from editorial.reminders import reminder_period, send_reminders


class Command(BaseCommand):
    help = "Email municipalities' editors about experiments whose results are expected (once per period)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Only report what would be sent."
        )

    def handle(self, *args, dry_run=False, **options):
        report = send_reminders(dry_run=dry_run)
        for municipality, experiments, recipients in report:
            numbers = ", ".join(e.registration_number or e.title for e in experiments)
            if not recipients:
                self.stdout.write(
                    f"{municipality.name}: {len(experiments)} due ({numbers}), but no editor with an email address"
                )
            else:
                verb = "would remind" if dry_run else "reminded"
                self.stdout.write(
                    f"{municipality.name}: {verb} {len(recipients)} editor(s) of {len(experiments)} experiment(s) ({numbers})"
                )
        if not report:
            self.stdout.write(f"Nothing due (period: {reminder_period().days} days).")
