from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlacesConfig(AppConfig):
    name = "places"
    verbose_name = _("Places")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from search.shortcuts import register_destination

        from .models import ExperimentTypeIndexPage, NeighbourhoodIndexPage

        def routed(model, method):
            def url_for(item):
                index = model.objects.live().first()
                return getattr(index, method)(item) if index else None

            return url_for

        # The search's "direct naar …" links (search.shortcuts) go to these pages.
        register_destination("municipality", routed(NeighbourhoodIndexPage, "municipality_url"))
        register_destination("neighbourhood", routed(NeighbourhoodIndexPage, "neighbourhood_url"))
        register_destination(
            "experiment_type", routed(ExperimentTypeIndexPage, "experiment_type_url")
        )
