"""The programme's public pages as a visitor reads them: /wijkactieplannen/, a gemeente's
section, a wijkactieplan (goals with their prestaties, the monitor, the charter, the history)
and a charter (commitments per party linked to the plan's goals, the history)."""

import datetime as dt

import pytest

from programme.models import CharterCommitment, ProgrammeIndexPage, VisitationReport
from tests.factories import (
    CharterPageFactory,
    DocumentFactory,
    NeighbourhoodActionPlanPageFactory,
)

pytestmark = pytest.mark.django_db


def publish_change(page, note, **changes):
    page = type(page).objects.get(pk=page.pk)
    for name, value in changes.items():
        setattr(page, name, value)
    page.change_note = note
    page.save_revision().publish()
    return type(page).objects.get(pk=page.pk)


def test_the_plan_page_shows_goals_with_their_prestaties_the_monitor_and_the_charter(client):
    plan = NeighbourhoodActionPlanPageFactory(published=True, title="Crooswijk aan het werk")
    charter = CharterPageFactory(published=True)
    html = client.get(plan.url).content.decode()
    goal = plan.goals.get()
    prestatie = plan.activities.get()
    assert f'id="goal-{goal.code}"' in html and goal.goal in html
    # The prestatie shows under the goal it serves, with who delivers it.
    section = html.split(f'id="goal-{goal.code}"', 1)[1].split("</div>\n", 3)
    assert prestatie.description in "".join(section) and prestatie.partner in "".join(section)
    assert "Monitor" in html and 'data-goal="werkloosheid"' in html
    assert charter.url in html
    assert "Voor het eerst gepubliceerd op" in html
    assert "sinds de eerste publicatie niet gewijzigd" in html


def test_an_amended_plan_says_when_why_and_what_changed(client):
    plan = NeighbourhoodActionPlanPageFactory(published=True)
    publish_change(plan, "De looptijd is met het Rijk verlengd tot 2019.", period_end=2019)
    html = client.get(plan.url).content.decode()
    amendment = html.split('id="version-2"', 1)[1].split("</li>", 1)[0]
    assert "Gewijzigd op" in amendment
    assert "De looptijd is met het Rijk verlengd tot 2019." in amendment
    assert "Laatste jaar" in amendment and "Doelen" not in amendment
    assert "2008–2019" in html


def test_the_charter_lists_each_partys_commitments_linked_to_the_plans_goal(client):
    plan = NeighbourhoodActionPlanPageFactory(published=True)
    charter = CharterPageFactory(published=True)
    CharterCommitment.objects.filter(page=charter, party="rijk").update(goal_code="werkloosheid")
    charter = publish_change(charter, "", summary=charter.summary)  # rows as published
    html = client.get(charter.url).content.decode()
    assert 'id="party-rijk"' in html and 'id="party-gemeente"' in html
    rijk = html.split('id="party-rijk"', 1)[1].split("</table>", 1)[0]
    assert "Ruimte in regels." in rijk
    assert f'href="{plan.url}#goal-werkloosheid"' in rijk
    assert "Minister" in html and "minister voor WWI" in html
    assert plan.url in html  # the plans the charter rests on


def test_the_index_and_the_gemeente_section_lead_to_plans_charter_and_visitaties(client):
    plan = NeighbourhoodActionPlanPageFactory(published=True, title="Crooswijk aan het werk")
    charter = CharterPageFactory(published=True)
    draft = NeighbourhoodActionPlanPageFactory(title="Nog niet openbaar")
    VisitationReport.objects.create(
        municipality=plan.municipality,
        year=2008,
        title="Visitatie Rotterdam 2008",
        committee="Commissie-Test",
        summary="De commissie zag voortgang.",
        published_on=dt.date(2009, 1, 15),
        document=DocumentFactory(title="Visitatie Rotterdam 2008"),
    )
    index = ProgrammeIndexPage.objects.get()
    html = client.get(index.url).content.decode()
    row = html.split('data-gemeente="rotterdam"', 1)[1].split("</tr>", 1)[0]
    assert plan.url in row and charter.url in row and draft.title not in row
    assert f"{index.url}monitor/" in html
    section = client.get(plan.get_parent().url).content.decode()
    assert plan.url in section and charter.url in section
    visitatie = section.split('id="visitations"', 1)[1]
    assert "Visitatie Rotterdam 2008" in visitatie and "Commissie-Test" in visitatie
    assert ".pdf" in visitatie and "(PDF)" in visitatie
    assert draft.title not in section


def test_editors_preview_plans_charters_and_barriers_saved_or_not(rotterdam):
    """A preview renders what the editor has in the form: relations not saved yet included."""
    from places.models import BarrierIndexPage
    from programme.models import (
        BarrierPage,
        CharterPage,
        Ministry,
        MunicipalityProgrammePage,
        NeighbourhoodActionPlanPage,
    )
    from tests.factories import BarrierPageFactory, ExperimentPageFactory

    section = MunicipalityProgrammePage.objects.get(municipality__slug="rotterdam")
    experiment = ExperimentPageFactory(published=True, title="Gezinscoach in de preview")
    plan = NeighbourhoodActionPlanPageFactory(published=True)
    plan.experiments = [experiment]  # chosen in the form, not saved
    barrier = BarrierPageFactory(published=True)
    barrier.experiments = [experiment]
    barrier.action_plans = [plan]
    unsaved_plan = NeighbourhoodActionPlanPage(
        title="Nieuw plan in de preview", slug="nieuw", summary="Nog niet opgeslagen."
    )
    unsaved_plan.take_owner_from(section)
    unsaved_plan.neighbourhoods = list(section.municipality.neighbourhoods.all()[:1])
    unsaved_plan.experiments = [experiment]
    unsaved_charter = CharterPage(
        title="Nieuw charter in de preview",
        slug="c",
        summary="Nog niet opgeslagen.",
        signed_on=dt.date(2007, 11, 1),
    )
    unsaved_charter.take_owner_from(section)
    unsaved_barrier = BarrierPage(
        title="Nieuwe belemmering in de preview",
        slug="b",
        kind="regelgeving",
        summary="Nog niet opgeslagen.",
        ministry=Ministry.objects.get(slug="szw"),
        received_on=dt.date(2009, 5, 1),
    )
    unsaved_barrier.experiments = [experiment]
    assert BarrierIndexPage.objects.exists()
    for page in (plan, barrier, unsaved_plan, unsaved_charter, unsaved_barrier):
        response = page.make_preview_request()
        assert response.status_code == 200, page.title
        html = response.content.decode()
        assert page.title in html
        if not isinstance(page, CharterPage):
            assert "Gezinscoach in de preview" in html, page.title


def test_the_gemeente_page_leads_to_its_plans_charter_and_visitaties(client):
    from places.links import PlaceLinks

    plan = NeighbourhoodActionPlanPageFactory(published=True, title="Crooswijk aan het werk")
    charter = CharterPageFactory(published=True)
    VisitationReport.objects.create(
        municipality=plan.municipality,
        year=2010,
        title="Tweede visitatie Rotterdam",
        committee="Commissie-Test",
        summary="De commissie zag voortgang.",
        published_on=dt.date(2011, 1, 20),
        document=DocumentFactory(title="Tweede visitatie Rotterdam"),
    )
    html = client.get(PlaceLinks().municipality(plan.municipality)).content.decode()
    block = html.split('class="gemeente-plans"', 1)[1].split("</section>", 1)[0]
    assert plan.url in block and charter.url in block
    assert plan.get_parent().url in block
    assert "Tweede visitatie Rotterdam" in html.split('id="visitations"', 1)[1]
