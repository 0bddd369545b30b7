"""What other pages show of people/: the matching experts on experiment, plan and question
pages, the accountmanager on the gemeente page (with its contact form), the adoptieteams on the
wijk page, the alliance; the roles (only the programme directorate manages people), the
directorate's invitation from the admin, and the retention purge."""

import datetime as dt
import re

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from editorial.models import SectionGroup
from people import retention
from people.matching import matching_experts
from people.models import (
    AccountManager,
    AdoptionTeam,
    AdoptionTeamMember,
    ExpertProfile,
    Review,
)
from people.templatetags.people_tags import matching_experts as matching_tag
from places.links import PlaceLinks
from programme.models import Ministry, PlanGoal
from tests.factories import (
    ExperimentPageFactory,
    ExperimentTypeFactory,
    ExpertisePageFactory,
    NeighbourhoodActionPlanPageFactory,
    NeighbourhoodFactory,
    ThemeFactory,
)
from tests.helpers import log_in
from tests.roles_helpers import make_user, municipality_editor
from vocabulary.models import Municipality

pytestmark = pytest.mark.django_db


def expert(name, themes=(), types=(), public=True, **fields):
    values = {
        "name": name,
        "email": f"{name.split()[0].lower()}.prive@example.nl",
        "level": "strategisch",
        "show_themes": True,
        "show_experiment_types": True,
        "confirmed_at": timezone.now() if public else None,
        "review": Review.APPROVED if public else Review.PENDING,
        **fields,
    }
    profile = ExpertProfile.objects.create(**values)
    profile.themes.set(themes)
    profile.experiment_types.set(types)
    return profile


@pytest.fixture
def subject():
    """Two themes and a type nobody in the demo pool has, and an experiment on them."""
    first, second = ThemeFactory(slug="proeftheam-een"), ThemeFactory(slug="proeftheam-twee")
    kind = ExperimentTypeFactory(slug="proeftype")
    experiment = ExperimentPageFactory(themes=[first, second], experiment_type=kind, published=True)
    return first, second, kind, experiment


def test_matching_ranks_type_over_themes_and_counts_only_shown_fields(client, subject):
    first, second, kind, experiment = subject
    other = ThemeFactory(slug="proeftheam-drie")
    expert("Bea Both", themes=[first, second])  # 2 themes: score 2
    expert("Aad Allebei", themes=[first, second])  # score 2, first by name
    expert("Tom Type", themes=[first], types=[kind])  # type 2 + theme 1: score 3
    expert("Hanna Hidden", themes=[first], types=[kind], show_experiment_types=False)  # 1
    expert("Otto Other", themes=[other])  # nothing shared
    expert("Nina Niet-publiek", themes=[first, second], types=[kind], public=False)

    found = matching_experts(experiment)
    assert [(p.name, p.score) for p in found] == [
        ("Tom Type", 3),
        ("Aad Allebei", 2),
        ("Bea Both", 2),
    ]
    # On the page, in that order, without any address.
    body = client.get(experiment.url).content.decode()
    section = body[body.index('id="matching-experts-heading"') :]
    positions = [section.index(name) for name in ("Tom Type", "Aad Allebei", "Bea Both")]
    assert positions == sorted(positions)
    assert "Hanna Hidden" not in section and "Nina" not in section
    assert "prive@example.nl" not in body


def test_matching_takes_a_fixed_number_of_queries(subject):
    first, second, kind, experiment = subject

    def queries():
        with CaptureQueriesContext(connection) as captured:
            matching_tag(experiment)
        return len(captured)

    expert("Een", themes=[first], types=[kind])
    queries()  # the first also looks up the site's root paths, which Wagtail then keeps
    few = queries()
    for n in range(6):
        expert(f"Meer{n} Expert", themes=[first, second], types=[kind])
    assert queries() == few


def test_plans_and_answered_questions_get_suggestions(client, subject):
    first, second, kind, experiment = subject
    plan = NeighbourhoodActionPlanPageFactory(
        goals=[
            PlanGoal(
                theme=second,
                goal="Veiliger straten",
                code="veilig",
                indicator="Aangiften",
                unit="aantal",
                direction="lager",
                baseline_year=2007,
                baseline_value=100,
                target_year=2011,
                target_value=60,
                source="Politie",
            )
        ],
        activities=[],
        experiments=[experiment],
        published=True,
    )
    question = ExpertisePageFactory(
        kind="vraag-en-antwoord", themes=[first], experiment_types=[], published=True
    )
    expert("Tom Type", types=[kind])
    expert("Theo Thema", themes=[first])
    assert [p.name for p in matching_experts(plan)] == ["Tom Type"]  # theme second, type kind
    assert [p.name for p in matching_experts(question)] == ["Theo Thema"]
    assert "Tom Type" in client.get(plan.url).content.decode()
    assert "Theo Thema" in client.get(question.url).content.decode()


