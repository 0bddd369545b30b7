"""{% plan_monitor plan %}: per goal the chart with its numbers, the three answers and the
share of prestaties delivered, rendered from a plan of tests/factories.py."""

import re
from decimal import Decimal

import pytest
from django.template import Context, Template

from programme.models import IndicatorValue, PlanActivity, PlanGoal
from tests.factories import NeighbourhoodActionPlanPageFactory, ThemeFactory

pytestmark = pytest.mark.django_db


def render(plan):
    return Template("{% load monitor_tags %}{% plan_monitor plan %}").render(
        Context({"plan": plan})
    )


def goal_block(html, code):
    return re.search(rf'<article class="monitor-goal" data-goal="{code}".*?</article>', html, re.S)[
        0
    ]


def answer(block, name):
    return re.search(rf'data-answer="{name}">(.*?)</dd>', block, re.S)[1]


def test_each_goal_shows_its_chart_table_and_answers():
    plan = NeighbourhoodActionPlanPageFactory(
        published=True,
        goals=[
            PlanGoal(
                theme=ThemeFactory(slug="werken"),
                goal="Meer bewoners aan het werk",
                code="werkloosheid",
                indicator="Werkloze beroepsbevolking",
                unit="%",
                direction="lager",
                baseline_year=2007,
                baseline_value=14,
                target_year=2015,
                target_value=8,
            ),
            PlanGoal(
                theme=ThemeFactory(slug="wonen"),
                goal="Tevreden bewoners",
                code="tevredenheid",
                indicator="Rapportcijfer woonomgeving",
                unit="cijfer",
                direction="hoger",
                baseline_year=2008,
                baseline_value=6,
                target_year=2012,
                target_value=7,
            ),
        ],
        activities=[
            PlanActivity(
                goal_code="werkloosheid",
                description="Werktrajecten",
                partner="UWV",
                unit="trajecten",
                planned_quantity=400,
                realised_quantity=400,
            )
        ],
    )
    for year, value in ((2009, Decimal("13.5")), (2011, Decimal("12.75"))):
        IndicatorValue.objects.create(
            plan=plan, indicator_code="werkloosheid", year=year, value=value, source="CBS"
        )
    html = render(plan)

    unemployment = goal_block(html, "werkloosheid")
    # 2011, half way in time; 12.75 is less than half way from 14 to 8: behind, though the
    # one prestatie is delivered.
    assert answer(unemployment, "effect") == "achter"
    assert "1 van 1 (100%)" in answer(unemployment, "prestaties")
    assert answer(unemployment, "reconsider").startswith("<strong>ja:")
    svg = re.search(r"<svg.*?</svg>", unemployment, re.S)[0]
    assert 'role="img"' in svg and 'aria-labelledby="monitor-' in svg
    assert re.findall(r'data-year="(\d+)" data-value="([\d.]+)"', svg) == [
        ("2009", "13.50"),
        ("2011", "12.75"),
    ]
    assert 'class="chart__path"' in svg and 'class="chart__target"' in svg
    # The table beside it, in Dutch notation, with the straight path's value for each year.
    rows = re.findall(
        r'<tr data-year="(\d+)"><th scope="row">\d+</th><td>([^<]+)</td><td>([^<]+)</td>',
        unemployment,
    )
    assert rows == [("2009", "13,5", "12,5"), ("2011", "12,75", "11")]

    satisfaction = goal_block(html, "tevredenheid")
    assert answer(satisfaction, "effect") == "geen gegevens"
    assert "geen prestaties" in answer(satisfaction, "prestaties")
    assert answer(satisfaction, "reconsider") == "nee"
    assert "<table" not in satisfaction
    # The rules, in words, with the threshold.
    assert "80%" in html
