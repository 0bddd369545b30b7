"""A registration is never lost (issue 11): every way out of the public is refused or becomes a
withdrawal with a reason; moves stay inside a section; a withdrawal ends pending moderation;
published versions are frozen; every amendment says why; withdrawals are announced; and the
search index's outbox commits with the change. Through the real admin views where there is one."""

import datetime as dt

import pytest
from bs4 import BeautifulSoup
from django.core import mail
from django.core.management import call_command
from django.db import OperationalError
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Page, PageViewRestriction, WorkflowState

from experiments.models import ExperimentIndexPage, ExperimentPage, Registration
from experiments.withdrawal import withdraw
from kennisbank.models import MunicipalityPracticesPage, PracticePage
from search.indexing import apply_database_entries, schedule
from search.models import IndexQueueEntry, SearchDocument
from tests.factories import (
    EvaluationPageFactory,
    ExperimentPageFactory,
    PracticePageFactory,
    RecognitionLevelFactory,
)
from tests.helpers import experiment_form_data, experiments_parent
from tests.roles_helpers import admin_url, municipality_editor, workflow_action
from vocabulary.models import Neighbourhood

pytestmark = pytest.mark.django_db


# `rotterdam` (a Rotterdam editor's client, user "redactie-rotterdam") and `moderator_client`
# come from conftest.py.


def crooswijk():
    return Neighbourhood.objects.get(municipality__slug="rotterdam", slug="crooswijk")


def reload(page):
    return ExperimentPage.objects.get(pk=page.pk)


def messages_of(response) -> str:
    return " ".join(str(m) for m in response.wsgi_request._messages)


def edit_data(page, **overrides):
    """The admin edit form's POST data for a registration, with `overrides`."""
    return experiment_form_data(
        list(page.neighbourhoods.all()), title=page.title, slug=page.slug, **overrides
    )


def submit_change(client, page, **overrides):
    response = client.post(
        admin_url("edit", page.pk), {**edit_data(page, **overrides), "action-submit": "1"}
    )
    return response


def approve(client, page):
    return workflow_action(client, ExperimentPage.objects.get(pk=page.pk), "approve")


# --- 1. Routes out of the public -----------------------------------------------------------------


def test_a_registration_has_no_expiry_date_and_an_old_one_running_out_becomes_a_withdrawal(
    rotterdam, moderator_client, django_capture_on_commit_callbacks
):
    page = ExperimentPageFactory(title="Vervalproef", published=True)
    # The editor's form has no expiry date; one posted anyway is not taken.
    form = rotterdam.get(admin_url("edit", page.pk))
    assert "expire_at" not in form.context["form"].fields
    assert "go_live_at" in form.context["form"].fields
    in_a_minute = (timezone.localtime() + dt.timedelta(minutes=1)).strftime("%Y-%m-%d %H:%M")
    response = submit_change(
        rotterdam,
        page,
        summary="Nieuwe samenvatting.",
        change_note="Samenvatting bijgewerkt.",
        expire_at=in_a_minute,
    )
    assert response.status_code == 302
    assert approve(moderator_client, page).status_code == 302
    page = reload(page)
    assert page.live and page.expire_at is None

    # An expiry date from before this rule (a script, an old revision) that runs out: the
    # registration is withdrawn, saying so, and its address answers 410, not 404.
    Page.objects.filter(pk=page.pk).update(expire_at=timezone.now() - dt.timedelta(minutes=1))
    with django_capture_on_commit_callbacks(execute=True):
        call_command("publish_scheduled")
    registration = Registration.objects.get(page=page)
    assert registration.withdrawn
    assert "vervaldatum" in registration.withdrawal_reason
    response = Client().get(page.url)
    assert response.status_code == 410
    assert "vervaldatum" in response.content.decode()


def test_publishing_clears_an_expiry_date_an_old_revision_carries(
    django_capture_on_commit_callbacks,
):
    page = ExperimentPageFactory(title="Oude revisie met vervaldatum")
    page.expire_at = timezone.now() + dt.timedelta(days=1)
    revision = page.save_revision()
    revision.publish()
    page = reload(page)
    assert page.live and page.expire_at is None