# --- Accountmanagers, adoptieteams, the alliance ----------------------------------------------


@pytest.fixture
def account_manager(db):
    """Zaanstad's accountmanager, in place of the demo's."""
    zaanstad = Municipality.objects.get(slug="zaanstad")
    AccountManager.municipalities.through.objects.filter(municipality=zaanstad).delete()
    manager = AccountManager.objects.create(
        name="Karel Koppelaar",
        ministry=Ministry.objects.get(slug="bzk"),
        function="Accountmanager Wijken",
        email="karel.prive@example.nl",
    )
    manager.municipalities.set([zaanstad])
    manager.save()  # a parental relation is written on save
    return manager


def test_the_gemeente_page_shows_its_accountmanager_and_routes_messages(
    client, account_manager, django_capture_on_commit_callbacks
):
    zaanstad = Municipality.objects.get(slug="zaanstad")
    page = client.get(PlaceLinks().municipality(zaanstad))
    body = page.content.decode()
    assert "Karel Koppelaar" in body and "karel.prive@example.nl" not in body
    assert not page.cookies  # the form is a page of its own: reading sets no cookie
    form_url = reverse("people:account_manager_contact", args=[account_manager.pk])
    assert form_url in body
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            form_url,
            {"name": "Wim Wethouder", "email": "wim@example.org", "message": "Even overleggen?"},
        )
    assert response.status_code == 302
    assert client.get(response["Location"]).status_code == 200
    (message,) = mail.outbox
    assert message.to == ["karel.prive@example.nl"] and message.reply_to == ["wim@example.org"]
    # Another gemeente's page does not show him.
    assert (
        "Karel Koppelaar"
        not in client.get(
            PlaceLinks().municipality(Municipality.objects.get(slug="arnhem"))
        ).content.decode()
    )


def test_a_gemeente_has_one_accountmanager_at_a_time(account_manager):
    from people.models import AccountManagerForm

    form_class = AccountManager.get_edit_handler().get_form_class()
    assert issubclass(form_class, AccountManagerForm)
    form = form_class(
        data={
            "name": "Tweede Manager",
            "ministry": Ministry.objects.get(slug="vrom").pk,
            "email": "tweede@example.nl",
            "municipalities": [Municipality.objects.get(slug="zaanstad").pk],
        },
        instance=AccountManager(),
        for_user=None,
    )
    assert not form.is_valid()
    assert "Karel Koppelaar" in str(form.errors["municipalities"])


def test_the_wijk_page_shows_its_adoptieteam(client):
    wijk = NeighbourhoodFactory(gemeente="rotterdam", slug="crooswijk")
    team = AdoptionTeam.objects.create(
        neighbourhood=wijk, start_date=dt.date(2008, 9, 1), end_date=dt.date(2011, 6, 30)
    )
    AdoptionTeamMember.objects.create(
        team=team, name="Mr. Pieter Proef", team_role="voorzitter", function="oud-burgemeester"
    )
    body = client.get(PlaceLinks().neighbourhood(wijk)).content.decode()
    assert "Mr. Pieter Proef" in body and "voorzitter" in body and "2011" in body


def test_the_alliance_lists_its_organisations(client):
    from people.models import AllianceIndexPage, AllianceOrganisationPage

    index = AllianceIndexPage.objects.get()
    organisation = AllianceOrganisationPage(
        title="Testkoepel", summary="Een koepel.", offers="<p>Advies aan coalities.</p>"
    )
    index.add_child(instance=organisation)
    assert "Testkoepel" in client.get(index.url).content.decode()
    assert "Advies aan coalities" in client.get(organisation.url).content.decode()


# --- Roles and the admin -----------------------------------------------------------------------


PROFILES_URL = "/admin/snippets/people/expertprofile/"


def directorate_client(client):
    log_in(
        client,
        make_user("programmadirectie", SectionGroup.objects.get(kind=SectionGroup.Kind.RIJK).group),
    )
    return client


