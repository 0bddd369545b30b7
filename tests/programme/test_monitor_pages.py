"""The monitor on the public pages: the national view of the 40 wijken × the themes, and the
wijk page leading to its plan, the gemeente's charter and the plan's monitor."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from programme.models import IndicatorValue
from tests.factories import (
    CharterPageFactory,
    NeighbourhoodActionPlanPageFactory,
    ProgrammeIndexPageFactory,
)
from vocabulary.models import Neighbourhood

pytestmark = pytest.mark.django_db

NATIONAL = "/wijkactieplannen/monitor/"


def plan_with_value(gemeente, wijk, value):
    plan = NeighbourhoodActionPlanPageFactory(gemeente=gemeente, wijk=wijk, published=True)
    IndicatorValue.objects.create(
        plan=plan, indicator_code="werkloosheid", year=2011, value=value, source="CBS"
    )
    return plan


def row(html, wijk):
    return re.search(rf'<tr data-neighbourhood="{wijk}">(.*?)</tr>', html, re.S)[1]


def test_national_view_counts_effects_per_wijk_and_theme_in_fixed_queries(client, settings):
    settings.PAGE_CACHE_SECONDS = 0  # what rendering the page costs, not its cached copy
    ProgrammeIndexPageFactory()
    plan = plan_with_value("rotterdam", "crooswijk", 13)  # behind
    first = client.get(NATIONAL)
    html = first.content.decode()
    assert first.status_code == 200
    assert (
        len(re.findall(r"<tr data-neighbourhood=", html))
        == Neighbourhood.objects.filter(is_krachtwijk=True).count()
    )
    crooswijk = row(html, "crooswijk")
    assert re.search(
        r'data-theme="werken"><span [^>]*data-effect="achter" data-count="1">1 achter<', crooswijk
    )
    assert plan.url in crooswijk
    assert "Geen gepubliceerd wijkactieplan" in row(html, "oude-westen")

    with CaptureQueriesContext(connection) as one_plan:
        client.get(NATIONAL)
    plan_with_value("rotterdam", "oude-westen", 9)
    plan_with_value("utrecht", "kanaleneiland", 11)
    client.get(NATIONAL)  # the lookups kept per state of the content are read again once
    with CaptureQueriesContext(connection) as three_plans:
        html = client.get(NATIONAL).content.decode()
    assert len(three_plans) == len(one_plan)
    assert 'data-effect="op-koers" data-count="1">1 op koers<' in row(html, "oude-westen")


def test_wijk_page_leads_to_its_plan_charter_and_monitor(client):
    plan = plan_with_value("rotterdam", "crooswijk", 13)
    charter = CharterPageFactory(gemeente="rotterdam", published=True)
    html = client.get("/wijken/rotterdam/crooswijk/").content.decode()
    section = html[html.index('class="wijk-plans"') : html.index('id="themes-heading"')]
    assert plan.url in section and charter.url in section
    assert 'data-goal="werkloosheid" data-effect="achter"' in section
    assert "<svg" in section

    other = client.get("/wijken/rotterdam/oude-westen/").content.decode()
    assert "Er is nog geen gepubliceerd wijkactieplan voor Oude Westen." in other
