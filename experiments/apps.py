from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExperimentsConfig(AppConfig):
    name = "experiments"
    verbose_name = _("Experiments")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import admin_search, signals  # noqa: F401
