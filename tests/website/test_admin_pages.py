"""Editors can open every page type in the admin, and the add forms of the registry."""

import pytest
from django.urls import reverse

from tests.factories import live_page_of
from tests.website.test_public_pages import PAGE_TYPES

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("model", PAGE_TYPES, ids=lambda m: m.__name__)
def test_every_page_type_opens_in_the_editor(admin_client, model):
    page = live_page_of(model)
    response = admin_client.get(reverse("wagtailadmin_pages:edit", args=[page.pk]))
    assert response.status_code == 200


def test_experiment_form_has_the_registry_tabs(admin_client):
    from tests.helpers import add_experiment_url, experiments_parent

    html = admin_client.get(add_experiment_url(experiments_parent("utrecht"))).content.decode()
    for tab in ("Basis", "Aanpak", "Onderzoek", "Partners", "Contact en documenten"):
        assert tab in html


def test_anonymous_visitors_cannot_reach_the_admin(client):
    response = client.get("/admin/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_reverting_to_a_revision_that_does_not_exist_is_a_404_not_a_server_error(
    client, admin_client
):
    from wagtail.models import Page

    from tests.helpers import log_in
    from tests.roles_helpers import municipality_editor

    bare = Page.objects.get(depth=1).add_child(
        instance=Page(title="Zonder revisies", slug="zonder-revisies")
    )
    assert not bare.revisions.exists()
    url = reverse("wagtailadmin_pages:revisions_revert", args=[bare.pk, 0])
    assert admin_client.get(url).status_code == 404
    # Before any permission check, for an editor of another section too.
    from editorial.setup import setup_roles

    setup_roles()
    log_in(client, municipality_editor("rotterdam", "redacteur-r"))
    assert client.get(url).status_code == 404
    # A real revision still opens the revert editor.
    from tests.factories import ExperimentPageFactory

    page = ExperimentPageFactory(title="Met een revisie")
    revision = page.get_latest_revision()
    assert (
        admin_client.get(
            reverse("wagtailadmin_pages:revisions_revert", args=[page.pk, revision.pk])
        ).status_code
        == 200
    )
