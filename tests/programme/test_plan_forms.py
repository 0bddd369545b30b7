"""The wijkactieplan's admin form refuses what does not hold together, at the field, through
the real add and edit views, as a Rotterdam editor."""

import pytest

from programme.models import NeighbourhoodActionPlanPage
from tests.factories import ExperimentPageFactory, NeighbourhoodActionPlanPageFactory
from tests.programme.helpers import (
    activity,
    add_url,
    edit_url,
    field_errors,
    goal,
    plan_form_data,
    programme_parent,
)
from vocabulary.models import Neighbourhood

pytestmark = pytest.mark.django_db


def rotterdam_wijken():
    return list(Neighbourhood.objects.filter(municipality__slug="rotterdam")[:1])


def post_new_plan(client, **overrides):
    url = add_url(programme_parent("rotterdam"), "neighbourhoodactionplanpage")
    return client.post(
        url, plan_form_data(overrides.pop("wijken", rotterdam_wijken()), **overrides)
    )


def test_a_valid_plan_is_saved_in_the_gemeentes_section(rotterdam):
    response = post_new_plan(rotterdam)
    assert response.status_code == 302, field_errors(response)
    plan = NeighbourhoodActionPlanPage.objects.get(slug="wijkactieplan-in-de-test")
    assert plan.municipality.slug == "rotterdam"


def test_a_wijk_of_another_gemeente_is_refused(rotterdam):
    amsterdam = Neighbourhood.objects.filter(municipality__slug="amsterdam")[:1]
    errors = field_errors(post_new_plan(rotterdam, wijken=list(amsterdam)))
    assert "Niet in Rotterdam: Amsterdam-Noord" in errors["neighbourhoods"][0]


def test_goal_codes_are_unique_within_the_plan(rotterdam):
    errors = field_errors(post_new_plan(rotterdam, goals=[goal(), goal()]))
    assert (
        "Een ander doel van dit plan heeft de code “werkloosheid” al" in errors["goals-1-code"][0]
    )


def test_a_prestatie_must_serve_a_goal_of_the_same_form(rotterdam):
    errors = field_errors(post_new_plan(rotterdam, activities=[activity("schooluitval")]))
    assert "geen doel met de code “schooluitval”" in errors["activities-0-goal_code"][0]
    assert "werkloosheid" in errors["activities-0-goal_code"][0]


def test_a_deleted_goal_counts_out(rotterdam):
    goals = [goal(), goal(code="schooluitval", DELETE="1")]
    errors = field_errors(
        post_new_plan(rotterdam, goals=goals, activities=[activity("schooluitval")])
    )
    assert "activities-0-goal_code" in errors
    assert "goals-1-code" not in errors


def test_years_must_make_sense(rotterdam):
    errors = field_errors(
        post_new_plan(
            rotterdam,
            period_start="2012",
            period_end="2009",
            goals=[goal(baseline_year=2010, target_year=2010), goal(code="b", target_year=2300)],
        )
    )
    assert "kan niet vóór het eerste jaar liggen" in errors["period_end"][0]
    assert "moet na het basisjaar komen" in errors["goals-0-target_year"][0]
    assert "tussen 2000 en 2040" in errors["goals-1-target_year"][0]


def test_only_the_gemeentes_own_published_registrations_can_be_taken_on(rotterdam):
    own = ExperimentPageFactory(gemeente="rotterdam", title="Eigen experiment", published=True)
    other = ExperimentPageFactory(gemeente="amsterdam", title="Ander experiment", published=True)
    response = post_new_plan(rotterdam, experiments=[own, other])
    assert "Ander experiment is er geen" in field_errors(response)["experiments"][0]
    response = rotterdam.get(add_url(programme_parent("rotterdam"), "neighbourhoodactionplanpage"))
    offered = {
        value for value, _label in response.context["form"].fields["experiments"].widget.choices
    }
    assert own.pk in offered and other.pk not in offered


def test_an_experiment_linked_already_stays(rotterdam):
    other = ExperimentPageFactory(gemeente="amsterdam", title="Al gekoppeld", published=True)
    plan = NeighbourhoodActionPlanPageFactory(experiments=[other], published=True)
    data = plan_form_data(plan.neighbourhoods.all(), experiments=[other], slug=plan.slug)
    data["change_note"] = "Een kleine wijziging."
    response = rotterdam.post(edit_url(plan), data)
    assert response.status_code == 302, field_errors(response)


def test_publishing_a_change_to_a_published_plan_asks_why(rotterdam):
    plan = NeighbourhoodActionPlanPageFactory(published=True)
    data = plan_form_data(plan.neighbourhoods.all(), slug=plan.slug, **{"action-submit": "1"})
    errors = field_errors(rotterdam.post(edit_url(plan), data))
    assert "openbare geschiedenis van het plan" in errors["change_note"][0]
    # Saving a draft needs no explanation yet.
    data = plan_form_data(plan.neighbourhoods.all(), slug=plan.slug)
    assert rotterdam.post(edit_url(plan), data).status_code == 302
