"""Editors can open every page type in the admin, and the add forms of the registry."""

import pytest
from django.urls import reverse

from .test_public_pages import PAGE_TYPES

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("model", PAGE_TYPES, ids=lambda m: m.__name__)
def test_every_page_type_opens_in_the_editor(admin_client, model):
    page = model.objects.first()
    response = admin_client.get(reverse("wagtailadmin_pages:edit", args=[page.pk]))
    assert response.status_code == 200


def test_experiment_form_has_the_registry_tabs(admin_client):
    from .helpers import add_experiment_url, experiments_parent

    html = admin_client.get(add_experiment_url(experiments_parent("utrecht"))).content.decode()
    for tab in ("Basis", "Aanpak", "Onderzoek", "Partners", "Contact en documenten"):
        assert tab in html


def test_anonymous_visitors_cannot_reach_the_admin(client):
    response = client.get("/admin/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
