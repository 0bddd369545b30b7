"""What crawlers read: robots.txt and sitemap.xml (the feeds are opendata's: opendata.feed_urls)."""

from django.http import HttpResponse
from django.urls import path
from wagtail.contrib.sitemaps.views import sitemap

from core.absolute_urls import absolute_url

from .sitemaps import SITEMAPS


def robots_txt(request):
    # Crawlers index pages, not the files every filter combination can be exported as.
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /*format=",
        "Disallow: /attenderingen/",
        f"Sitemap: {absolute_url('/sitemap.xml')}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


urlpatterns = [
    path("robots.txt", robots_txt, name="robots_txt"),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
]
