"""Wijkactieplannen, charters and barrier entries in the search: their documents, the new facets
(ministerie, afhandeling) and the index upkeep that places a barrier where it is raised."""

import pytest
from django.http import QueryDict
from django.utils import translation

from experiments.withdrawal import withdraw
from programme.models import Ministry, PlanGoal
from search.models import SearchDocument
from search.service import search
from tests.factories import (
    BarrierPageFactory,
    CharterPageFactory,
    ExperimentPageFactory,
    NeighbourhoodActionPlanPageFactory,
    NeighbourhoodFactory,
    ThemeFactory,
)

pytestmark = pytest.mark.django_db


def ask(query_string):
    return search(QueryDict(query_string), page_size=100)


def counts(outcome, facet_key):
    groups = {group.key: group for group in outcome.facets}
    group = groups.get(facet_key)
    return {v.value: v.count for v in group.values} if group else {}


def document(page):
    return SearchDocument.objects.get(page_id=page.pk).data


@pytest.fixture
def ministry():
    # A ministry of its own, so the demo's barriers (if any) never mix in.
    return Ministry.objects.create(name="Ministerie van Proeven", abbreviation="MvP", slug="mvp")


@pytest.fixture
def raised(django_capture_on_commit_callbacks, ministry):
    """A barrier raised by three registrations of Proefstad (two wijken), one of Testdorp and
    a plan of Testdorp; a draft registration of Nergensdorp raises it too."""
    with django_capture_on_commit_callbacks(execute=True):
        pages = {
            "a1": ExperimentPageFactory(gemeente="proefstad", wijk="noord", published=True),
            "a2": ExperimentPageFactory(gemeente="proefstad", wijk="noord", published=True),
            "a3": ExperimentPageFactory(gemeente="proefstad", wijk="zuid", published=True),
            "b1": ExperimentPageFactory(gemeente="testdorp", wijk="oud", published=True),
            "plan": NeighbourhoodActionPlanPageFactory(
                gemeente="testdorp", wijk="nieuw", published=True
            ),
            "draft": ExperimentPageFactory(gemeente="nergensdorp", wijk="wijk", published=False),
        }
        pages["barrier"] = BarrierPageFactory(
            ministry=ministry,
            status="in-behandeling",
            regulation="Wet werk en bijstand, artikel 9",
            experiments=[pages[k] for k in ("a1", "a2", "a3", "b1", "draft")],
            action_plans=[pages["plan"]],
            published=True,
        )
    return pages


def test_a_barrier_raised_many_times_counts_once_in_every_facet(raised):
    outcome = ask("type=belemmering&ministerie=mvp")
    assert [card.page_id for card in outcome.cards] == [raised["barrier"].pk]
    assert counts(outcome, "municipality") == {"proefstad": 1, "testdorp": 1}
    assert counts(outcome, "neighbourhood") == {
        "proefstad-noord": 1,
        "proefstad-zuid": 1,
        "testdorp-oud": 1,
        "testdorp-nieuw": 1,
    }
    assert counts(outcome, "barrier_status") == {"in-behandeling": 1}
    groups = {group.key: group for group in outcome.facets}
    assert groups["ministry"].param == "ministerie"
    # The ministry facet also offers the other ministries (the demo's barriers), as every
    # facet does for the values besides the chosen one.
    ministries = {v.value: (v.label, v.count) for v in groups["ministry"].values}
    assert ministries["mvp"] == ("Ministerie van Proeven", 1)
    card = outcome.cards[0]
    assert card.ministry == "Ministerie van Proeven"
    with translation.override("nl"):  # what a visitor reads
        assert [str(v.label) for v in groups["barrier_status"].values] == ["in behandeling"]
        assert str(card.barrier_status_label) == "in behandeling"
    # The regulation is searchable text, the ministry's abbreviation too.
    assert ask("q=bijstand&ministerie=mvp").total == 1
    assert ask("q=MvP&type=belemmering").total == 1
    # Filtering on a gemeente that raises it finds it; one that only has a draft does not.
    assert ask("ministerie=mvp&gemeente=testdorp").total == 1
    assert ask("ministerie=mvp&gemeente=nergensdorp").total == 0


