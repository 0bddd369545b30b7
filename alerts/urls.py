from django.urls import path

from . import views

app_name = "alerts"

urlpatterns = [
    path("nieuw/", views.subscribe, name="subscribe"),
    path("verstuurd/", views.sent, name="sent"),
    path("bevestigen/<str:token>/", views.confirm, name="confirm"),
    path("afmelden/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
