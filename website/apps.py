from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebsiteConfig(AppConfig):
    name = "website"
    verbose_name = _("Website")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from search.shortcuts import register_destination

        # The search's "direct naar …" link for a knowledge centre goes to its page
        # (places/apps.py registers the gemeente, wijk and experiment-type pages).
        register_destination(
            "centre",
            lambda centre: (
                centre.page.url if hasattr(centre, "page") and centre.page.live else None
            ),
        )
