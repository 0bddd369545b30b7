"""/open-data/: the page for people about every export, feed and the API and the licence of the
data, and the nightly dump."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.docs, name="opendata_docs"),
    path("kennisloket.jsonl", views.dump_file, name="opendata_dump"),
]
