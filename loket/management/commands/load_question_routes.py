from django.core.management.base import BaseCommand

from loket.models import ThemeRoute
from loket.routing import add_default_routes
from vocabulary.models import KnowledgeCentre, Theme


class Command(BaseCommand):
    help = (
        "Add the question desk's default theme → knowledge centre routes where a theme has none. "
        "Idempotent; never changes a route an editor has set."
    )

    def handle(self, *args, **options):
        created = add_default_routes(ThemeRoute, Theme, KnowledgeCentre)
        unrouted = Theme.objects.filter(question_route__isnull=True).count()
        self.stdout.write(
            f"Question routes: {created} created, {ThemeRoute.objects.count()} in total, "
            f"{unrouted} themes without a route (their questions go to the moderators)."
        )