def test_a_section_with_registrations_below_it_is_not_unpublished(
    moderator_client, rotterdam_without_demo
):
    page = ExperimentPageFactory(title="Registratie onder de sectie", published=True)
    section = experiments_parent("rotterdam")
    for data in ({"include_descendants": "on"}, {}):
        response = moderator_client.post(admin_url("unpublish", section.pk), data)
        assert response.status_code == 302
        assert page.registration_number in messages_of(response)
        assert Page.objects.get(pk=section.pk).live
        assert reload(page).live
    index = ExperimentIndexPage.objects.get()
    response = moderator_client.post(
        admin_url("unpublish", index.pk), {"include_descendants": "on"}
    )
    assert response.status_code == 302 and Page.objects.get(pk=index.pk).live

    # The bulk action says the same.
    url = (
        reverse("wagtail_bulk_action", args=["wagtailcore", "page", "unpublish"])
        + f"?id={section.pk}"
    )
    response = moderator_client.post(url, {"include_descendants": "on"})
    assert response.status_code == 302
    assert Page.objects.get(pk=section.pk).live and reload(page).live
    assert Client().get(page.url).status_code == 200


def test_privacy_is_not_offered_on_a_registration_or_any_page_above_it(
    moderator_client, admin_client
):
    page = ExperimentPageFactory(title="Openbaar voor altijd", published=True)
    above = [experiments_parent("rotterdam"), ExperimentIndexPage.objects.get()]
    home = Page.objects.get(depth=2)  # only an administrator may publish it, so set its privacy
    for client, targets in (
        (moderator_client, [page, *above]),
        (admin_client, [page, *above, home]),
    ):
        for target in targets:
            url = admin_url("set_privacy", target.pk)
            shown = client.get(url)
            assert shown.status_code == 200
            assert "altijd openbaar" in shown.json()["html"]
            response = client.post(url, {"restriction_type": "password", "password": "geheim123"})
            assert response.status_code == 200
            assert not PageViewRestriction.objects.filter(page=target).exists()
    assert Client().get(page.url).status_code == 200

    # Pages that hold no registrations keep Wagtail's privacy (a practice, say).
    practice = PracticePageFactory(title="Praktijk achter een wachtwoord", published=True)
    response = admin_client.post(
        admin_url("set_privacy", practice.pk),
        {"restriction_type": "password", "password": "geheim123"},
    )
    assert response.status_code == 200
    assert PageViewRestriction.objects.filter(page=practice).exists()


# --- 2. A page stays in its section ---------------------------------------------------------------


def test_moving_a_registration_or_practice_into_another_section_is_refused(moderator_client):
    page = ExperimentPageFactory(title="Verhuist niet", published=True)
    url, parent = page.url, page.get_parent()
    amsterdam = experiments_parent("amsterdam")
    response = moderator_client.post(admin_url("move_confirm", page.pk, amsterdam.pk))
    assert response.status_code == 302
    assert "eigen sectie" in messages_of(response)
    page = reload(page)
    assert (
        page.get_parent().pk == parent.pk
        and page.url == url
        and page.municipality.slug == "rotterdam"
    )

    url = reverse("wagtail_bulk_action", args=["wagtailcore", "page", "move"]) + f"?id={page.pk}"
    response = moderator_client.post(url, {"chooser": amsterdam.pk})
    assert response.status_code == 302
    assert reload(page).get_parent().pk == parent.pk

    practice = PracticePageFactory(title="Praktijk die blijft", published=True)
    other = MunicipalityPracticesPage.objects.get(municipality__slug="amsterdam")
    moderator_client.post(admin_url("move_confirm", practice.pk, other.pk))
    assert PracticePage.objects.get(pk=practice.pk).get_parent().pk != other.pk


def test_a_copy_stays_in_its_section(moderator_client):
    page = ExperimentPageFactory(title="Kopieerbare opzet", published=True)
    amsterdam = experiments_parent("amsterdam")
    response = moderator_client.post(
        admin_url("copy", page.pk),
        {
            "new_title": "Kopieerbare opzet in Amsterdam",
            "new_slug": "kopieerbare-opzet-amsterdam",
            "new_parent_page": amsterdam.pk,
            "publish_copies": "on",
        },
    )
    assert response.status_code == 302
    assert "andere sectie" in messages_of(response)
    assert not ExperimentPage.objects.filter(slug="kopieerbare-opzet-amsterdam").exists()

    # Within its section a copy is a new page of the same gemeente, not yet registered.
    response = moderator_client.post(
        admin_url("copy", page.pk),
        {
            "new_title": "Kopieerbare opzet, tweede wijk",
            "new_slug": "kopieerbare-opzet-tweede",
            "new_parent_page": page.get_parent().pk,
        },
    )
    assert response.status_code == 302
    copy = ExperimentPage.objects.get(slug="kopieerbare-opzet-tweede")
    assert copy.municipality.slug == "rotterdam"
    assert not Registration.objects.filter(page=copy).exists()


