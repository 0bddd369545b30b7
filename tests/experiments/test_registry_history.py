"""The registry's memory: the history of published amendments (old and new values), the
original registration at a stable URL, the status rules of the form, withdrawal instead of
deletion (with a tombstone), and "results expected" with its reminder to the gemeente."""

import contextlib
import datetime as dt
from unittest import mock

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Group
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.http import QueryDict
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from editorial.models import SectionGroup
from experiments.history import word_diff
from experiments.models import ExperimentPage, ExperimentPartner, Registration, RegistryVersion
from kennisbank.models import EvaluationPage
from search.indexing import apply_database_entries
from search.service import search
from tests.factories import EvaluationPageFactory, ExperimentPageFactory
from tests.helpers import a_date, add_experiment_url, experiment_form_data, experiments_parent
from vocabulary.models import Municipality, Neighbourhood

pytestmark = pytest.mark.django_db


@contextlib.contextmanager
def moment(when: dt.datetime):
    """Everything that asks django.utils.timezone for "now" (Wagtail's publishing included)
    gets `when`."""
    with mock.patch("django.utils.timezone.now", return_value=when):
        yield


def at(year, month, day):
    return timezone.make_aware(dt.datetime(year, month, day, 12, 0))


def soup(response):
    return BeautifulSoup(response.content, "html.parser")


def text(element):
    return " ".join(element.get_text(" ").split())


def reload(page):
    return ExperimentPage.objects.get(pk=page.pk)


# --- History ---------------------------------------------------------------------------------


@pytest.fixture
def amended_experiment():
    """Registered on 1 March 2024, amended on 1 June and 1 September, then a draft on 1 October."""
    crooswijk = Neighbourhood.objects.get(municipality__slug="rotterdam", slug="crooswijk")
    others = Neighbourhood.objects.filter(municipality__slug="rotterdam").exclude(pk=crooswijk.pk)
    second_wijk = others.order_by("name").first()
    with moment(at(2024, 3, 1)):
        page = ExperimentPageFactory(
            title="Portiekcoach Crooswijk",
            summary="Een coach per straat.",
            published=True,
            status="lopend",
            start_date=a_date(2024, 2, 1),
            planned_end_date=a_date(2025, 2, 1),
            problem_analysis="<p>Veel overlast in de portieken.</p>",
            contact_email="oud-adres@example.org",
        )
    with moment(at(2024, 6, 1)):
        page = reload(page)
        page.summary = "Een coach per portiek."
        page.neighbourhoods = [crooswijk, second_wijk]
        page.contact_email = "nieuw-adres@example.org"
        page.save_revision().publish()
    with moment(at(2024, 9, 1)):
        page = reload(page)
        page.status = "afgerond"
        page.end_date = a_date(2024, 8, 1)
        page.problem_analysis = "<p>Veel overlast en vervuiling in de portieken.</p>"
        page.partners = [
            ExperimentPartner(
                name="Woonstad Rotterdam",
                role="woningcorporatie",
                contribution="Huismeesters melden signalen",
            )
        ]
        page.save_revision().publish()
    with moment(at(2024, 9, 15)):
        page = reload(page)
        page.save_revision().publish()  # published again without a change: no new version
    with moment(at(2024, 10, 1)):
        page = reload(page)
        page.title = "Geheime conceptnaam"
        page.summary = "Geheime conceptsamenvatting die nog niet openbaar is."
        page.save_revision()  # a draft: never public
    return reload(page), crooswijk, second_wijk


