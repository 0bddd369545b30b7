"""The registrations feed beside the pages it announces (a search's feed is
/zoeken/?...&format=atom, answered by opendata.formats)."""

from django.urls import path

from .feeds import registrations_feed

urlpatterns = [
    path("experimenten/feed/", registrations_feed, name="registrations_feed"),
]
