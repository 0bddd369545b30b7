"""The Rijk's role (issue 17, point 4): only the programme directorate (and administrators)
records barriers, answers them and writes remarks on plans; a gemeente's editors are refused
by the admin itself."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from wagtail.models import GroupPagePermission, Page
from wagtail.test.utils.form_data import nested_form_data, rich_text

from agenda.models import AgendaIndexPage
from editorial.models import SectionGroup
from editorial.roles import requires_two_factor
from editorial.setup import RIJK_GROUP_NAME, setup_roles
from people.models import AllianceIndexPage
from places.models import BarrierIndexPage
from programme.models import BarrierPage, Ministry, PlanAnnotation
from tests.factories import BarrierPageFactory, ExperimentPageFactory
from tests.helpers import log_in
from tests.roles_helpers import admin_url, assert_refused, make_user, municipality_editor
from vocabulary.models import Theme

pytestmark = pytest.mark.django_db


def directorate_member(username="programmadirectie"):
    """A member of the Rijk's programme directorate (the same user when asked again)."""
    existing = get_user_model().objects.filter(username=username).first()
    return existing or make_user(
        username, SectionGroup.objects.get(kind=SectionGroup.Kind.RIJK).group
    )


@pytest.fixture
def register(roles):
    return BarrierIndexPage.objects.get()


@pytest.fixture
def experiment(roles):
    return ExperimentPageFactory(gemeente="rotterdam", published=True)


@pytest.fixture
def barrier(experiment):
    return BarrierPageFactory(experiments=[experiment], published=True)


def barrier_form_data(experiment, **overrides):
    data = {
        "title": "Bijstand en vrijwilligerswerk",
        "slug": "bijstand-en-vrijwilligerswerk",
        "kind": "regelgeving",
        "ministry": Ministry.objects.get(slug="szw").pk,
        "received_on": "2009-05-01",
        "summary": "De sollicitatieplicht staat vrijwilligerswerk in de wijk in de weg.",
        "regulation": "Wet werk en bijstand, art. 9",
        "description": rich_text(""),
        "status": "ontvangen",
        "answered_on": "",
        "answer": rich_text(""),
        "seo_title": "",
        "search_description": "",
    }
    data.update(overrides)
    data = nested_form_data(data)
    data["themes"] = [Theme.objects.get(slug="werken").pk]
    data["experiments"] = [experiment.pk]
    data["action_plans"] = []
    return data


def add_barrier_url(register):
    return reverse("wagtailadmin_pages:add", args=["programme", "barrierpage", register.pk])


def test_setup_roles_makes_the_directorate_with_rights_on_its_own_sections_only(register):
    section = SectionGroup.objects.get(kind=SectionGroup.Kind.RIJK)
    assert section.group.name == RIJK_GROUP_NAME
    granted = set(
        GroupPagePermission.objects.filter(group=section.group).values_list(
            "page_id", "permission__codename"
        )
    )
    # The register, and the agenda and the alliance it manages (issue 18).
    agenda, alliance = AgendaIndexPage.objects.get(), AllianceIndexPage.objects.get()
    assert granted == {
        (page.pk, f"{action}_page")
        for page in (register, agenda, alliance)
        for action in ("add", "change", "publish", "lock", "unlock")
    }
    codenames = set(section.group.permissions.values_list("codename", flat=True))
    assert codenames == {
        "access_admin",
        "add_planannotation",
        "change_planannotation",
        "delete_planannotation",
        "add_visitationreport",
        "change_visitationreport",
        # The people it manages (issue 18).
        *(
            f"{action}_{model}"
            for model in ("expertprofile", "accountmanager", "adoptionteam")
            for action in ("add", "change", "delete", "view")
        ),
    }
    # Nobody else holds page rights on the register or may write the Rijk's remarks.
    assert not GroupPagePermission.objects.filter(page=register).exclude(group=section.group)
    assert set(SectionGroup.objects.filter(group__permissions__codename="add_planannotation")) == {
        section
    }
    again = setup_roles()
    assert (again.groups_created, again.page_permissions_added) == (0, 0)
    # The directorate publishes on behalf of the Rijk: a second factor is required.
    assert requires_two_factor(directorate_member())
    # Its answers are published by the directorate itself, without the moderation workflow.
    assert register.get_workflow() is None


def test_the_directorate_records_and_publishes_a_barrier_in_the_admin(client, register, experiment):
    log_in(client, directorate_member())
    response = client.post(
        add_barrier_url(register), barrier_form_data(experiment, **{"action-publish": "publish"})
    )
    assert response.status_code == 302, response.context["form"].errors
    barrier = BarrierPage.objects.get(slug="bijstand-en-vrijwilligerswerk")
    assert barrier.live
    assert list(barrier.experiments.all()) == [experiment]


def test_a_gemeente_editor_cannot_create_edit_or_publish_a_barrier(
    client, register, experiment, barrier
):
    log_in(client, municipality_editor("rotterdam", "redactie-rotterdam"))
    assert_refused(client.get(add_barrier_url(register)))
    assert_refused(
        client.post(
            add_barrier_url(register),
            barrier_form_data(experiment, **{"action-publish": "publish"}),
        )
    )
    assert not BarrierPage.objects.filter(slug="bijstand-en-vrijwilligerswerk").exists()

    before = Page.objects.get(pk=barrier.pk).latest_revision_id
    assert_refused(client.get(admin_url("edit", barrier.pk)))
    answered = barrier_form_data(
        experiment,
        title=barrier.title,
        slug=barrier.slug,
        status="opgelost",
        answered_on="2010-01-04",
        answer=rich_text("Opgelost door de gemeente zelf."),
        **{"action-publish": "publish"},
    )
    assert_refused(client.post(admin_url("edit", barrier.pk), answered))
    assert_refused(client.post(admin_url("unpublish", barrier.pk)))
    barrier.refresh_from_db()
    assert (barrier.status, barrier.latest_revision_id, barrier.live) == ("ontvangen", before, True)


def test_only_the_directorate_writes_the_rijks_remarks_on_a_plan(client, roles):
    from tests.factories import NeighbourhoodActionPlanPageFactory

    plan = NeighbourhoodActionPlanPageFactory(gemeente="rotterdam", published=True)
    add_url = reverse("wagtailsnippets_programme_planannotation:add")
    data = {
        "plan": plan.pk,
        "author": "Programmadirectie Krachtwijken",
        "written_on": "2010-02-01",
        "text": "Het plan mist een nulmeting voor veiligheid.",
    }

    log_in(client, municipality_editor("rotterdam", "redactie-rotterdam"))
    assert_refused(client.get(add_url))
    assert_refused(client.post(add_url, data))
    assert not PlanAnnotation.objects.exists()

    client.logout()
    log_in(client, directorate_member())
    assert client.post(add_url, data).status_code == 302
    annotation = PlanAnnotation.objects.get()
    assert annotation.plan_id == plan.pk

    client.logout()
    log_in(client, municipality_editor("rotterdam", "redactie-rotterdam-2"))
    edit_url = reverse("wagtailsnippets_programme_planannotation:edit", args=[annotation.pk])
    assert_refused(client.post(edit_url, {**data, "text": "Alles in orde."}))
    annotation.refresh_from_db()
    assert annotation.text.startswith("Het plan mist")