def test_the_public_page_lists_both_amendments_with_old_and_new_values(client, amended_experiment):
    page, crooswijk, second_wijk = amended_experiment
    number = page.registration_number
    assert RegistryVersion.objects.filter(registration__page=page).count() == 3

    response = client.get(page.url)
    assert response.status_code == 200
    history = soup(response).select_one("#history")
    assert history is not None

    registered = history.select_one("#registered time")
    assert registered["datetime"].startswith("2024-03-01")
    assert number in text(history.select_one("#registered"))

    amendments = history.select(".amendment")
    assert [a["data-version"] for a in amendments] == ["2", "3"]
    assert [a.select_one("h3 time")["datetime"][:10] for a in amendments] == [
        "2024-06-01",
        "2024-09-01",
    ]

    first, second = amendments
    assert {c["data-field"] for c in first.select(".change")} == {"summary", "neighbourhoods"}
    assert {c["data-field"] for c in second.select(".change")} == {
        "status",
        "end_date",
        "problem_analysis",
        "partners",
    }

    summary = first.select_one('[data-field="summary"]')
    assert [text(d) for d in summary.select(".diff del")] == ["straat."]
    assert [text(i) for i in summary.select(".diff ins")] == ["portiek."]
    assert text(summary.select_one(".change__old")) == "Een coach per straat."
    assert text(summary.select_one(".change__new")) == "Een coach per portiek."

    wijken = first.select_one('[data-field="neighbourhoods"]')
    assert text(wijken.select_one(".change__old")) == crooswijk.name
    assert text(wijken.select_one(".change__new")) == ", ".join(
        sorted([crooswijk.name, second_wijk.name])
    )

    status = second.select_one('[data-field="status"]')
    assert status.select_one(".change__old")["data-value"] == "lopend"
    assert status.select_one(".change__new")["data-value"] == "afgerond"
    end_date = second.select_one('[data-field="end_date"]')
    assert end_date.select_one(".change__old time") is None  # there was none
    assert end_date.select_one(".change__new time")["datetime"] == "2024-08-01"

    analysis = second.select_one('[data-field="problem_analysis"]')
    assert analysis.select(".diff del") == []
    assert [text(i) for i in analysis.select(".diff ins")] == ["en vervuiling"]
    assert text(analysis.select_one(".change__old")) == "Veel overlast in de portieken."
    assert (
        text(analysis.select_one(".change__new")) == "Veel overlast en vervuiling in de portieken."
    )

    partners = second.select_one('[data-field="partners"]')
    assert text(partners.select_one(".change__old")) == "—"
    assert "Woonstad Rotterdam" in text(partners.select_one(".diff ins"))
    assert "Huismeesters melden signalen" in text(partners.select_one(".change__new"))

    # The contact email address is never part of the history.
    html = response.content.decode()
    assert "oud-adres@example.org" not in html
    assert 'data-field="contact_email"' not in html

    # The status timeline shows the dates and when the change was published.
    steps = {s["data-status"]: s for s in soup(response).select("#status-timeline .timeline__step")}
    assert "timeline__step--current" in steps["afgerond"]["class"]
    assert steps["afgerond"].select_one(".timeline__date time")["datetime"] == "2024-08-01"
    assert steps["afgerond"].select_one(".timeline__recorded time")["datetime"] == "2024-09-01"
    assert steps["lopend"].select_one(".timeline__date time")["datetime"] == "2024-02-01"
    assert "timeline__step--done" in steps["lopend"]["class"]


