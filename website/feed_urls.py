"""Machine-readable entry points next to the pages: sitemap.xml and the registrations feed
(a search's feed is /zoeken/?...&format=atom)."""

from django.urls import path
from wagtail.contrib.sitemaps.views import sitemap

from search.feeds import registrations_feed

from .sitemaps import SITEMAPS

urlpatterns = [
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("experimenten/feed/", registrations_feed, name="registrations_feed"),
]
