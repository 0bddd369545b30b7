"""Email each due search alert its digest of new results (for cron, e.g. daily at 07:00)."""

from django.core.management.base import BaseCommand, CommandError

from alerts.models import Subscription
from alerts.services import send_due_alerts


class Command(BaseCommand):
    help = (
        "Send every confirmed search alert that is due (daily: not sent today; weekly: not sent "
        "in the last 7 days) a digest of the pages published since it was confirmed that its "
        "search finds and that it has not had before. Nothing is sent when there is nothing new. "
        "Also deletes unconfirmed alerts whose confirmation link has expired. Run it daily; "
        "weekly alerts wait for their week. Prints no email addresses."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--frequency",
            choices=Subscription.Frequency.values,
            help="Only alerts with this frequency (default: all that are due).",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Only show what would be sent; send and change nothing.",
        )

    def handle(self, *args, frequency=None, dry_run=False, verbosity=1, **options):
        report = send_due_alerts(frequency=frequency, dry_run=dry_run)
        if dry_run or verbosity > 1:
            for digest in report.digests:
                self.stdout.write(
                    f"Alert {digest.subscription.pk} ({digest.subscription.frequency}): "
                    f"{len(digest.cards)} new"
                    + (f", {digest.more} more next time" if digest.more else "")
                )
                for card in digest.cards:
                    self.stdout.write(f"  {card.page_id} {card.title}")
        verb = "would get" if dry_run else "got"
        sent = len(report.digests) if dry_run else report.sent
        results = sum(len(d.cards) for d in report.digests) if dry_run else report.results
        self.stdout.write(
            f"Alerts due: {report.checked}; {sent} {verb} a digest ({results} results); "
            f"{report.purged} unconfirmed deleted."
        )
        if report.invalid:
            self.stderr.write(
                "Not run, a filter value of their search no longer exists: alerts "
                + ", ".join(map(str, report.invalid))
            )
        if report.failed:
            raise CommandError(
                "Could not send the digest of alerts "
                + ", ".join(map(str, report.failed))
                + " (see the log); they are sent next time."
            )
