from django.conf import settings
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from search.views import search_view

urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    path("documenten/", include(wagtaildocs_urls)),
    path("zoeken/", search_view, name="search"),
    path("api/v1/", include("opendata.urls")),
    path("open-data/", include("opendata.docs_urls")),
    path("", include("website.feed_urls")),  # sitemap.xml, /experimenten/feed/
    path("loket/", include("loket.urls")),
    path("attenderingen/", include("alerts.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns += [
    # Wagtail's page tree serves everything else, so it comes last.
    path("", include(wagtail_urls)),
]
