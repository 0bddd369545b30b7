"""An editor without the right to unpublish asks for a withdrawal with a reason; a moderator
confirms (the registration is withdrawn with that reason) or declines with a comment; the
editor hears either way (issue 11, point 7). Through the real admin views, as a Rotterdam
editor and a moderator."""

import pytest
from bs4 import BeautifulSoup
from django.core import mail
from django.test import Client
from django.urls import reverse

from experiments.models import ExperimentPage, Registration, WithdrawalRequest
from tests.factories import ExperimentPageFactory
from tests.roles_helpers import (
    admin_url,
    assert_refused,
    municipality_editor,
    set_editors_may_publish,
)

# Rotterdam starts empty: the tests count its registrations.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("rotterdam_without_demo")]

REASON = "Het experiment is nooit gestart: de woningcorporatie trok zich terug."


def soup(response):
    return BeautifulSoup(response.content, "html.parser")


def text(node) -> str:
    return " ".join(node.get_text(" ").split())


def request_url(page) -> str:
    return reverse("experiments_request_withdrawal", args=[page.pk])


def decide_url(withdrawal_request) -> str:
    return reverse("experiments_withdrawal_request", args=[withdrawal_request.pk])


def mails_to(address):
    return [m for m in mail.outbox if m.to == [address]]


@pytest.fixture
def live_registration(roles):
    return ExperimentPageFactory(title="Buurtcoach Crooswijk", published=True)