def test_unknown_values_of_the_new_facets_are_dropped_with_a_notice(raised):
    outcome = ask("ministerie=mvp&ministerie=geen-ministerie&afhandeling=vergeten")
    assert outcome.total == 1
    assert any("geen-ministerie" in notice for notice in outcome.query.notices)
    assert any("vergeten" in notice for notice in outcome.query.notices)
    assert outcome.query.filters == {"ministry": ["mvp"]}


def test_withdrawing_or_unpublishing_what_raises_a_barrier_moves_it(
    raised, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        withdraw(raised["b1"], "Dubbel ingediend.")
    assert document(raised["barrier"])["facets"]["municipality"] == ["proefstad", "testdorp"]
    assert "testdorp-oud" not in document(raised["barrier"])["facets"]["neighbourhood"]
    with django_capture_on_commit_callbacks(execute=True):
        raised["plan"].unpublish()
    assert document(raised["barrier"])["facets"]["municipality"] == ["proefstad"]
    assert counts(ask("ministerie=mvp"), "municipality") == {"proefstad": 1}


def test_renaming_a_ministry_reindexes_its_barriers(
    raised, ministry, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        ministry.name = "Ministerie van Nieuwe Proeven"
        ministry.save()
    assert document(raised["barrier"])["names"]["ministry"][0] == "Ministerie van Nieuwe Proeven"
    assert ask("q=nieuwe proeven&type=belemmering").total == 1


def test_a_plan_is_found_by_its_goals_and_prestaties_and_placed_in_its_wijken(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        plan = NeighbourhoodActionPlanPageFactory(
            gemeente="proefstad", wijk="noord", adopted_on=None, period_start=2009, published=True
        )
    doc = document(plan)
    assert doc["type"] == "wijkactieplan"
    assert doc["facets"]["municipality"] == ["proefstad"]
    assert doc["facets"]["neighbourhood"] == ["proefstad-noord"]
    assert doc["facets"]["theme"] == ["werken"]
    assert doc["facets"]["year"] == ["2009"]  # no adoption date: its first year
    assert "Werkloze beroepsbevolking" in doc["body"] and "UWV Werkbedrijf" in doc["body"]
    assert ask("q=werktrajecten&type=wijkactieplan&gemeente=proefstad").total == 1

    # A new goal on another theme, published: the plan is found on that theme too.
    plan.goals.add(
        PlanGoal(
            theme=ThemeFactory(slug="wonen"),
            goal="Betere woningen",
            code="woningen",
            indicator="Aandeel goede woningen",
            unit="%",
            baseline_year=2007,
            baseline_value=40,
            target_year=2015,
            target_value=60,
        )
    )
    with django_capture_on_commit_callbacks(execute=True):
        plan.save_revision().publish()
    assert document(plan)["facets"]["theme"] == ["werken", "wonen"]


def test_a_charter_covers_the_wijken_of_its_gemeentes_published_plans(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        charter = CharterPageFactory(gemeente="proefstad", published=True)
    doc = document(charter)
    assert doc["type"] == "charter"
    assert doc["facets"]["municipality"] == ["proefstad"]
    assert "neighbourhood" not in doc["facets"]
    assert doc["facets"]["theme"] == ["werken"]
    assert doc["facets"]["year"] == ["2007"]
    assert "Ruimte in regels" in doc["body"] and "minister voor WWI" in doc["body"]
    # Publishing a plan of the gemeente places the charter in the plan's wijk.
    NeighbourhoodFactory(gemeente="proefstad", slug="west")
    with django_capture_on_commit_callbacks(execute=True):
        NeighbourhoodActionPlanPageFactory(gemeente="proefstad", wijk="west", published=True)
    assert document(charter)["facets"]["neighbourhood"] == ["proefstad-west"]
    assert ask("type=charter&wijk=proefstad-west").total == 1
