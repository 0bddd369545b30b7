"""Registering for an event, as a visitor does it: the form, the mail, the links in it. Real
mails in Django's test outbox; the links are taken from the mail's text."""

import datetime as dt
import re
from unittest import mock

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from agenda.choices import RegistrationStatus
from agenda.models import Registration

pytestmark = pytest.mark.django_db

LINK = re.compile(r"https?://\S+/aanmeldingen/(bevestigen|afmelden)/(\S+)/")


def links_in(message) -> dict[str, str]:
    """{"bevestigen": path, "afmelden": path} of one mail."""
    return {kind: f"/aanmeldingen/{kind}/{token}/" for kind, token in LINK.findall(message.body)}


def register(client, committed, event, email, name="Anna de Vries", address="192.0.2.1"):
    with committed():
        response = client.post(
            event.url + "aanmelden/",
            {"name": name, "email": email, "organisation": "Gemeente Zaanstad"},
            REMOTE_ADDR=address,
        )
    assert response.status_code == 302, response.content.decode()[:500]
    return mail.outbox[-1]


def confirm(client, committed, message):
    path = links_in(message)["bevestigen"]
    assert client.get(path).status_code == 200  # shows a button; a mail scanner confirms nothing
    with committed():
        return client.post(path)


def test_a_registration_round_trip_seat_waiting_list_cancel_and_moving_up(
    client, committed, make_event
):
    event = make_event(capacity=1)

    first = register(client, committed, event, "anna@example.nl")
    assert first.to == ["anna@example.nl"] and event.title in first.subject
    assert Registration.objects.get(email="anna@example.nl").status == RegistrationStatus.PENDING
    assert "afmelden" in links_in(first)  # a cancel link in every mail

    response = confirm(client, committed, first)
    assert response.status_code == 200
    assert 'data-status="aangemeld"' in response.content.decode()
    anna = Registration.objects.get(email="anna@example.nl")
    assert anna.status == RegistrationStatus.CONFIRMED
    seat_mail = mail.outbox[-1]
    assert seat_mail.to == ["anna@example.nl"] and "afmelden" in links_in(seat_mail)

    # The event is full now: the page says so, and the next one joins the waiting list.
    assert 'id="seats-left"' in client.get(event.url).content.decode()
    assert 'id="registration-form"' in client.get(event.url + "aanmelden/").content.decode()
    second = register(client, committed, event, "bram@example.nl", name="Bram Jansen")
    confirm(client, committed, second)
    bram = Registration.objects.get(email="bram@example.nl")
    assert bram.status == RegistrationStatus.WAITING and bram.waiting_position() == 1
    assert mail.outbox[-1].to == ["bram@example.nl"]

    # Anna cancels with the link in her mail: Bram moves up and is told.
    before = len(mail.outbox)
    with committed():
        response = client.post(links_in(seat_mail)["afmelden"])
    assert response.status_code == 200
    anna.refresh_from_db()
    bram.refresh_from_db()
    assert anna.status == RegistrationStatus.CANCELLED
    assert bram.status == RegistrationStatus.CONFIRMED
    sent = {tuple(m.to): m for m in mail.outbox[before:]}
    assert set(sent) == {("anna@example.nl",), ("bram@example.nl",)}
    assert "afmelden" in links_in(sent[("bram@example.nl",)])

    # A used cancel link tells how things stand and changes nothing.
    response = client.post(links_in(seat_mail)["afmelden"])
    assert response.status_code == 200 and 'data-status="afgemeld"' in response.content.decode()
    bram.refresh_from_db()
    assert bram.status == RegistrationStatus.CONFIRMED


def test_registering_twice_makes_one_registration_and_a_mail_that_says_so(
    client, committed, make_event
):
    event = make_event()
    confirm(client, committed, register(client, committed, event, "anna@example.nl"))
    again = register(client, committed, event, "Anna@Example.NL")

    assert Registration.objects.filter(event=event).count() == 1
    assert "bevestigen" not in links_in(again) and "afmelden" in links_in(again)
    assert again.to == ["anna@example.nl"] and event.title in again.subject


def test_a_replayed_confirmation_link_shows_the_state_and_changes_nothing(
    client, committed, make_event
):
    event = make_event(capacity=5)
    message = register(client, committed, event, "anna@example.nl")
    confirm(client, committed, message)
    outbox = len(mail.outbox)

    with committed():
        response = client.post(links_in(message)["bevestigen"])

    assert response.status_code == 200
    assert 'data-status="aangemeld"' in response.content.decode()
    assert len(mail.outbox) == outbox
    assert Registration.objects.filter(event=event, status="aangemeld").count() == 1


def test_an_expired_confirmation_link_says_so_and_registers_nobody(client, committed, make_event):
    event = make_event()
    message = register(client, committed, event, "anna@example.nl")
    later = timezone.now() + dt.timedelta(days=4)
    with mock.patch("django.core.signing.time.time", return_value=later.timestamp()):
        response = client.post(links_in(message)["bevestigen"])
    assert response.status_code == 410
    assert 'data-reason="expired"' in response.content.decode()
    assert Registration.objects.get(event=event).status == RegistrationStatus.PENDING


def test_a_changed_link_gets_a_clear_page(client):
    response = client.get("/aanmeldingen/bevestigen/niet-echt:abc/")
    assert response.status_code == 400 and 'data-reason="bad"' in response.content.decode()
    response = client.post("/aanmeldingen/afmelden/niet-echt:abc/")
    assert response.status_code == 400


