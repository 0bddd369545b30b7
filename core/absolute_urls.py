"""Absolute links to the public site, from its one public address (SITE_URL): in e-mails sent
without a request (the worker's jobs, the question desk's notifications), the feeds and
robots.txt. The Wagtail Site carries the same address (website.structure)."""

from django.conf import settings


def site_url() -> str:
    return settings.SITE_URL


def admin_url(name: str, *args) -> str:
    """An absolute link into the admin (WAGTAILADMIN_BASE_URL), for e-mails to editors."""
    from django.urls import reverse

    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + reverse(name, args=args)


def absolute_url(path: str) -> str:
    """`path` on the public site; an address that is already absolute is kept."""
    if not path or "://" in path:
        return path or ""
    return site_url() + path


# The licence of the site's metadata (API, exports, feeds, the open data page).
DATA_LICENCE_NAME = "CC BY 4.0"
DATA_LICENCE_URL = "https://creativecommons.org/licenses/by/4.0/deed.nl"