def test_a_page_made_in_a_section_by_a_script_belongs_to_that_section():
    amsterdam = experiments_parent("amsterdam")
    wrong = Neighbourhood.objects.get(municipality__slug="rotterdam", slug="crooswijk").municipality
    page = ExperimentPageFactory(
        parent=amsterdam,
        title="Gemaakt door een script",
        summary="Test.",
        municipality=wrong,
        neighbourhoods=[],
        themes=[],
    )
    assert ExperimentPage.objects.get(pk=page.pk).municipality.slug == "amsterdam"


# --- 3. Withdrawal ends pending moderation ---------------------------------------------------------


def test_withdrawing_cancels_a_change_in_moderation_and_tells_the_submitter(
    rotterdam, moderator_client, django_capture_on_commit_callbacks
):
    page = ExperimentPageFactory(title="Wijziging in behandeling", published=True)
    response = submit_change(
        rotterdam,
        page,
        summary="Een voorgestelde nieuwe samenvatting.",
        change_note="De aanpak is uitgebreid.",
    )
    assert response.status_code == 302
    page = reload(page)
    task_state = page.current_workflow_task_state
    assert page.workflow_in_progress
    mail.outbox.clear()

    reason = "Het experiment is nooit van start gegaan: de subsidie werd niet toegekend."
    with django_capture_on_commit_callbacks(execute=True):  # the mail goes once it is committed
        response = moderator_client.post(
            reverse("experiments_withdraw", args=[page.pk]), {"reason": reason}
        )
    assert response.status_code == 302
    page = reload(page)
    assert not page.workflow_in_progress
    assert WorkflowState.objects.for_instance(page).get().status == WorkflowState.STATUS_CANCELLED
    told = [m for m in mail.outbox if "redactie-rotterdam@example.org" in m.to]
    assert len(told) == 1
    assert page.registration_number in told[0].subject and reason in told[0].body

    # The moderator can no longer approve it: nothing is published, the address stays a tombstone.
    moderator_client.post(
        reverse("wagtailadmin_pages:workflow_action", args=[page.pk, "approve", task_state.pk]),
        {"comment": ""},
    )  # (the task is cancelled, so workflow_action() would not even find it)
    page = reload(page)
    assert not page.live and page.withdrawn
    response = Client().get(page.url)
    assert response.status_code == 410
    assert "Een voorgestelde nieuwe samenvatting." not in response.content.decode()


def test_withdrawing_calls_off_a_scheduled_publication(django_capture_on_commit_callbacks):
    page = ExperimentPageFactory(title="Geplande wijziging", published=True)
    page.summary = "Komt er nooit."
    page.go_live_at = timezone.now() + dt.timedelta(hours=1)
    page.save_revision().publish()  # scheduled
    assert page.revisions.exclude(approved_go_live_at=None).exists()
    withdraw(reload(page), "Dubbele registratie.")
    assert not page.revisions.exclude(approved_go_live_at=None).exists()


# --- 4. A published version is frozen --------------------------------------------------------------


def test_a_version_keeps_the_names_it_was_published_with(client):
    wijk = crooswijk()
    page = ExperimentPageFactory(
        title="Bevroren versie", published=True, status="lopend", start_date=dt.date(2010, 1, 1)
    )
    old_name = wijk.name
    wijk.name = "Crooswijk-Noord"
    wijk.save()

    response = client.get(page.url + "registratie/")
    assert response.status_code == 200
    field = BeautifulSoup(response.content, "html.parser").select_one(
        '[data-field="neighbourhoods"]'
    )
    text = " ".join(field.get_text(" ").split())
    assert old_name in text and "heet nu" in text
    link = field.select_one(".registry-field__renamed a")
    assert link.get_text(strip=True) == "Crooswijk-Noord"
    assert link["href"] == "/wijken/rotterdam/crooswijk/"
    gemeente = BeautifulSoup(response.content, "html.parser").select_one(
        '[data-field="municipality"]'
    )
    assert "Rotterdam" in gemeente.get_text()
    # The current page shows the current name.
    assert "Crooswijk-Noord" in client.get(page.url).content.decode()


# --- 6. Every amendment says why ---------------------------------------------------------------------


