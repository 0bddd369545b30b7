"""A Rotterdam editor sees no title of an Amsterdam draft anywhere in the admin: not in the page
chooser (browsing, searching, "chosen multiple"), not on the move-confirm page, not on the
bulk-action confirm pages. (Wagtail refused the actions themselves; it showed the titles.)"""

import pytest
from django.test import Client
from django.urls import reverse

from editorial.setup import setup_roles
from tests.factories import ExperimentPageFactory
from tests.helpers import experiments_parent, log_in
from tests.roles_helpers import municipality_editor

pytestmark = pytest.mark.django_db

SECRET = "Geheim Amsterdams concept"


@pytest.fixture
def rotterdam_editor():
    setup_roles()
    client = Client()
    log_in(client, municipality_editor("rotterdam", "redacteur-r"))
    return client


@pytest.fixture
def amsterdam_draft():
    return ExperimentPageFactory(gemeente="amsterdam", wijk="bos-en-lommer", title=SECRET)


def _text(response) -> str:
    return response.content.decode()


def test_browsing_the_page_chooser_shows_no_other_gemeentes_draft(
    rotterdam_editor, amsterdam_draft
):
    live = ExperimentPageFactory(
        gemeente="amsterdam", wijk="zuidoost", title="Amsterdams gepubliceerd", published=True
    )
    parent = experiments_parent("amsterdam")
    response = rotterdam_editor.get(reverse("wagtailadmin_choose_page_child", args=[parent.pk]))
    assert response.status_code == 200
    assert SECRET not in _text(response)
    # Live pages there stay choosable (for links).
    assert live.title in response.json()["html"]
    # The draft itself as the page to browse below: not found.
    response = rotterdam_editor.get(
        reverse("wagtailadmin_choose_page_child", args=[amsterdam_draft.pk])
    )
    assert response.status_code == 404 and SECRET not in _text(response)


def test_searching_the_page_chooser_finds_no_other_gemeentes_draft(
    rotterdam_editor, amsterdam_draft
):
    own = ExperimentPageFactory(gemeente="rotterdam", title="Geheim Rotterdams concept")
    response = rotterdam_editor.get(reverse("wagtailadmin_choose_page_search"), {"q": "Geheim"})
    assert response.status_code == 200
    assert SECRET not in _text(response)
    assert own.title in _text(response)  # one's own drafts are found


def test_chosen_multiple_returns_nothing_of_another_gemeentes_draft(
    rotterdam_editor, amsterdam_draft
):
    own = ExperimentPageFactory(gemeente="rotterdam", title="Eigen concept")
    response = rotterdam_editor.get(
        reverse("wagtailadmin_choose_page_chosen_multiple"), {"id": [amsterdam_draft.pk, own.pk]}
    )
    assert response.status_code == 200
    assert SECRET not in _text(response)
    assert [item["id"] for item in response.json()["result"]] == [own.pk]


def test_the_move_confirm_page_shows_no_titles_of_a_move_the_editor_may_not_make(
    rotterdam_editor, amsterdam_draft
):
    own = ExperimentPageFactory(gemeente="rotterdam", title="Eigen experiment")
    for page, destination in (
        (own, amsterdam_draft),
        (amsterdam_draft, experiments_parent("rotterdam")),
    ):
        response = rotterdam_editor.get(
            reverse("wagtailadmin_pages:move_confirm", args=[page.pk, destination.pk])
        )
        assert response.status_code in (302, 403, 404)
        assert SECRET not in _text(response)
        if response.status_code == 302:
            assert SECRET not in _text(rotterdam_editor.get(response["Location"]))


@pytest.mark.parametrize("action", ["delete", "move", "publish", "unpublish"])
def test_bulk_action_confirm_pages_show_no_title_of_another_gemeentes_draft(
    rotterdam_editor, amsterdam_draft, action
):
    own = ExperimentPageFactory(gemeente="rotterdam", title="Eigen concept")
    url = reverse("wagtail_bulk_action", args=["wagtailcore", "page", action])
    response = rotterdam_editor.get(url, {"id": [amsterdam_draft.pk, own.pk], "next": "/admin/"})
    assert response.status_code == 200
    text = _text(response)
    assert SECRET not in text
    assert "Een pagina die u niet mag zien" in text
