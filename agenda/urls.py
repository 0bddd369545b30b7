from django.urls import path

from . import views

app_name = "agenda"

urlpatterns = [
    path("verstuurd/", views.sent, name="sent"),
    path("bevestigen/<str:token>/", views.confirm, name="confirm"),
    path("afmelden/<str:token>/", views.cancel, name="cancel"),
]
