from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """Fictional demo content for a local site and the tests: `manage.py load_demo`."""

    name = "demo"
    verbose_name = _("Demo content")
