from django.apps import AppConfig
from django.core import checks
from django.utils.translation import gettext_lazy as _


class PlacesConfig(AppConfig):
    name = "places"
    verbose_name = _("Places")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from search.shortcuts import register_destination

        from .links import PlaceLinks

        # The search's "direct naar …" links (search.shortcuts) go to these pages.
        register_destination("municipality", lambda item: PlaceLinks().municipality(item))
        register_destination("neighbourhood", lambda item: PlaceLinks().neighbourhood(item))
        register_destination("experiment_type", lambda item: PlaceLinks().experiment_type(item))
        checks.register(map_outline_check)


def map_outline_check(app_configs, **kwargs):
    """/wijken/ draws its map from a file `make install` writes: say so before a visitor finds
    out."""
    from .map import OUTLINE_FILE

    if OUTLINE_FILE.exists():
        return []
    return [
        checks.Warning(
            f"The map's outline {OUTLINE_FILE} is missing, so /wijken/ is shown without its map.",
            hint="Run `make install` (npm ci, then places/outline.py).",
            id="places.W001",
        )
    ]
