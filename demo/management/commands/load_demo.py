import time

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.utils import translation

from demo.loader import DemoLoader
from search.thesaurus import load_demo_thesaurus
from vocabulary.loading import load_vocabulary


class Command(BaseCommand):
    help = (
        "Load the vocabulary, the site structure and SIZE fictional demo pages. "
        "Deterministic for a seed; safe to repeat (existing items are kept)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--size", type=int, default=60, help="Number of demo pages (default 60)."
        )
        parser.add_argument("--seed", type=int, default=2007, help="Random seed (default 2007).")
        parser.add_argument(
            "--skip-admin-indexes",
            action="store_true",
            help="Do not refresh Wagtail's admin search and reference indexes afterwards "
            "(faster for big sizes; run update_index and rebuild_references_index later).",
        )

    def handle(self, *args, size, seed, skip_admin_indexes, **options):
        if size < 0:
            self.stderr.write("--size must be 0 or more.")
            raise SystemExit(2)
        started = time.monotonic()
        report = load_vocabulary()
        self.stdout.write(f"Vocabulary: {report}.")
        with translation.override("nl"):  # labels copied into demo texts are Dutch
            created = DemoLoader(size=size, seed=seed, stdout=self.stdout).load()
        self.stdout.write(f"Search thesaurus: {load_demo_thesaurus()} new synonym groups.")
        total = sum(created.values())
        if total and not skip_admin_indexes:
            call_command("update_index", verbosity=0)
            call_command("rebuild_references_index", verbosity=0)
        # Demo pages are created live without publish events, so the public search index is
        # rebuilt from them here.
        call_command("search_index", "rebuild", verbosity=0)
        elapsed = time.monotonic() - started
        parts = ", ".join(f"{kind}: {n}" for kind, n in created.items())
        self.stdout.write(f"Demo content: {total} new pages ({parts}) in {elapsed:.1f} s.")