def test_a_form_with_mistakes_keeps_what_was_typed_and_says_what_is_wrong(client, make_event):
    event = make_event()
    response = client.post(
        event.url + "aanmelden/", {"name": "Anna de Vries", "email": "geen-adres"}
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert 'id="error-summary"' in html and 'value="Anna de Vries"' in html
    assert not Registration.objects.filter(event=event).exists()


def test_registration_closed_after_the_deadline(client, make_event):
    event = make_event(registration_closes_at=timezone.now() - dt.timedelta(hours=1))
    response = client.post(
        event.url + "aanmelden/", {"name": "Anna de Vries", "email": "anna@example.nl"}
    )
    assert response.status_code == 409 and 'id="registration-closed"' in response.content.decode()
    assert not Registration.objects.filter(event=event).exists()


def test_the_honeypot_stores_and_sends_nothing_but_answers_the_same(client, make_event):
    event = make_event()
    response = client.post(
        event.url + "aanmelden/",
        {"name": "Robot", "email": "robot@example.nl", "website": "http://spam.example"},
    )
    assert response.status_code == 302
    assert not Registration.objects.filter(event=event).exists() and not mail.outbox


def test_cancelling_the_event_mails_everyone_registered_with_the_reason(
    client, committed, make_event
):
    event = make_event(capacity=1)
    for address in ("anna@example.nl", "bram@example.nl"):
        confirm(client, committed, register(client, committed, event, address))
    before = len(mail.outbox)

    event.status = "geannuleerd"
    event.cancellation_reason = "De zaal is niet beschikbaar; een nieuwe datum volgt."
    with committed():
        event.save_revision().publish()

    sent = mail.outbox[before:]
    assert sorted(m.to[0] for m in sent) == ["anna@example.nl", "bram@example.nl"]
    assert all("De zaal is niet beschikbaar" in m.body for m in sent)
    assert set(Registration.objects.filter(event=event).values_list("status", flat=True)) == {
        RegistrationStatus.EVENT_CANCELLED
    }
    html = client.get(event.url).content.decode()
    assert 'id="event-cancelled"' in html and 'id="registration-form"' not in html


def test_more_places_published_move_the_waiting_list_up(client, committed, make_event):
    event = make_event(capacity=1)
    for address in ("anna@example.nl", "bram@example.nl"):
        confirm(client, committed, register(client, committed, event, address))
    event.capacity = 2
    with committed():
        event.save_revision().publish()
    assert Registration.objects.get(email="bram@example.nl").status == RegistrationStatus.CONFIRMED
    assert mail.outbox[-1].to == ["bram@example.nl"]


def test_the_reminder_goes_the_day_before_once(client, committed, make_event):
    tomorrow = timezone.localtime() + dt.timedelta(days=1)
    event = make_event(starts_at=tomorrow.replace(hour=14, minute=0), capacity=5)
    later = make_event(starts_at=tomorrow + dt.timedelta(days=3), capacity=5)
    confirm(client, committed, register(client, committed, event, "anna@example.nl"))
    confirm(client, committed, register(client, committed, later, "bram@example.nl"))
    register(client, committed, event, "nog-niet@example.nl")  # never confirmed
    before = len(mail.outbox)

    with committed():
        call_command("send_event_reminders", stdout=open("/dev/null", "w"))
    with committed():
        call_command("send_event_reminders", stdout=open("/dev/null", "w"))

    sent = mail.outbox[before:]
    assert [m.to for m in sent] == [["anna@example.nl"]]
    assert event.title in sent[0].subject and "afmelden" in links_in(sent[0])


def test_purge_deletes_unconfirmed_and_anonymises_old_participants(client, committed, make_event):
    from agenda.registrations import purge

    event = make_event(capacity=5)
    confirm(client, committed, register(client, committed, event, "anna@example.nl"))
    register(client, committed, event, "nog-niet@example.nl")

    done = purge(now=timezone.now() + dt.timedelta(days=4))
    assert done["unconfirmed registrations deleted"] == 1
    assert Registration.objects.get(event=event).email == "anna@example.nl"  # event not over

    done = purge(now=event.ends_at + dt.timedelta(days=91))
    kept = Registration.objects.get(event=event)
    assert done["registrations anonymised"] == 1
    assert (kept.name, kept.email, kept.organisation) == ("", "", "")
    assert kept.status == RegistrationStatus.CONFIRMED  # the count stays


def test_a_reader_of_an_event_gets_no_cookie_only_the_form_sets_one(make_event):
    from django.conf import settings
    from django.test import Client

    event = make_event()
    visitor = Client()
    page = visitor.get(event.url)
    assert 'id="register-link"' in page.content.decode() and not page.cookies
    assert set(visitor.get(event.url + "aanmelden/").cookies) == {settings.CSRF_COOKIE_NAME}


def test_a_practice_leads_back_to_the_event_that_presented_it(client, make_event):
    from agenda.models import EventKnowledgeLink
    from kennisbank.models import PracticePage

    practice = PracticePage.objects.live().order_by("path").first()
    event = make_event(title="Werkconferentie met deze praktijk")
    event.knowledge_links = [EventKnowledgeLink(page=practice)]
    event.save_revision().publish()
    html = client.get(practice.url).content.decode()
    assert 'id="events-about"' in html and "Werkconferentie met deze praktijk" in html
    assert practice.title in client.get(event.url).content.decode()  # and the event to it