@pytest.fixture(autouse=True)
def committed(monkeypatch, django_capture_on_commit_callbacks):
    """Each admin POST here commits, as it would outside the test's transaction: the mails that
    wait for the commit go out (into mail.outbox) before the POST returns."""
    from django.test import Client as TestClient

    post = TestClient.post

    def post_and_commit(self, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return post(self, *args, **kwargs)

    monkeypatch.setattr(TestClient, "post", post_and_commit)


def ask(client, page, reason=REASON):
    response = client.post(request_url(page), {"reason": reason})
    assert response.status_code == 302, (
        response.context["form"].errors if response.context else response
    )
    return WithdrawalRequest.objects.get(registration__page=page, status="open")


def test_an_editor_is_offered_a_request_not_a_withdrawal(rotterdam, live_registration):
    html = rotterdam.get(admin_url("edit", live_registration.pk)).content.decode()
    assert request_url(live_registration) in html
    assert reverse("experiments_withdraw", args=[live_registration.pk]) not in html
    assert "Intrekking aanvragen" in html
    explorer = rotterdam.get(
        reverse("wagtailadmin_explore", args=[live_registration.get_parent().pk])
    ).content.decode()
    assert request_url(live_registration) in explorer


def test_an_editor_asks_with_a_reason_and_the_moderators_are_mailed(
    rotterdam, moderator_client, live_registration
):
    assert rotterdam.get(request_url(live_registration)).status_code == 200
    response = rotterdam.post(request_url(live_registration), {"reason": "  "})
    assert response.status_code == 200
    assert response.context["form"].errors["reason"] == ["Dit is een verplicht veld."]
    assert not WithdrawalRequest.objects.exists()

    mail.outbox.clear()
    withdrawal_request = ask(rotterdam, live_registration)
    assert withdrawal_request.reason == REASON
    assert withdrawal_request.requested_by.username == "redactie-rotterdam"
    assert ExperimentPage.objects.get(
        pk=live_registration.pk
    ).live  # nothing happens until confirmed
    [message] = mail.outbox
    assert message.to == ["redacteur@example.org"]  # the moderator, not the editor
    label = f"{live_registration.registration_number} · Buurtcoach Crooswijk (Rotterdam)"
    assert label in message.subject
    assert REASON in message.body and decide_url(withdrawal_request) in message.body

    # One open request per registration: asking again shows the open one.
    again = rotterdam.post(request_url(live_registration), {"reason": "Nog een keer."})
    assert again.status_code == 200
    assert REASON in text(soup(again).select_one("main"))
    assert WithdrawalRequest.objects.filter(registration__page=live_registration).count() == 1

    # The editors see it on their dashboard, the moderator among the open requests.
    ours = soup(rotterdam.get(reverse("wagtailadmin_home"))).select_one(
        "#municipality-registrations-section"
    )
    [row] = [r for r in ours.select("tbody tr") if label in text(r)]
    assert "intrekking aangevraagd" in text(row)
    panel = soup(moderator_client.get(reverse("wagtailadmin_home"))).select_one(
        "#withdrawal-requests-section"
    )
    assert label in text(panel) and REASON in text(panel)
    assert panel.select_one(f'a[href="{decide_url(withdrawal_request)}"]') is not None


def test_a_moderator_confirms_and_the_registration_is_withdrawn_with_that_reason(
    rotterdam, moderator_client, live_registration
):
    withdrawal_request = ask(rotterdam, live_registration)
    number = live_registration.registration_number
    mail.outbox.clear()

    page = moderator_client.get(decide_url(withdrawal_request))
    assert page.status_code == 200 and REASON in text(
        soup(page).select_one("#withdrawal-request-reason")
    )
    response = moderator_client.post(
        decide_url(withdrawal_request), {"decision": "confirm", "comment": ""}
    )
    assert response.status_code == 302

    record = Registration.objects.get(number=number)
    assert record.withdrawn and record.withdrawal_reason == REASON
    assert record.withdrawn_by.username == "redacteur"
    withdrawal_request.refresh_from_db()
    assert (
        withdrawal_request.status == "bevestigd"
        and withdrawal_request.decided_by.username == "redacteur"
    )
    tombstone = Client().get(live_registration.url)
    assert tombstone.status_code == 410 and REASON in tombstone.content.decode()
    [told] = mails_to("redactie-rotterdam@example.org")
    assert "ingetrokken" in told.body and live_registration.url in told.body

    # Decided once: no panel row, and the page says so.
    assert (
        soup(moderator_client.get(reverse("wagtailadmin_home"))).select_one(
            "#withdrawal-requests-section"
        )
        is None
    )
    assert (
        moderator_client.post(
            decide_url(withdrawal_request), {"decision": "decline", "comment": "Toch niet."}
        ).status_code
        == 302
    )
    withdrawal_request.refresh_from_db()
    assert withdrawal_request.status == "bevestigd"


def test_a_moderator_declines_with_a_comment_and_the_editor_may_ask_again(
    rotterdam, moderator_client, live_registration
):
    withdrawal_request = ask(rotterdam, live_registration)
    mail.outbox.clear()

    response = moderator_client.post(
        decide_url(withdrawal_request), {"comment": "Geen knop gekozen."}
    )
    assert response.status_code == 200
    assert "Kies of u de intrekking bevestigt of de aanvraag afwijst." in response.content.decode()
    response = moderator_client.post(
        decide_url(withdrawal_request), {"decision": "decline", "comment": " "}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["comment"] == ["Geef aan waarom u de aanvraag afwijst."]
    assert WithdrawalRequest.objects.get(pk=withdrawal_request.pk).is_open

    comment = (
        "Pas liever de status aan naar 'gestopt', met de reden: zo blijft bewaard wat is geleerd."
    )
    assert (
        moderator_client.post(
            decide_url(withdrawal_request), {"decision": "decline", "comment": comment}
        ).status_code
        == 302
    )
    withdrawal_request.refresh_from_db()
    assert withdrawal_request.status == "afgewezen" and withdrawal_request.comment == comment
    page = ExperimentPage.objects.get(pk=live_registration.pk)
    assert page.live and not page.withdrawn
    [told] = mails_to("redactie-rotterdam@example.org")
    assert comment in told.body and "afgewezen" in told.subject

    ask(
        rotterdam, live_registration, reason="Toch dubbel geregistreerd."
    )  # a new request is allowed


def test_only_the_registrations_own_editors_ask_and_only_moderators_decide(
    rotterdam, live_registration
):
    amsterdam = Client()
    amsterdam.force_login(municipality_editor("amsterdam", "redactie-amsterdam"))
    assert_refused(amsterdam.get(request_url(live_registration)))
    assert_refused(amsterdam.post(request_url(live_registration), {"reason": REASON}))
    assert not WithdrawalRequest.objects.exists()

    withdrawal_request = ask(rotterdam, live_registration)
    for client in (rotterdam, amsterdam):
        assert_refused(client.post(decide_url(withdrawal_request), {"decision": "confirm"}))
    assert WithdrawalRequest.objects.get(pk=withdrawal_request.pk).is_open
    assert not Registration.objects.get(page=live_registration).withdrawn


def test_an_editor_who_may_publish_withdraws_it_directly(rotterdam, live_registration):
    set_editors_may_publish(True)
    response = rotterdam.get(request_url(live_registration))
    assert response.status_code == 302
    assert response["Location"] == reverse("experiments_withdraw", args=[live_registration.pk])
    assert (
        request_url(live_registration)
        not in rotterdam.get(admin_url("edit", live_registration.pk)).content.decode()
    )
