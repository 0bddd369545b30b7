"""/open-data/: the page for people about the API and the licence of the data."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.docs, name="opendata_docs"),
]
