from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """What every app builds on and nothing else: no models of the domain, no pages."""

    name = "core"
    verbose_name = _("Core")

    def ready(self):
        from . import freshness

        freshness.connect()
