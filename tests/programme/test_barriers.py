"""Barrier entries (issue 17, point 4): the admin form's checks and offers, the public page
(who raises it, counted per gemeente; the answer and its history) and the back-links from
registrations and plans."""

import datetime as dt

import pytest
from django.utils import timezone
from wagtail.test.utils.form_data import nested_form_data, rich_text

from experiments.withdrawal import withdraw
from places.models import BarrierIndexPage
from programme.models import BarrierPage, PlanAnnotation
from tests.factories import (
    BarrierPageFactory,
    ExperimentPageFactory,
    NeighbourhoodActionPlanPageFactory,
)
from tests.programme.test_rijk_role import barrier_form_data, directorate_member

pytestmark = pytest.mark.django_db


@pytest.fixture
def register(roles):
    return BarrierIndexPage.objects.get()


def barrier_form(register, data, instance=None):
    form_class = BarrierPage.get_edit_handler().get_form_class()
    return form_class(
        data,
        instance=instance or BarrierPage(),
        parent_page=register,
        for_user=directorate_member(),
    )


# --- The form -----------------------------------------------------------------------------


def test_the_form_offers_published_registrations_and_plans_by_number_and_gemeente(register):
    published = ExperimentPageFactory(gemeente="rotterdam", published=True, title="Buurtcoach")
    draft = ExperimentPageFactory(gemeente="rotterdam", title="Concept")
    withdrawn = ExperimentPageFactory(gemeente="utrecht", wijk="kanaleneiland", published=True)
    withdraw(withdrawn, "Dubbel geregistreerd.")
    plan = NeighbourhoodActionPlanPageFactory(gemeente="rotterdam", published=True)
    draft_plan = NeighbourhoodActionPlanPageFactory(gemeente="rotterdam")

    form = barrier_form(register, None)
    experiments = dict(form.fields["experiments"].choices)
    assert experiments[published.pk] == (
        f"{published.registration_number} · Buurtcoach (Rotterdam)"
    )
    assert draft.pk not in experiments and withdrawn.pk not in experiments
    plans = dict(form.fields["action_plans"].choices)
    assert plans[plan.pk] == f"{plan.title} (Rotterdam)"
    assert draft_plan.pk not in plans

    # What an entry links already stays listed (and valid), withdrawn or not.
    barrier = BarrierPageFactory(experiments=[withdrawn], published=True)
    form = barrier_form(register, None, instance=barrier)
    assert withdrawn.pk in dict(form.fields["experiments"].choices)


@pytest.mark.parametrize(
    "overrides, field, message",
    [
        ({"experiments": []}, "experiments", "ten minste één registratie of wijkactieplan"),
        ({"answer": rich_text("Het Rijk past de regel aan.")}, "answered_on", "datum"),
        (
            {"answer": rich_text("Het Rijk past de regel aan."), "answered_on": "2010-01-04"},
            "status",
            "status",
        ),
        ({"status": "opgelost"}, "answer", "opgelost"),
        ({"status": "in-wetgeving"}, "answer", "antwoord"),
        (
            {
                "status": "afgewezen",
                "answer": rich_text("Nee."),
                "answered_on": "2009-04-30",
            },
            "answered_on",
            "1 mei 2009",
        ),
        (
            {
                "status": "afgewezen",
                "answer": rich_text("Nee."),
                "answered_on": str(timezone.localdate() + dt.timedelta(days=1)),
            },
            "answered_on",
            "toekomst",
        ),
    ],
)
def test_the_form_says_at_the_field_what_is_wrong(register, overrides, field, message):
    experiment = ExperimentPageFactory(gemeente="rotterdam", published=True)
    data = barrier_form_data(experiment)
    if overrides.pop("experiments", None) is not None:
        data["experiments"] = []
    data.update(nested_form_data(overrides))

    form = barrier_form(register, data)

    assert not form.is_valid()
    assert message in " ".join(form.errors.get(field, [])), form.errors


def test_an_answered_resolved_barrier_raised_by_a_plan_only_is_valid(register):
    plan = NeighbourhoodActionPlanPageFactory(gemeente="rotterdam", published=True)
    data = barrier_form_data(
        ExperimentPageFactory(gemeente="rotterdam", published=True),
        status="opgelost",
        answered_on="2010-01-04",
        answer=rich_text("De regel is aangepast."),
    )
    data["experiments"], data["action_plans"] = [], [plan.pk]
    form = barrier_form(register, data)
    assert form.is_valid(), form.errors


# --- The page -----------------------------------------------------------------------------