def test_the_original_registration_stays_readable_and_drafts_are_never_public(
    client, amended_experiment
):
    page, crooswijk, _second = amended_experiment

    original = client.get(page.url + "registratie/")
    assert original.status_code == 200
    fields = {f["data-field"]: f for f in soup(original).select("#registry-fields .registry-field")}
    assert soup(original).select_one("#registry-version")["data-version"] == "1"
    assert page.registration_number in original.content.decode()
    assert text(fields["summary"].dd) == "Een coach per straat."
    assert text(fields["neighbourhoods"].dd) == crooswijk.name
    assert fields["status"]["data-value"] == "lopend"
    assert "end_date" not in fields
    assert text(fields["problem_analysis"].dd) == "Veel overlast in de portieken."
    assert "contact_email" not in fields

    third = client.get(page.url + "versies/3/")
    assert third.status_code == 200
    fields = {f["data-field"]: f for f in soup(third).select("#registry-fields .registry-field")}
    assert text(fields["summary"].dd) == "Een coach per portiek."
    assert fields["status"]["data-value"] == "afgerond"
    assert fields["end_date"]["data-value"] == "2024-08-01"

    # The draft made after the last publication is nowhere in public.
    assert client.get(page.url + "versies/4/").status_code == 404
    for url in (
        page.url,
        page.url + "registratie/",
        page.url + "versies/2/",
        page.url + "versies/3/",
        "/experimenten/rotterdam/",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert "Geheime concept" not in html, url


def test_the_page_url_itself_keeps_serving_the_current_registration(client):
    page = ExperimentPageFactory(title="Gewoon adres", published=True)
    assert page.url.startswith("/experimenten/rotterdam/")
    response = client.get(page.url)
    assert response.status_code == 200
    assert soup(response).select("#history .amendment") == []
    assert client.get(page.url + "bestaat-niet/").status_code == 404


def test_word_diff_escapes_what_it_marks():
    html = word_diff("Een <b>veilige</b> wijk", "Een <script>alert(1)</script> wijk")
    assert "<script>" not in html and "<b>" not in html
    assert "&lt;script&gt;" in html
    marked = BeautifulSoup(html, "html.parser")
    assert [d.get_text() for d in marked.select("del")] == ["<b>veilige</b>"]
    assert [i.get_text() for i in marked.select("ins")] == ["<script>alert(1)</script>"]


# --- Withdrawal instead of deletion ------------------------------------------------------------


def test_deleting_a_published_registration_is_refused(admin_client):
    page = ExperimentPageFactory(title="Niet te verwijderen", published=True)
    draft = ExperimentPageFactory(title="Concept dat weg mag")

    response = admin_client.post(reverse("wagtailadmin_pages:delete", args=[page.id]))
    assert response.status_code == 302
    assert ExperimentPage.objects.filter(pk=page.pk).exists()

    # Nor in bulk, nor by deleting the municipality's section above it.
    bulk = reverse("wagtail_bulk_action", args=["wagtailcore", "page", "delete"])
    response = admin_client.post(f"{bulk}?id={page.id}&id={draft.id}")
    assert response.status_code == 302
    assert ExperimentPage.objects.filter(pk__in=[page.pk, draft.pk]).count() == 2
    parent = experiments_parent("rotterdam")
    response = admin_client.post(reverse("wagtailadmin_pages:delete", args=[parent.id]))
    assert response.status_code == 302
    assert ExperimentPage.objects.filter(pk=page.pk).exists()

    # A draft without a registration number can still be deleted.
    response = admin_client.post(reverse("wagtailadmin_pages:delete", args=[draft.id]))
    assert response.status_code == 302
    assert not ExperimentPage.objects.filter(pk=draft.pk).exists()


def test_withdrawing_leaves_a_tombstone(admin_client):
    page = ExperimentPageFactory(
        title="Teruggetrokken experiment",
        published=True,
        summary="Samenvatting die verdwijnt.",
        problem_analysis="<p>Probleemanalyse die verdwijnt.</p>",
        contact_name="Jan Verdwijn",
        search_description="Zoekbeschrijving die verdwijnt.",
    )
    number = page.registration_number
    url = reverse("experiments_withdraw", args=[page.id])

    assert admin_client.get(url).status_code == 200
    response = admin_client.post(url, {"reason": "  "})  # a reason is required
    assert response.status_code == 200
    assert "reason" in response.context["form"].errors
    assert not Registration.objects.get(number=number).withdrawn

    reason = "Dubbel geregistreerd: het experiment staat al onder een ander nummer."
    response = admin_client.post(url, {"reason": reason})
    assert response.status_code == 302
    registration = Registration.objects.get(number=number)
    assert registration.withdrawn_at is not None
    assert registration.withdrawal_reason == reason
    page = reload(page)
    assert not page.live and page.withdrawn

    visitor = Client()
    response = visitor.get(page.url)
    assert response.status_code == 410
    html = response.content.decode()
    tombstone = soup(response).select_one("#tombstone")
    assert tombstone is not None
    assert number in text(tombstone)
    assert "Teruggetrokken experiment" in text(tombstone.h1)
    assert text(tombstone.select_one("#withdrawal-reason")) == reason
    for content in (
        "Samenvatting die verdwijnt.",
        "Probleemanalyse die verdwijnt.",
        "Jan Verdwijn",
        "Zoekbeschrijving die verdwijnt.",
        'id="history"',
    ):
        assert content not in html
    assert visitor.get(page.url + "registratie/").status_code == 410
    assert (
        "Teruggetrokken experiment" not in visitor.get("/experimenten/rotterdam/").content.decode()
    )
    assert not ExperimentPage.objects.live().filter(pk=page.pk).exists()

    # A withdrawal is final: the editor is sent away, and publishing again does not bring it back.
    assert admin_client.get(reverse("wagtailadmin_pages:edit", args=[page.id])).status_code == 302
    page.save_revision().publish()
    assert not reload(page).live
    assert visitor.get(page.url).status_code == 410
    # Rolling back to an old revision does not undo it either: it lives outside the revisions.
    page.revisions.order_by("created_at").first().publish()
    assert not reload(page).live
    assert Registration.objects.get(number=number).withdrawn
    assert visitor.get(page.url).status_code == 410


# --- Results expected and the reminder --------------------------------------------------------


def add_evaluation(experiment, publish: bool) -> EvaluationPage:
    return EvaluationPageFactory(
        title=f"Evaluatie van {experiment.title}", experiments=[experiment], published=publish
    )


def test_results_are_overdue_exactly_when_a_running_or_completed_experiment_passed_its_end_without_a_live_evaluation(
    client, django_assert_num_queries
):
    today = timezone.localdate()
    yesterday = today - dt.timedelta(days=1)
    started = {"status": "lopend", "start_date": today - dt.timedelta(days=400)}
    past = ExperimentPageFactory(
        title="Over datum", published=True, planned_end_date=yesterday, **started
    )
    ends_today = ExperimentPageFactory(
        title="Eindigt vandaag", published=True, planned_end_date=today, **started
    )
    future = ExperimentPageFactory(
        title="Nog bezig", published=True, planned_end_date=today + dt.timedelta(days=1), **started
    )
    evaluated = ExperimentPageFactory(
        title="Geëvalueerd", published=True, planned_end_date=yesterday, **started
    )
    draft_evaluated = ExperimentPageFactory(
        title="Concept-evaluatie", published=True, planned_end_date=yesterday, **started
    )
    ended = ExperimentPageFactory(
        title="Afgerond zonder plan",
        published=True,
        status="afgerond",
        end_date=today - dt.timedelta(days=10),
    )
    # Only a running or completed experiment owes results: one still in preparation has none
    # yet, and a stopped one says why it stopped instead.
    preparing = ExperimentPageFactory(
        title="Nog in voorbereiding", published=True, planned_end_date=yesterday
    )
    stopped = ExperimentPageFactory(
        title="Gestopt",
        published=True,
        status="gestopt",
        end_date=today - dt.timedelta(days=10),
        stop_reason="De corporatie trok zich terug.",
        planned_end_date=yesterday,
    )
    add_evaluation(evaluated, publish=True)
    add_evaluation(draft_evaluated, publish=False)  # a draft evaluation does not count

    expected = {past.pk, draft_evaluated.pk, ended.pk}
    not_expected = {ends_today.pk, future.pk, evaluated.pk, preparing.pk, stopped.pk}
    for page in (past, ends_today, future, evaluated, draft_evaluated, ended, preparing, stopped):
        page = reload(page)
        assert page.results_expected is (page.pk in expected), page.title
        response = client.get(page.url)
        notice = soup(response).select_one("#results-expected")
        assert (notice is not None) is (page.pk in expected), page.title
        if notice is not None:
            assert "Resultaten te laat" in notice.get_text(), notice.get_text()
    # The search cards follow the same rule (the outbox is applied as after a commit).
    apply_database_entries()
    cards = {
        card.page_id: card for card in search(QueryDict("type=experiment"), page_size=1000).cards
    }
    for pk in expected | not_expected:
        assert cards[pk].results_expected is (pk in expected), pk
    flagged = set(ExperimentPage.objects.results_expected().values_list("pk", flat=True))
    assert expected <= flagged
    assert not (not_expected & flagged)
    # The annotated queryset and the property agree without a query per page.
    annotated = ExperimentPage.objects.filter(
        pk__in=expected | not_expected
    ).with_live_evaluation_flag()
    with django_assert_num_queries(1):
        assert {p.pk for p in annotated if p.results_expected} == expected


@pytest.fixture
def rotterdam_editor(django_user_model):
    rotterdam = Municipality.objects.get(slug="rotterdam")
    section = SectionGroup.objects.filter(municipality=rotterdam).first()
    if section is None:
        group = Group.objects.create(name="Test: Gemeente Rotterdam – redactie")
        section = SectionGroup.objects.create(group=group, kind="gemeente", municipality=rotterdam)
    user = django_user_model.objects.create_user(
        "redacteur-rdam", "redactie@rotterdam.example.org", "x"
    )
    user.groups.add(section.group)
    return user


def mails_to(address):
    return [m for m in mail.outbox if address in m.to]


def test_the_reminder_goes_to_the_gemeente_once_per_period(
    settings, rotterdam_editor, django_capture_on_commit_callbacks
):
    def remind():  # the command runs outside a transaction: its mails go at once
        with django_capture_on_commit_callbacks(execute=True):
            call_command("remind_overdue_experiments", stdout=open("/dev/null", "w"))

    settings.OVERDUE_REMINDER_DAYS = 10
    today = timezone.localdate()
    started = {"status": "lopend", "start_date": today - dt.timedelta(days=400)}
    overdue = ExperimentPageFactory(
        title="Achterstallig",
        published=True,
        planned_end_date=today - dt.timedelta(days=3),
        **started,
    )
    on_time = ExperimentPageFactory(
        title="Op schema", published=True, planned_end_date=today + dt.timedelta(days=30), **started
    )
    evaluated = ExperimentPageFactory(
        title="Met evaluatie",
        published=True,
        planned_end_date=today - dt.timedelta(days=3),
        **started,
    )
    add_evaluation(evaluated, publish=True)
    address = rotterdam_editor.email

    remind()
    sent = mails_to(address)
    assert len(sent) == 1
    assert sent[0].to == [address]
    assert overdue.registration_number in sent[0].body
    assert on_time.registration_number not in sent[0].body
    assert evaluated.registration_number not in sent[0].body
    # Only Rotterdam's editors hear about Rotterdam's experiments.
    assert all(
        overdue.registration_number not in m.body for m in mail.outbox if address not in m.to
    )

    remind()
    assert len(mails_to(address)) == 1  # not again within the period

    with moment(timezone.now() + dt.timedelta(days=9)):
        remind()
    assert len(mails_to(address)) == 1
    with moment(timezone.now() + dt.timedelta(days=11)):
        remind()
    again = mails_to(address)
    assert len(again) == 2
    assert overdue.registration_number in again[1].body


# --- The status rules of the form --------------------------------------------------------------


def test_model_validation_follows_the_status():
    page = ExperimentPageFactory(start_date=a_date(2010, 1, 1))

    page.status = "afgerond"
    with pytest.raises(ValidationError) as excinfo:
        page.full_clean()
    assert "end_date" in excinfo.value.message_dict

    page.status = "gestopt"
    page.end_date = a_date(2011, 1, 1)
    with pytest.raises(ValidationError) as excinfo:
        page.full_clean()
    assert set(excinfo.value.message_dict) == {"stop_reason"}
    page.stop_reason = "De partners trokken zich terug."
    page.full_clean()

    page.end_date = timezone.localdate() + dt.timedelta(
        days=1
    )  # an actual end date is not in the future
    with pytest.raises(ValidationError) as excinfo:
        page.full_clean()
    assert set(excinfo.value.message_dict) == {"end_date"}

    page.status = "lopend"
    page.end_date = None
    page.start_date = None
    with pytest.raises(ValidationError) as excinfo:
        page.full_clean()
    assert set(excinfo.value.message_dict) == {"start_date"}

    page.status = "in-voorbereiding"
    page.full_clean()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"status": "afgerond", "end_date": ""}, "end_date"),
        ({"status": "gestopt", "end_date": "2010-01-01", "stop_reason": ""}, "stop_reason"),
        ({"status": "gestopt", "end_date": "", "stop_reason": "Geen mandaat."}, "end_date"),
        ({"status": "lopend", "start_date": ""}, "start_date"),
    ],
)
def test_admin_form_shows_the_status_rule_on_its_field(admin_client, overrides, field):
    parent = experiments_parent("rotterdam")
    crooswijk = Neighbourhood.objects.get(municipality__slug="rotterdam", slug="crooswijk")

    response = admin_client.post(
        add_experiment_url(parent), experiment_form_data([crooswijk], **overrides)
    )

    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not ExperimentPage.objects.filter(slug="stadsmarinier-in-de-test").exists()


