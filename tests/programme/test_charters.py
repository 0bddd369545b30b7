"""The charter's admin form, through the real add and edit views as a Rotterdam editor."""

import pytest

from programme.models import CharterPage, PlanGoal
from tests.factories import CharterPageFactory, NeighbourhoodActionPlanPageFactory
from tests.programme.helpers import (
    add_url,
    charter_form_data,
    commitment,
    edit_url,
    field_errors,
    programme_parent,
)

pytestmark = pytest.mark.django_db


def post_new_charter(client, **overrides):
    url = add_url(programme_parent("rotterdam"), "charterpage")
    return client.post(url, charter_form_data(**overrides))


def test_a_commitment_by_a_partner_names_the_partner(rotterdam):
    errors = field_errors(post_new_charter(rotterdam, commitments=[commitment("partner")]))
    assert "Noem de partner" in errors["commitments-0-partner"][0]


def test_a_commitments_goal_must_be_a_goal_of_a_live_plan_of_the_gemeente(rotterdam):
    NeighbourhoodActionPlanPageFactory(published=True)  # goal "werkloosheid"
    amsterdam = NeighbourhoodActionPlanPageFactory(
        gemeente="amsterdam", wijk="amsterdam-noord", published=True
    )
    PlanGoal.objects.filter(page=amsterdam).update(code="schooluitval")  # not Rotterdam's
    errors = field_errors(
        post_new_charter(rotterdam, commitments=[commitment(goal_code="schooluitval")])
    )
    assert (
        "Geen gepubliceerd plan van deze gemeente heeft een doel met de code “schooluitval”"
        in errors["commitments-0-goal_code"][0]
    )
    response = post_new_charter(
        rotterdam, commitments=[commitment("partner", partner="Woonstad", goal_code="werkloosheid")]
    )
    assert response.status_code == 302, field_errors(response)
    charter = CharterPage.objects.get(slug="charter-in-de-test")
    assert charter.municipality.slug == "rotterdam"


def test_publishing_a_change_to_a_published_charter_asks_why(rotterdam):
    charter = CharterPageFactory(published=True)
    data = charter_form_data(slug=charter.slug, **{"action-submit": "1"})
    errors = field_errors(rotterdam.post(edit_url(charter), data))
    assert "openbare geschiedenis van het charter" in errors["change_note"][0]


def test_a_goal_code_two_plans_share_is_refused_as_ambiguous(rotterdam):
    NeighbourhoodActionPlanPageFactory(published=True)  # goal "werkloosheid"
    NeighbourhoodActionPlanPageFactory(wijk="het-oude-noorden", published=True)  # the same
    errors = field_errors(
        post_new_charter(rotterdam, commitments=[commitment(goal_code="werkloosheid")])
    )
    assert "Meer dan één plan van deze gemeente" in errors["commitments-0-goal_code"][0]
    assert not CharterPage.objects.filter(slug="charter-in-de-test").exists()
