import time

from django.core.management.base import BaseCommand

from editorial.setup import setup_roles
from website.structure import ensure_site_structure


class Command(BaseCommand):
    help = (
        "Create or complete the editor groups (one per gemeente and knowledge centre), the "
        "moderators' group, their page and collection permissions and the moderation workflow. "
        "Safe to repeat; run it again after adding a gemeente or knowledge centre (it also makes "
        "their sections in the page tree)."
    )

    def handle(self, *args, **options):
        started = time.monotonic()
        # A gemeente or centre added in the admin first gets its sections in the page tree.
        ensure_site_structure()
        report = setup_roles()
        if options["verbosity"] >= 1:
            self.stdout.write(f"Roles: {report} ({time.monotonic() - started:.2f} s).")
