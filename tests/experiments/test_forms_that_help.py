"""Forms that help (issue 11, point 8): the slug follows the title, the wijken field offers the
gemeente's own wijken, the evaluation's choosers list published registrations by number and
gemeente, Wagtail's default groups and workflow give nobody every gemeente's pages, and the
overdue reminder asks for what a gemeente's editors can do: submit the evaluation. Through the
real admin views, as a Rotterdam editor."""

import datetime as dt

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Group
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.models import GroupCollectionPermission, GroupPagePermission, Page, Workflow

from editorial.setup import WAGTAIL_DEFAULT_WORKFLOW_NAME, setup_roles
from experiments.models import ExperimentPage
from experiments.withdrawal import withdraw
from kennisbank.models import (
    EvaluationPage,
    MunicipalityPracticesPage,
)
from tests.factories import EvaluationPageFactory, ExperimentPageFactory, PracticePageFactory
from tests.helpers import (
    add_evaluation_url,
    add_experiment_url,
    evaluation_form_data,
    experiments_parent,
)
from tests.roles_helpers import (
    admin_url,
    assert_refused,
    centre_editor,
    make_user,
    set_editors_may_publish,
    workflow_action,
)
from vocabulary.models import Neighbourhood

pytestmark = pytest.mark.django_db


def soup(response):
    return BeautifulSoup(response.content, "html.parser")


def options(response, field) -> dict[str, str]:
    """{value: label} of a select field in an admin form."""
    select = soup(response).select_one(f"select[name={field}]")
    return {
        o["value"]: " ".join(o.get_text().split()) for o in select.select("option") if o["value"]
    }


def selected(response, field) -> set[str]:
    return {o["value"] for o in soup(response).select(f"select[name={field}] option[selected]")}


# --- The experiment form ----------------------------------------------------------------------------


def test_the_experiment_title_fills_the_slug(rotterdam):
    title = soup(rotterdam.get(add_experiment_url(experiments_parent("rotterdam")))).select_one(
        "#id_title"
    )
    # Wagtail's sync controller copies the title, slugified, into the slug field as you type.
    assert "w-sync" in title["data-controller"].split()
    assert title["data-w-sync-target-value"] == "#id_slug"
    assert "keyup->w-sync#apply" in title["data-action"]


def test_the_wijken_field_offers_only_the_gemeentes_own_wijken(rotterdam):
    rotterdam_wijken = {
        str(pk): name
        for pk, name in Neighbourhood.objects.filter(municipality__slug="rotterdam").values_list(
            "pk", "name"
        )
    }
    assert len(rotterdam_wijken) > 1
    response = rotterdam.get(add_experiment_url(experiments_parent("rotterdam")))
    assert options(response, "neighbourhoods") == rotterdam_wijken

    # A wrong wijk saved earlier (say, by a script) stays listed, so the check can name it.
    page = ExperimentPageFactory(title="Met een verkeerde wijk")
    schilderswijk = Neighbourhood.objects.get(municipality__slug="den-haag", slug="schilderswijk")
    page.neighbourhoods.add(schilderswijk)
    page.save_revision()
    response = rotterdam.get(admin_url("edit", page.pk))
    assert set(options(response, "neighbourhoods")) == set(rotterdam_wijken) | {
        str(schilderswijk.pk)
    }
    assert str(schilderswijk.pk) in selected(response, "neighbourhoods")

    practices = MunicipalityPracticesPage.objects.get(municipality__slug="rotterdam")
    response = rotterdam.get(admin_url("add", "kennisbank", "practicepage", practices.pk))
    assert options(response, "neighbourhoods") == rotterdam_wijken


# --- The evaluation's choosers ----------------------------------------------------------------------


