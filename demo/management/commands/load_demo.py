import time

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.utils import translation

from demo.corpus import load_corpus
from demo.loader import VOLUME_NOTE, DemoLoader
from experiments.models import ExperimentPage
from kennisbank.models import EvaluationPage, ExpertisePage, PracticePage
from search.thesaurus import load_demo_thesaurus
from vocabulary.loading import load_vocabulary
from website.models import SiteInformation

CONTENT_MODELS = (ExperimentPage, PracticePage, EvaluationPage, ExpertisePage)


def written_pages() -> int:
    """Experiments, practices, evaluations and expertise that were not generated: the
    hand-written corpus and whatever editors added."""
    return sum(
        model.objects.exclude(summary__startswith=VOLUME_NOTE).count() for model in CONTENT_MODELS
    )


class Command(BaseCommand):
    help = (
        "Load the vocabulary, the site structure and the hand-written demo corpus (demo/corpus), "
        "then generated pages until there are SIZE pages in all. Deterministic for a seed; safe "
        "to repeat (existing items are kept)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--size",
            type=int,
            default=0,
            help="Pages in all, corpus included: generated pages make up what the corpus does not "
            "(default 0: the corpus only).",
        )
        parser.add_argument(
            "--seed", type=int, default=2007, help="Seed of the generated pages (default 2007)."
        )
        parser.add_argument(
            "--without-corpus",
            action="store_true",
            help="Leave the hand-written corpus out (only the structure and generated pages).",
        )
        parser.add_argument(
            "--skip-admin-indexes",
            action="store_true",
            help="Do not refresh Wagtail's admin search index afterwards (faster for big sizes; "
            "run update_index later). The reference index is always rebuilt: it decides which "
            "documents are public.",
        )

    def handle(self, *args, size, seed, without_corpus, skip_admin_indexes, **options):
        if size < 0:
            self.stderr.write("--size must be 0 or more.")
            raise SystemExit(2)
        started = time.monotonic()
        report = load_vocabulary()
        self.stdout.write(f"Vocabulary: {report}.")
        with translation.override("nl"):  # labels copied into demo texts are Dutch
            created = {} if without_corpus else load_corpus(stdout=self.stdout)
            volume = max(0, size - written_pages())
            generated = DemoLoader(count=volume, seed=seed, stdout=self.stdout).load()
        self.stdout.write(f"Search thesaurus: {load_demo_thesaurus()} new synonym groups.")
        # From now on every page's footer says the demo content is fictional.
        information = SiteInformation.load()
        if not information.demo_content:
            information.demo_content = True
            information.save()
        total = sum(created.values()) + sum(generated.values())
        if total:
            # Which documents the public may download is read from the reference index
            # (security/media.py), so it is never left out; the admin search index may be.
            call_command("rebuild_references_index", verbosity=0)
            if not skip_admin_indexes:
                call_command("update_index", verbosity=0)
        # Demo pages are loaded with the indexes paused (demo/indexes.py), so the public search
        # index is rebuilt from them here.
        call_command("search_index", "rebuild", verbosity=0)
        elapsed = time.monotonic() - started
        self.stdout.write(
            f"Demo content in {elapsed:.1f} s. Corpus: {self.new(created)}. "
            f"Generated ({volume} in all): {self.new(generated)}."
        )

    @staticmethod
    def new(created: dict[str, int]) -> str:
        kinds = ", ".join(f"{kind} {n}" for kind, n in created.items() if n)
        return f"{sum(created.values())} new pages" + (f" ({kinds})" if kinds else "")