def test_a_gemeente_editor_cannot_see_or_edit_profiles(roles, client):
    profile = expert("Geheim Profiel")
    log_in(client, municipality_editor("rotterdam", "redactie-rotterdam"))
    for url in (
        PROFILES_URL,
        f"{PROFILES_URL}edit/{profile.pk}/",
        f"{PROFILES_URL}add/",
        "/admin/snippets/people/accountmanager/",
        "/admin/snippets/people/adoptionteam/",
    ):
        response = client.get(url)
        assert response.status_code in (302, 403), url
        assert "Geheim Profiel" not in response.content.decode()
    assert "Geheim Profiel" not in client.get("/admin/").content.decode()


def test_the_directorate_invites_and_approves_from_the_admin(
    roles, client, django_capture_on_commit_callbacks
):
    directorate_client(client)
    assert client.get(PROFILES_URL).status_code == 200
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"{PROFILES_URL}add/",
            {
                "review": "approved",
                "name": "Ingrid Uitgenodigd",
                "email": "ingrid@example.nl",
                "level": "bestuurlijk",
                "availability": "beschikbaar",
                "send_invitation": "on",
            },
        )
    assert response.status_code == 302, response.content.decode()[:2000]
    profile = ExpertProfile.objects.get(email="ingrid@example.nl")
    assert profile.invited_at and not profile.is_public  # approved, not yet consented
    (invitation,) = mail.outbox
    assert invitation.to == ["ingrid@example.nl"]
    confirm_path = re.search(r"https?://[^\s/]+(/deskundigen/bevestigen/\S+/)", invitation.body)
    assert client.get(profile.get_url()).status_code == 404
    with django_capture_on_commit_callbacks(execute=True):
        client.post(confirm_path.group(1), {"shown": ["level"]})
    profile.refresh_from_db()
    assert profile.is_public
    assert "beheren" in mail.outbox[-1].body  # the "your profile is shown" mail
    assert client.get(profile.get_url()).status_code == 200
    assert client.get(f"{PROFILES_URL}edit/{profile.pk}/").status_code == 200


# --- Retention ---------------------------------------------------------------------------------


def test_purge_deletes_expired_unconfirmed_and_refused_profiles(settings):
    now = timezone.now()
    old = now - dt.timedelta(days=settings.EXPERT_SIGNUP_CONFIRM_DAYS + 1)
    stale = expert("Oude Aanmelding", public=False)
    fresh = expert("Nieuwe Aanmelding", public=False)
    invited = expert("Oude Uitnodiging", public=False)
    refused = expert("Geweigerd Profiel", review=Review.REFUSED)
    kept = expert("Publiek Profiel")
    ExpertProfile.objects.filter(pk__in=[stale.pk, invited.pk]).update(created_at=old)
    ExpertProfile.objects.filter(pk=invited.pk).update(invited_at=now - dt.timedelta(days=1))

    counts = retention.purge(now=now)
    assert counts["expert_unconfirmed"] == 1 and counts["expert_refused"] == 1
    remaining = set(ExpertProfile.objects.values_list("pk", flat=True))
    assert stale.pk not in remaining and refused.pk not in remaining
    assert {fresh.pk, invited.pk, kept.pk} <= remaining


# --- The demo ----------------------------------------------------------------------------------


def test_the_demo_has_the_pool_accountmanagers_adoptieteams_and_alliance(client):
    from people.models import AllianceOrganisationPage

    public = ExpertProfile.objects.public()
    assert 8 <= public.count() <= 10
    assert not ExpertProfile.objects.exclude(email__endswith="@example.nl").exists()
    assert all(p.confirmed_at.date() <= dt.date(2012, 3, 1) for p in public)
    served = AccountManager.municipalities.through.objects.values_list("municipality", flat=True)
    assert sorted(served) == sorted(Municipality.objects.values_list("pk", flat=True))
    assert (
        AdoptionTeam.objects.filter(start_date__year__gte=2008, end_date__year__lte=2011).count()
        >= 3
    )
    assert AllianceOrganisationPage.objects.live().count() == 4
    listing = client.get("/deskundigen/?thema=veiligheid")
    assert listing.status_code == 200 and "Pieter Hoekstra" in listing.content.decode()
    assert client.get("/alliantie/").status_code == 200