def test_an_amendment_needs_an_explanation_which_the_history_and_api_show(
    rotterdam, moderator_client, client
):
    page = ExperimentPageFactory(title="Toelichting gevraagd", published=True)
    # A first registration asks for none; a change to a published one does.
    response = submit_change(rotterdam, page, summary="Nu met een spreekuur in het buurthuis.")
    assert response.status_code == 200
    assert "change_note" in response.context["form"].errors
    assert not reload(page).workflow_in_progress
    # A draft may be saved without it, and keeps it once given.
    response = rotterdam.post(
        admin_url("edit", page.pk),
        edit_data(
            page,
            summary="Nu met een spreekuur in het buurthuis.",
            change_note="Spreekuur toegevoegd.",
        ),
    )
    assert response.status_code == 302
    assert (
        rotterdam.get(admin_url("edit", page.pk)).context["form"].initial["change_note"]
        == "Spreekuur toegevoegd."
    )

    note = "Bewoners vroegen om een vast spreekuur; dat is toegevoegd."
    assert (
        submit_change(
            rotterdam, page, summary="Nu met een spreekuur in het buurthuis.", change_note=note
        ).status_code
        == 302
    )
    assert approve(moderator_client, page).status_code == 302
    page = reload(page)
    assert page.registration.versions.get(number=2).note == note

    history = BeautifulSoup(client.get(page.url).content, "html.parser").select_one("#amendment-2")
    assert note in history.get_text()
    assert note in client.get(page.url + "versies/2/").content.decode()
    api = client.get(f"/api/v1/experimenten/{page.registration_number}").json()
    assert [v["note"] for v in api["history"]] == ["", note]
    # The next change starts with an empty explanation.
    assert rotterdam.get(admin_url("edit", page.pk)).context["form"].initial["change_note"] == ""


# --- 5. Withdrawals are announced ---------------------------------------------------------------------


def test_the_api_lists_withdrawn_registrations_and_the_sitemap_never_does(client):
    page = ExperimentPageFactory(title="Aangekondigde intrekking", published=True)
    number = page.registration_number
    reason = "Samengevoegd met de registratie van de buurtaanpak."
    withdraw(page, reason)

    data = client.get("/api/v1/intrekkingen").json()
    assert data["count"] >= 1
    first = data["results"][0]
    assert (first["registration_number"], first["title"], first["withdrawal_reason"]) == (
        number,
        page.title,
        reason,
    )
    assert client.get(first["url"]).status_code == 410
    assert client.get(first["web_url"]).status_code == 410
    assert "intrekkingen" in client.get("/api/v1/").json()["endpoints"]
    assert client.get("/api/v1/intrekkingen?page=abc").status_code == 400
    assert client.get("/api/v1/intrekkingen?q=x").status_code == 400
    assert client.get("/api/v1/intrekkingen?page=999").status_code == 404
    assert page.url not in client.get("/sitemap.xml").content.decode()


# --- 10. The outbox commits with the change ---------------------------------------------------------


def test_the_intent_to_reindex_commits_with_the_change_or_not_at_all(
    django_capture_on_commit_callbacks,
):
    from django.db import transaction

    page = ExperimentPageFactory(title="Uitgesteld in de index")
    before = IndexQueueEntry.objects.count()
    with pytest.raises(RuntimeError):
        with transaction.atomic():
            page.save_revision().publish()
            assert IndexQueueEntry.objects.count() > before  # recorded inside the transaction
            raise RuntimeError("the publication fails")
    assert IndexQueueEntry.objects.count() == before
    assert not SearchDocument.objects.filter(page_id=page.pk).exists()


def test_an_index_update_that_fails_waits_for_the_worker(
    monkeypatch, django_capture_on_commit_callbacks
):
    from search import indexing

    page = ExperimentPageFactory(title="Database even bezet")

    def locked(docs):
        raise OperationalError("database is locked")

    monkeypatch.setattr(indexing, "store_documents", locked)
    with django_capture_on_commit_callbacks(execute=True):
        page.save_revision().publish()  # the publication itself succeeds
    assert reload(page).live
    assert not SearchDocument.objects.filter(page_id=page.pk).exists()
    assert IndexQueueEntry.objects.filter(page_id=page.pk, target="database").exists()

    monkeypatch.undo()
    call_command("search_index", "process_queue", verbosity=0)  # the worker's round
    assert SearchDocument.objects.filter(page_id=page.pk).exists()
    assert not IndexQueueEntry.objects.filter(page_id=page.pk).exists()


