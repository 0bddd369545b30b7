from django.urls import path

from . import views

app_name = "people"

urlpatterns = [
    path("<int:pk>/bericht/", views.account_manager_contact, name="account_manager_contact"),
    path(
        "<int:pk>/bericht/verstuurd/",
        views.account_manager_contact_sent,
        name="account_manager_contact_sent",
    ),
]