def test_the_page_counts_each_gemeente_once_across_registrations_and_plans(
    client, register, django_assert_max_num_queries, settings
):
    settings.PAGE_CACHE_SECONDS = 0  # what rendering the page costs, not its cached copy
    rotterdam_a = ExperimentPageFactory(gemeente="rotterdam", published=True, title="Rotterdam A")
    rotterdam_b = ExperimentPageFactory(gemeente="rotterdam", published=True, title="Rotterdam B")
    rotterdam_plan = NeighbourhoodActionPlanPageFactory(gemeente="rotterdam", published=True)
    utrecht_plan = NeighbourhoodActionPlanPageFactory(
        gemeente="utrecht", wijk="kanaleneiland", published=True
    )
    draft = ExperimentPageFactory(gemeente="amsterdam", wijk="slotervaart", title="Concept")
    withdrawn = ExperimentPageFactory(
        gemeente="den-haag", wijk="transvaal", published=True, title="Ingetrokken"
    )
    barrier = BarrierPageFactory(
        experiments=[rotterdam_a, rotterdam_b, draft, withdrawn],
        action_plans=[rotterdam_plan, utrecht_plan],
        published=True,
    )
    withdraw(withdrawn, "Dubbel geregistreerd.")

    response = client.get(barrier.url)

    assert response.status_code == 200
    raised = response.context["raised_by"]
    assert [g.municipality.slug for g in raised.municipalities] == ["rotterdam", "utrecht"]
    assert raised.municipality_count == 2
    html = response.content.decode()
    assert "2 gemeenten lopen hier tegenaan" in html
    for page in (rotterdam_a, rotterdam_b, rotterdam_plan, utrecht_plan):
        assert page.title in html
    assert "Concept" not in html
    # A withdrawn registration stays findable by its number for whoever cited it.
    assert [e.pk for e in raised.withdrawn] == [withdrawn.pk]
    assert withdrawn.registration_number in html
    assert "Nog geen antwoord" in html

    # More raising pages do not mean more queries.
    with django_assert_max_num_queries(30) as few:
        client.get(barrier.url)
    few = len(few.captured_queries)  # read now: the next request empties the query log
    barrier.experiments.add(
        *[
            ExperimentPageFactory(gemeente="utrecht", wijk="kanaleneiland", published=True)
            for _ in range(3)
        ]
    )
    barrier.save_revision().publish()
    client.get(barrier.url)  # the lookups kept per state of the content are read again once
    with django_assert_max_num_queries(few):
        client.get(barrier.url)


def test_the_page_shows_the_answer_and_when_the_status_changed(client, register):
    barrier = BarrierPageFactory(
        experiments=[ExperimentPageFactory(gemeente="rotterdam", published=True)], published=True
    )
    barrier.title = "Alleen de titel verandert"
    barrier.save_revision().publish()
    barrier.status = "in-behandeling"
    barrier.save_revision().publish()
    barrier.status = "opgelost"
    barrier.answer = "<p>De regel is aangepast.</p>"
    barrier.answered_on = dt.date(2010, 1, 4)
    barrier.save_revision()  # a draft never shows
    barrier.save_revision().publish()

    response = client.get(barrier.url)

    history = response.context["status_history"]
    assert [(s.status, s.answer_event) for s in history] == [
        ("ontvangen", ""),
        ("in-behandeling", ""),
        ("opgelost", "given"),
    ]
    html = response.content.decode()
    assert "De regel is aangepast." in html
    assert "Beantwoord op" in html and "4 januari 2010" in html
    assert "Statusgeschiedenis" in html


# --- Back-links -----------------------------------------------------------------------------


def test_the_experiment_page_lists_the_live_barriers_it_raises(client, register):
    experiment = ExperimentPageFactory(gemeente="rotterdam", published=True)
    raised = BarrierPageFactory(experiments=[experiment], published=True, title="Live regel")
    BarrierPageFactory(experiments=[experiment], title="Concept regel")

    html = client.get(experiment.url).content.decode()

    assert 'id="raised-barriers"' in html
    assert "Live regel" in html and raised.url in html
    assert "Ontvangen" in html or "ontvangen" in html
    assert "Concept regel" not in html


def test_the_plan_includes_show_its_barriers_and_the_rijks_remarks(rf, register):
    from django.template.loader import render_to_string

    plan = NeighbourhoodActionPlanPageFactory(gemeente="rotterdam", published=True)
    BarrierPageFactory(action_plans=[plan], published=True, title="Geldstroom in de weg")
    PlanAnnotation.objects.create(
        plan=plan,
        author="Programmadirectie Krachtwijken",
        text="Het plan mist een nulmeting.",
        written_on=dt.date(2010, 2, 1),
    )
    context = {"page": plan, "request": rf.get("/")}

    assert "Geldstroom in de weg" in render_to_string(
        "programme/includes/raised_barriers.html", context
    )
    remarks = render_to_string("programme/includes/plan_annotations.html", context)
    assert "Het plan mist een nulmeting." in remarks
    assert "Programmadirectie Krachtwijken, " in remarks and "1 februari 2010" in remarks