def test_admin_form_accepts_a_stopped_experiment_with_reason_and_date(admin_client):
    parent = experiments_parent("rotterdam")
    crooswijk = Neighbourhood.objects.get(municipality__slug="rotterdam", slug="crooswijk")
    data = experiment_form_data(
        [crooswijk],
        status="gestopt",
        end_date="2010-01-01",
        stop_reason="De partners trokken zich terug.",
    )

    response = admin_client.post(add_experiment_url(parent), data)

    assert response.status_code == 302, response.context["form"].errors if response.context else ""
    assert ExperimentPage.objects.get(slug="stadsmarinier-in-de-test").status == "gestopt"


def test_unpublishing_a_registration_in_the_admin_leads_to_withdrawal(admin_client):
    from django.urls import reverse

    page = ExperimentPageFactory(title="Nog gepubliceerd", published=True)
    response = admin_client.post(reverse("wagtailadmin_pages:unpublish", args=[page.id]))
    assert response.status_code == 302
    assert response["Location"] == reverse("experiments_withdraw", args=[page.id])
    page.refresh_from_db()
    assert page.live  # still published until withdrawn with a reason


# --- Citing ------------------------------------------------------------------------------------


def test_every_registration_page_offers_a_citation_of_the_version_shown(
    client, amended_experiment, settings
):
    page, _crooswijk, _second = amended_experiment
    number = page.registration_number

    current = text(soup(client.get(page.url)).select_one("#citation"))
    assert current.startswith("Citeer deze registratie")
    assert (
        f"Gemeente Rotterdam. Portiekcoach Crooswijk. Registratie {number}, "
        "versie 3 van 1 september 2024. Kennisloket Krachtwijken. "
        f"{settings.SITE_URL}{page.url}versies/3/ (geraadpleegd op [datum])."
    ) in current

    original = text(soup(client.get(page.url + "registratie/")).select_one("#citation"))
    assert f"Registratie {number}, versie 1 van 1 maart 2024." in original
    assert f"{settings.SITE_URL}{page.url}registratie/ " in original
    second = text(soup(client.get(page.url + "versies/2/")).select_one("#citation"))
    assert f"versie 2 van 1 juni 2024. Kennisloket Krachtwijken. {settings.SITE_URL}" in second