def test_the_evaluation_lists_published_registrations_by_number_and_gemeente(moderator_client):
    live = ExperimentPageFactory(title="Buurtcoach", published=True)
    draft = ExperimentPageFactory(
        gemeente="amsterdam", wijk="bos-en-lommer", title="Amsterdams concept"
    )
    practice = PracticePageFactory(gemeente="rotterdam", title="Portiekgesprekken", published=True)
    draft_practice = PracticePageFactory(gemeente="amsterdam", title="Amsterdamse schets")

    response = moderator_client.get(add_evaluation_url())
    experiments = options(response, "experiments")
    assert experiments[str(live.pk)] == f"{live.registration_number} · Buurtcoach (Rotterdam)"
    assert str(draft.pk) not in experiments
    assert set(experiments) == {
        str(pk) for pk in ExperimentPage.objects.live().values_list("pk", flat=True)
    }
    practices = options(response, "practices")
    assert practices[str(practice.pk)] == "Portiekgesprekken (Rotterdam)"
    assert str(draft_practice.pk) not in practices

    # What is linked stays listed (and chosen), even once it is no longer published.
    evaluation = EvaluationPageFactory(title="Evaluatie", experiments=[live])
    withdraw(live, "Dubbel geregistreerd.")
    response = moderator_client.get(admin_url("edit", evaluation.pk))
    assert (
        options(response, "experiments")[str(live.pk)]
        == f"{live.registration_number} · Buurtcoach (Rotterdam)"
    )
    assert selected(response, "experiments") == {str(live.pk)}


def test_the_evaluation_form_labels_its_choices_in_a_fixed_number_of_queries(moderator_client):
    url = add_evaluation_url()

    def count():
        moderator_client.get(url)
        with CaptureQueriesContext(connection) as ctx:
            response = moderator_client.get(url)
        return len(ctx.captured_queries), len(options(response, "experiments"))

    few, shown = count()
    for n in range(8):
        ExperimentPageFactory(title=f"Extra {n}", published=True)
    many, shown_now = count()
    assert shown_now == shown + 8
    assert many == few


# --- Who may submit evaluations: the gemeente for its own registrations, through moderation ---------


def test_a_gemeente_editor_submits_an_evaluation_of_its_own_experiment_for_moderation(
    rotterdam, moderator_client
):
    today = timezone.localdate()
    own = ExperimentPageFactory(
        title="Over tijd",
        published=True,
        status="lopend",
        start_date=dt.date(2009, 1, 1),
        planned_end_date=today - dt.timedelta(days=30),
    )
    theirs = ExperimentPageFactory(
        gemeente="amsterdam", wijk="bos-en-lommer", title="Amsterdams experiment", published=True
    )
    assert ExperimentPage.objects.get(pk=own.pk).results_expected

    form = rotterdam.get(add_evaluation_url())
    assert form.status_code == 200
    rotterdams = ExperimentPage.objects.filter(municipality__slug="rotterdam").values_list("pk")
    assert set(options(form, "experiments")) == {str(pk) for (pk,) in rotterdams}  # own among them

    # Linking another gemeente's experiment is refused with a clear message; nothing is saved.
    response = rotterdam.post(
        add_evaluation_url(), {**evaluation_form_data([own, theirs]), "action-submit": "1"}
    )
    assert response.status_code == 200
    [error] = response.context["form"].errors["experiments"]
    assert error == (
        f"U kunt alleen experimenten en praktijken van Rotterdam koppelen; {theirs.registration_number} · "
        "Amsterdams experiment (Amsterdam) is van een andere gemeente. Een kenniscentrum of de redactie kan die koppelen."
    )
    assert not EvaluationPage.objects.filter(slug="evaluatie-in-de-test").exists()

    response = rotterdam.post(
        add_evaluation_url(), {**evaluation_form_data([own]), "action-submit": "1"}
    )
    assert response.status_code == 302
    evaluation = EvaluationPage.objects.get(slug="evaluatie-in-de-test")
    assert not evaluation.live and evaluation.workflow_in_progress
    assert ExperimentPage.objects.get(pk=own.pk).results_expected  # not before it is published

    assert workflow_action(moderator_client, evaluation, "approve").status_code == 302
    assert EvaluationPage.objects.get(pk=evaluation.pk).live
    assert not ExperimentPage.objects.get(pk=own.pk).results_expected


def test_a_gemeente_editor_edits_only_its_own_evaluations_and_never_publishes_them(rotterdam):
    set_editors_may_publish(True)  # even when editors may publish in their own sections
    amsterdams = ExperimentPageFactory(gemeente="amsterdam", wijk="bos-en-lommer", published=True)
    others = EvaluationPageFactory(
        title="Evaluatie van anderen", experiments=[amsterdams], published=True
    )
    before = (others.title, others.live, others.latest_revision_id)
    assert_refused(rotterdam.get(admin_url("edit", others.pk)))
    assert_refused(rotterdam.post(admin_url("unpublish", others.pk)))
    assert (lambda p: (p.title, p.live, p.latest_revision_id))(
        EvaluationPage.objects.get(pk=others.pk)
    ) == before

    own = ExperimentPageFactory(title="Eigen experiment", published=True)
    data = evaluation_form_data([own])
    assert rotterdam.post(add_evaluation_url(), {**data, "action-publish": "1"}).status_code == 302
    evaluation = EvaluationPage.objects.get(slug="evaluatie-in-de-test")
    assert not evaluation.live  # publishing an evaluation is the editorial team's
    assert rotterdam.get(admin_url("edit", evaluation.pk)).status_code == 200