def test_what_is_scheduled_is_applied_right_after_the_commit(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        page = ExperimentPageFactory(title="Opnieuw te indexeren", published=True)
    SearchDocument.objects.filter(page_id=page.pk).delete()
    with django_capture_on_commit_callbacks(execute=True):
        schedule([page.pk])
        assert not SearchDocument.objects.filter(page_id=page.pk).exists()  # not before
    assert SearchDocument.objects.filter(page_id=page.pk).exists()
    assert apply_database_entries() == 0  # nothing left over


# --- Review: what must not be left half done ------------------------------------------------------


def test_a_withdrawal_stands_when_the_mail_server_is_down(
    moderator_client, settings, django_capture_on_commit_callbacks
):
    from wagtail.models import Workflow

    from tests.sites import free_port

    page = ExperimentPageFactory(title="Ingetrokken zonder mailserver", published=True)
    submitter = municipality_editor("rotterdam", "redactie-rotterdam")
    page.save_revision(user=submitter)
    Workflow.objects.get(name="Moderatie Kennisloket").start(
        reload(page), submitter
    )  # the submitter would be mailed
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = (
        "127.0.0.1",
        free_port(),
        2,
    )  # nothing listens

    with django_capture_on_commit_callbacks(execute=True):
        response = moderator_client.post(
            reverse("experiments_withdraw", args=[page.pk]), {"reason": "Dubbel."}
        )
    assert response.status_code == 302
    assert reload(page).withdrawn
    assert Client().get(page.url).status_code == 410


def test_withdrawing_directly_answers_an_open_request(
    rotterdam, moderator_client, django_capture_on_commit_callbacks
):
    from experiments.models import WithdrawalRequest

    page = ExperimentPageFactory(title="Verzoek en directe intrekking", published=True)
    rotterdam.post(
        reverse("experiments_request_withdrawal", args=[page.pk]), {"reason": "Nooit gestart."}
    )
    request = WithdrawalRequest.objects.get(registration__page=page)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        moderator_client.post(
            reverse("experiments_withdraw", args=[page.pk]),
            {"reason": "Samengevoegd met KW-2008-0001."},
        )
    request.refresh_from_db()
    assert request.status == WithdrawalRequest.Status.CONFIRMED
    told = [m for m in mail.outbox if m.to == ["redactie-rotterdam@example.org"]]
    assert len(told) == 1 and "Samengevoegd met KW-2008-0001." in told[0].body


def test_a_waiting_amendment_is_not_published_in_bulk(rotterdam, moderator_client):
    page = ExperimentPageFactory(title="Bulk zonder toelichting", published=True)
    rotterdam.post(
        admin_url("edit", page.pk), edit_data(page, summary="Een stille wijziging.")
    )  # a draft
    assert reload(page).has_unpublished_changes
    url = reverse("wagtail_bulk_action", args=["wagtailcore", "page", "publish"]) + f"?id={page.pk}"
    response = moderator_client.post(url, {})
    assert response.status_code == 302
    assert page.registration_number in messages_of(response)
    assert reload(page).summary != "Een stille wijziging."
    assert page.registration.versions.count() == 1


def test_an_explanation_is_not_carried_over_to_a_later_change():
    page = ExperimentPageFactory(title="Doorgeschoven toelichting", published=True)
    page = reload(page)
    page.summary, page.change_note = "Tweede versie.", "De samenvatting is aangescherpt."
    page.save_revision().publish()
    page = reload(page)
    page.summary = "Derde versie, door een script."  # change_note still holds the second's
    page.save_revision().publish()
    notes = list(page.registration.versions.order_by("number").values_list("note", flat=True))
    assert notes == ["", "De samenvatting is aangescherpt.", ""]


def test_a_page_whose_document_cannot_be_built_is_set_aside_and_the_others_go_on(
    monkeypatch, django_capture_on_commit_callbacks
):
    from search import documents, indexing

    good = ExperimentPageFactory(title="Goed document", published=True)
    bad = ExperimentPageFactory(title="Kapot document", published=True)
    build = documents.build_document

    def broken(page, site):
        if page.pk == bad.pk:
            raise ValueError("a field the builder does not expect")
        return build(page, site)

    monkeypatch.setattr(documents, "build_document", broken)
    IndexQueueEntry.objects.all().delete()
    SearchDocument.objects.filter(page_id__in=[good.pk, bad.pk]).delete()
    with django_capture_on_commit_callbacks(execute=True):
        indexing.schedule([good.pk, bad.pk])
    assert SearchDocument.objects.filter(page_id=good.pk).exists()  # the good one went on
    entry = IndexQueueEntry.objects.get(page_id=bad.pk, target="database")
    assert entry.refusals == 1 and "ValueError" in entry.last_error
    # The worker retries it, in later rounds, until it is set aside and reported.
    for _round in range(indexing.MAX_REFUSALS):
        call_command("search_index", "process_queue", verbosity=0)
    entry.refresh_from_db()
    assert entry.refusals == indexing.MAX_REFUSALS
    assert indexing.process_queue()["database"] == 0  # set aside: it holds up nothing
    monkeypatch.undo()  # the builder is mended
    assert [item["page_id"] for item in indexing.drift()["set_aside"]] == [
        bad.pk
    ]  # status reports it
    # A sync gives it another chance.
    call_command("search_index", "sync", verbosity=0)
    assert SearchDocument.objects.filter(page_id=bad.pk).exists()
    assert not IndexQueueEntry.objects.filter(page_id=bad.pk).exists()


def test_a_document_elasticsearch_refuses_does_not_stop_the_others(es_settings):
    from search.indexing import process_queue, queue_for_elasticsearch

    engine = es_settings.es_engine
    refused, taken = list(SearchDocument.objects.order_by("page_id")[:2])
    broken = dict(refused.data, unknown_field="the strict mapping refuses this")
    SearchDocument.objects.filter(page_id=refused.page_id).update(data=broken)
    engine.delete_documents([refused.page_id, taken.page_id])
    queue_for_elasticsearch([refused.page_id, taken.page_id])

    done = process_queue(engine)
    engine.refresh()
    ids = engine.document_ids()
    assert taken.page_id in ids and refused.page_id not in ids
    assert done["left"] == 0
    entry = IndexQueueEntry.objects.get(page_id=refused.page_id, target="elasticsearch")
    assert entry.refusals == 1 and "refused" in entry.last_error
    assert not IndexQueueEntry.objects.filter(page_id=taken.page_id).exists()


def test_renaming_a_section_moves_the_documents_below_it_along(django_capture_on_commit_callbacks):
    page = ExperimentPageFactory(title="Onder een hernoemde sectie", published=True)
    with django_capture_on_commit_callbacks(execute=True):
        schedule([page.pk])
    assert "/experimenten/rotterdam/" in SearchDocument.objects.get(page_id=page.pk).data["url"]
    section = experiments_parent("rotterdam")
    with django_capture_on_commit_callbacks(execute=True):
        section.slug = "rotterdam-stad"
        section.save_revision().publish()
    stored = SearchDocument.objects.get(page_id=page.pk).data["url"]
    assert "/experimenten/rotterdam-stad/" in stored


def test_an_experiment_an_evaluation_no_longer_evaluates_loses_its_recognition(
    django_capture_on_commit_callbacks,
):
    from kennisbank.models import EvaluationPage

    experiment = ExperimentPageFactory(title="Eerst geëvalueerd", published=True)
    with django_capture_on_commit_callbacks(execute=True):
        schedule([experiment.pk])
    with django_capture_on_commit_callbacks(execute=True):
        evaluation = EvaluationPageFactory(
            title="Evaluatie die ontkoppeld wordt",
            kind="effectevaluatie",
            method="quasi-experimenteel",
            recognition_level=RecognitionLevelFactory(),
            experiments=[experiment],
            published=True,
        )
    assert SearchDocument.objects.get(page_id=experiment.pk).data["has_evaluation"] is True

    evaluation = EvaluationPage.objects.get(pk=evaluation.pk)
    evaluation.experiments = []
    with django_capture_on_commit_callbacks(execute=True):
        evaluation.save_revision().publish()
    assert SearchDocument.objects.get(page_id=experiment.pk).data["has_evaluation"] is False


def test_the_migrations_frozen_labels_agree_with_the_code_today():
    import importlib

    from django.apps import apps

    from experiments.history import recorded_labels

    migration = importlib.import_module("experiments.migrations.0003_registry_trust")
    page = ExperimentPageFactory(filled=True, published=True)
    page.summary = "Gewijzigd, voor een tweede versie."
    page.save_revision().publish()
    versions = Registration.objects.get(page=page).versions.all()
    assert versions.count() == 2
    for version in versions:
        assert migration.labels_now(apps, version.data) == recorded_labels(version.data)
