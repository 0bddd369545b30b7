from django.conf import settings
from django.urls import include, path, re_path
from django.views.generic import RedirectView
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from opendata.formats import search_view  # the search page, or the search as a file or feed
from security.media import serve_document, serve_media

urlpatterns = [
    path("admin/", include("security.admin_urls")),  # a few of Wagtail's admin views, guarded
    path("admin/", include(wagtailadmin_urls)),
    # Wagtail's document view with honest headers (security/media.py), then the rest of its URLs.
    re_path(r"^documenten/(\d+)/(.*)$", serve_document, name="wagtaildocs_serve"),
    path("documenten/", include(wagtaildocs_urls)),
    path("zoeken/", search_view, name="search"),
    path("api/v1/", include("opendata.urls")),
    path("open-data/", include("opendata.docs_urls")),
    path("", include("website.crawler_urls")),  # robots.txt, sitemap.xml
    path("health/", include("website.health")),  # /health/live, /health/ready (JSON)
    path("", include("opendata.feed_urls")),  # /experimenten/feed/
    path("loket/", include("loket.urls")),
    path("attenderingen/", include("alerts.urls")),
    path("aanmeldingen/", include("agenda.urls")),  # confirming and cancelling a registration
    path("accountmanagers/", include("people.urls")),  # the accountmanagers' contact form
]

# Media files through the site, which checks who may see them (security/media.py), with DEBUG
# on or off: never straight from MEDIA_ROOT.
urlpatterns += [path(settings.MEDIA_URL.lstrip("/") + "<path:path>", serve_media, name="media")]

if settings.DEBUG:
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()

urlpatterns += [
    # One login for everyone, with its throttling and second factor: Wagtail's front-end login
    # for private pages sends people to the admin's.
    path(
        "_util/login/", RedirectView.as_view(pattern_name="wagtailadmin_login", query_string=True)
    ),
    # Wagtail's page tree serves everything else, so it comes last.
    path("", include(wagtail_urls)),
]
