from django.core.management.base import BaseCommand

from vocabulary.loading import load_vocabulary


class Command(BaseCommand):
    help = "Load the krachtwijken vocabulary (gemeenten, wijken, themes, ...); safe to repeat."

    def handle(self, *args, **options):
        report = load_vocabulary()
        self.stdout.write(f"Vocabulary loaded ({report}).")
