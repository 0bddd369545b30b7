from django.apps import AppConfig
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