def test_a_knowledge_centre_links_any_gemeentes_experiments(roles):
    client = Client()
    client.force_login(centre_editor("kei", "redactie-kei"))
    rotterdam = ExperimentPageFactory(title="Rotterdams experiment", published=True)
    amsterdam = ExperimentPageFactory(
        gemeente="amsterdam", wijk="bos-en-lommer", title="Amsterdams experiment", published=True
    )
    assert {str(rotterdam.pk), str(amsterdam.pk)} <= set(
        options(client.get(add_evaluation_url()), "experiments")
    )
    response = client.post(
        add_evaluation_url(), {**evaluation_form_data([rotterdam, amsterdam]), "action-submit": "1"}
    )
    assert response.status_code == 302
    evaluation = EvaluationPage.objects.get(slug="evaluatie-in-de-test")
    assert set(evaluation.experiments.values_list("pk", flat=True)) == {rotterdam.pk, amsterdam.pk}


def test_the_reminder_says_what_to_do_with_links_that_work(
    rotterdam, settings, django_capture_on_commit_callbacks
):
    settings.WAGTAILADMIN_BASE_URL = "https://kennisloket.example.org"
    today = timezone.localdate()
    overdue = ExperimentPageFactory(
        title="Over tijd",
        published=True,
        status="lopend",
        start_date=dt.date(2009, 1, 1),
        planned_end_date=today - dt.timedelta(days=30),
    )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(
        execute=True
    ):  # its mails go once the command's work is committed
        call_command("remind_overdue_experiments", stdout=open("/dev/null", "w"))
    [message] = [m for m in mail.outbox if m.to == ["redactie-rotterdam@example.org"]]

    add_url = "https://kennisloket.example.org" + add_evaluation_url()
    edit_url = "https://kennisloket.example.org" + admin_url("edit", overdue.pk)
    assert add_url in message.body and edit_url in message.body
    assert "kies het experiment bij “Geëvalueerde experimenten”" in message.body
    assert "pas “Geplande einddatum” aan" in message.body
    # The editor the mail is for can open both.
    for url in (add_url, edit_url):
        assert rotterdam.get(url.removeprefix("https://kennisloket.example.org")).status_code == 200


# --- Wagtail's default groups and workflow ------------------------------------------------------


def test_setup_roles_takes_wagtails_default_groups_and_workflow_out_of_the_way(db):
    assert (
        Group.objects.filter(name__in=["Editors", "Moderators"]).count() == 2
    )  # from wagtailcore's migrations
    kept = make_user("oud-lid", Group.objects.get(name="Editors"))
    root = Page.get_first_root_node()
    assert root.get_workflow().name == WAGTAIL_DEFAULT_WORKFLOW_NAME

    report = setup_roles()

    assert report.default_groups_deleted == ["Moderators"]  # nobody was in it
    assert not Group.objects.filter(name="Moderators").exists()
    editors = Group.objects.get(name="Editors")  # kept: someone is in it, and the report says who
    assert report.default_groups_kept == {"Editors": ["oud-lid"]}
    assert "oud-lid" in str(report)
    assert not GroupPagePermission.objects.filter(group=editors).exists()
    assert not GroupCollectionPermission.objects.filter(group=editors).exists()
    assert list(editors.permissions.values_list("codename", flat=True)) == ["access_admin"]
    assert not GroupPagePermission.objects.filter(page=root).exists()
    assert not Workflow.objects.get(name=WAGTAIL_DEFAULT_WORKFLOW_NAME).active
    assert Page.get_first_root_node().get_workflow() is None

    # Its member can no longer touch a gemeente's pages.
    client = Client()
    client.force_login(kept)
    page = ExperimentPageFactory(title="Rotterdams concept")
    assert_refused(client.get(admin_url("edit", page.pk)))

    again = setup_roles()
    assert (again.default_groups_deleted, again.default_workflow_deactivated) == ([], False)
    assert again.default_groups_kept == {"Editors": ["oud-lid"]}
