from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EditorialConfig(AppConfig):
    """Who may do what: editor groups per gemeente and knowledge centre, the moderators, and
    the moderation workflow (Wagtail's own page permissions and workflows)."""

    name = "editorial"
    verbose_name = _("Editorial roles")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import signals  # noqa: F401
