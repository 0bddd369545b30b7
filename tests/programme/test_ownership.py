"""A gemeente's editors work on their own plans and charter (in their
/wijkactieplannen/<gemeente>/ section), never on another gemeente's, and what they submit goes
to the moderators. Through the real admin views."""

import pytest
from wagtail.models import WorkflowState

from editorial.setup import WORKFLOW_NAME
from programme.models import NeighbourhoodActionPlanPage
from tests.factories import CharterPageFactory, NeighbourhoodActionPlanPageFactory
from tests.programme.helpers import (
    add_url,
    charter_form_data,
    edit_url,
    plan_form_data,
    programme_parent,
)
from tests.roles_helpers import assert_refused

pytestmark = pytest.mark.django_db


def test_a_gemeente_editor_edits_its_own_plan_and_charter(rotterdam):
    plan = NeighbourhoodActionPlanPageFactory(published=True)
    charter = CharterPageFactory(published=True)
    for page in (plan, charter):
        assert rotterdam.get(edit_url(page)).status_code == 200
    data = plan_form_data(plan.neighbourhoods.all(), slug=plan.slug, title="Nieuwe titel")
    assert rotterdam.post(edit_url(plan), data).status_code == 302
    plan.refresh_from_db()
    assert plan.get_latest_revision_as_object().title == "Nieuwe titel"


def test_a_gemeente_editor_cannot_touch_another_gemeentes_plan_or_charter(rotterdam):
    plan = NeighbourhoodActionPlanPageFactory(
        gemeente="amsterdam", wijk="amsterdam-noord", published=True
    )
    charter = CharterPageFactory(gemeente="amsterdam", published=True)
    for page in (plan, charter):
        assert_refused(rotterdam.get(edit_url(page)))
    data = plan_form_data(plan.neighbourhoods.all(), slug=plan.slug, title="Overgenomen")
    assert_refused(rotterdam.post(edit_url(plan), data))
    assert_refused(rotterdam.get(add_url(programme_parent("amsterdam"), "charterpage")))
    plan.refresh_from_db()
    assert plan.title != "Overgenomen"
    assert plan.get_latest_revision_as_object().title != "Overgenomen"


def test_a_submitted_plan_goes_to_moderation_and_is_not_published(rotterdam):
    wijken = programme_parent("rotterdam").municipality.neighbourhoods.all()[:1]
    data = plan_form_data(wijken, **{"action-submit": "1"})
    response = rotterdam.post(
        add_url(programme_parent("rotterdam"), "neighbourhoodactionplanpage"), data
    )
    assert response.status_code == 302
    plan = NeighbourhoodActionPlanPage.objects.get(slug="wijkactieplan-in-de-test")
    assert not plan.live
    state = WorkflowState.objects.get(object_id=str(plan.pk))
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    assert state.workflow.name == WORKFLOW_NAME


def test_a_submitted_charter_goes_to_moderation(rotterdam):
    data = charter_form_data(**{"action-submit": "1"})
    response = rotterdam.post(add_url(programme_parent("rotterdam"), "charterpage"), data)
    assert response.status_code == 302
    charter = programme_parent("rotterdam").get_children().get(slug="charter-in-de-test")
    assert not charter.live
    assert charter.workflow_in_progress
