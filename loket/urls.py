from django.urls import path

from . import views

app_name = "loket"

urlpatterns = [
    path("", views.ask, name="ask"),
    path("bedankt/", views.thanks, name="thanks"),
    path("privacy/", views.privacy, name="privacy"),
]
