from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebsiteConfig(AppConfig):
    name = "website"
    verbose_name = _("Website")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.db.models.signals import post_migrate

        from search.shortcuts import register_destination

        # Every deploy runs migrate: that is when the Site takes the address SITE_URL names.
        post_migrate.connect(_point_site_at_site_url, sender=self)

        # The search's "direct naar …" link for a knowledge centre goes to its page
        # (places/apps.py registers the gemeente, wijk and experiment-type pages).
        register_destination(
            "centre",
            lambda centre: (
                centre.page.url if hasattr(centre, "page") and centre.page.live else None
            ),
        )


def _point_site_at_site_url(using, **kwargs):
    from django.db import DEFAULT_DB_ALIAS

    from .structure import point_site_at_site_url

    if using == DEFAULT_DB_ALIAS:
        point_site_at_site_url()
