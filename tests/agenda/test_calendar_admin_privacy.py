"""The agenda's other outputs: iCalendar read back with the icalendar package, the organiser's
list of registrations (and who may see it), the checks of the admin form, the roles, and that
no registrant's name or address reaches anything public."""

import csv
import datetime as dt
import io
import json

import icalendar
import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text

from agenda.models import AgendaIndexPage, EventPage, Registration
from editorial.models import SectionGroup
from search.documents import build_document
from tests.helpers import log_in
from tests.roles_helpers import centre_editor, make_user, municipality_editor

pytestmark = pytest.mark.django_db

SECRET_NAME, SECRET_EMAIL = "Geheime Deelnemer", "geheim.deelnemer@example.nl"


def directorate(username="programmadirectie-agenda"):
    """A member of the programme directorate (the same one when asked again)."""
    existing = get_user_model().objects.filter(username=username).first()
    return existing or make_user(
        username, SectionGroup.objects.get(kind=SectionGroup.Kind.RIJK).group
    )


def registered(event, status="aangemeld", email=SECRET_EMAIL, name=SECRET_NAME):
    return Registration.objects.create(
        event=event,
        name=name,
        email=email,
        organisation="Wijkteam Noord",
        status=status,
        confirmed_at=timezone.now(),
    )


def test_an_events_icalendar_reads_back_with_its_times_place_and_status(client, make_event):
    start = timezone.make_aware(dt.datetime(2030, 3, 22, 10, 0))
    event = make_event(
        title="Werkconferentie; wonen, werken en leren in één wijk, twintig jaar later",
        starts_at=start,
        ends_at=start + dt.timedelta(hours=6),
        address="Jaarbeursplein 6, Utrecht",
    )
    response = client.get(event.url + "ical/")
    assert response["Content-Type"].startswith("text/calendar")
    calendar = icalendar.Calendar.from_ical(response.content)
    (vevent,) = calendar.walk("VEVENT")
    assert str(vevent["SUMMARY"]) == event.title  # escaped and folded, read back whole
    assert vevent.decoded("DTSTART") == start
    assert vevent.decoded("DTEND") == start + dt.timedelta(hours=6)
    assert "Jaarbeursplein 6, Utrecht" in str(vevent["LOCATION"])
    assert str(vevent["STATUS"]) == "CONFIRMED" and str(vevent["URL"]).endswith(event.url)
    assert all(len(line.encode()) <= 75 for line in response.content.decode().split("\r\n"))


def test_the_agenda_feed_holds_every_event_and_crosses_out_a_cancelled_one(client, make_event):
    kept = make_event(title="Doorgaande bijeenkomst")
    cancelled = make_event(
        title="Afgelaste bijeenkomst", status="geannuleerd", cancellation_reason="Zaal dicht."
    )
    calendar = icalendar.Calendar.from_ical(
        client.get(AgendaIndexPage.objects.get().url + "ical/").content
    )
    status = {str(e["SUMMARY"]): str(e["STATUS"]) for e in calendar.walk("VEVENT")}
    assert status[kept.title] == "CONFIRMED" and status[cancelled.title] == "CANCELLED"
    assert len(status) == EventPage.objects.live().count()


@pytest.mark.usefixtures("roles")
def test_the_organiser_sees_the_registrations_and_downloads_them_as_csv(client, make_event):
    event = make_event(capacity=1)
    registered(event)
    registered(event, status="wachtlijst", email="wacht@example.nl", name="Wim Wachter")
    log_in(client, directorate())

    page = client.get(f"/admin/agenda/{event.pk}/aanmeldingen/")
    assert page.status_code == 200 and SECRET_EMAIL in page.content.decode()
    response = client.get(f"/admin/agenda/{event.pk}/aanmeldingen.csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert response["Content-Type"].startswith("text/csv")
    assert [row[0] for row in rows[1:]] == [SECRET_NAME, "Wim Wachter"]  # seats first
    assert rows[2][5] == "1"  # first on the waiting list


@pytest.mark.usefixtures("roles")
def test_a_gemeente_editor_cannot_see_the_registrations(client, make_event):
    event = make_event()
    registered(event)
    log_in(client, municipality_editor("rotterdam", "rotterdam-agenda"))
    for path in ("aanmeldingen/", "aanmeldingen.csv"):
        response = client.get(f"/admin/agenda/{event.pk}/{path}")
        assert response.status_code in (302, 403) and SECRET_EMAIL not in response.content.decode()


@pytest.mark.usefixtures("roles")
def test_roles_the_directorate_publishes_a_centre_adds_through_moderation(make_event):
    agenda = AgendaIndexPage.objects.get()
    rijk = agenda.permissions_for_user(directorate())
    centre = agenda.permissions_for_user(centre_editor("movisie", "movisie-agenda"))
    gemeente = agenda.permissions_for_user(municipality_editor("utrecht", "utrecht-agenda"))
    assert rijk.can_add_subpage() and rijk.can_publish_subpage()
    assert centre.can_add_subpage() and not centre.can_publish_subpage()
    assert not gemeente.can_add_subpage()
    # A centre edits the events it made, not the directorate's.
    event = make_event()
    assert not event.permissions_for_user(centre_editor("ccv", "ccv-agenda")).can_edit()


def _edit_form(event, user, **changes):
    form_class = EventPage.get_edit_handler().get_form_class()
    fields = {
        "title": event.title,
        "slug": event.slug,
        "kind": event.kind,
        "summary": event.summary,
        "starts_at": timezone.localtime(event.starts_at).strftime("%Y-%m-%d %H:%M"),
        "ends_at": timezone.localtime(event.ends_at).strftime("%Y-%m-%d %H:%M"),
        "venue": event.venue,
        "programme": rich_text(""),
        "report": rich_text(""),
        "registration_open": "on",
        "capacity": event.capacity,
        "status": event.status,
        "presentations": inline_formset([]),
        "knowledge_links": inline_formset([]),
        "comments": inline_formset([]),
        **changes,
    }
    return form_class(
        nested_form_data(fields), instance=event, for_user=user, parent_page=event.get_parent()
    )


@pytest.mark.usefixtures("roles")
def test_fewer_places_than_people_holding_one_is_refused_at_the_field(make_event):
    event = make_event(capacity=3)
    for n in range(2):
        registered(event, email=f"deelnemer{n}@example.nl")
    form = _edit_form(event, directorate(), capacity=1)
    assert not form.is_valid()
    assert "2" in form.errors["capacity"][0]
    assert _edit_form(event, directorate(), capacity=2).is_valid()


@pytest.mark.usefixtures("roles")
def test_a_cancellation_needs_a_reason_and_the_end_comes_after_the_start(make_event):
    event = make_event()
    form = _edit_form(
        event,
        directorate(),
        status="geannuleerd",
        ends_at=timezone.localtime(event.starts_at - dt.timedelta(hours=1)).strftime(
            "%Y-%m-%d %H:%M"
        ),
    )
    assert not form.is_valid()
    assert set(form.errors) >= {"cancellation_reason", "ends_at"}


@pytest.mark.usefixtures("roles")
def test_an_event_people_are_registered_for_is_not_deleted(client, make_event):
    event = make_event()
    registered(event)
    log_in(client, directorate())
    response = client.post(f"/admin/pages/{event.pk}/delete/")
    assert response.status_code == 302
    assert EventPage.objects.filter(pk=event.pk).exists()


def test_no_registrant_reaches_a_public_output(client, make_event, tmp_path):
    event = make_event(title="Bijeenkomst met deelnemers")
    registered(event)
    registered(event, status="wachtlijst", email="wacht@example.nl", name="Wim Wachter")
    call_command("search_index", "process_queue", stdout=io.StringIO())
    outputs = {
        "document": json.dumps(build_document(event)),
        "page": client.get(event.url).content.decode(),
        "agenda": client.get("/agenda/").content.decode(),
        "ical": client.get(event.url + "ical/").content.decode(),
        "api": client.get(f"/api/v1/bijeenkomsten/{event.slug}").content.decode(),
        "api list": client.get("/api/v1/bijeenkomsten").content.decode(),
        "csv": client.get("/zoeken/", {"type": "bijeenkomst", "format": "csv"})
        .getvalue()
        .decode("utf-8-sig"),
        "atom": client.get("/zoeken/", {"type": "bijeenkomst", "format": "atom"}).content.decode(),
    }
    dump = tmp_path / "dump.jsonl"
    call_command("export_dump", output=str(dump), verbosity=0)
    outputs["dump"] = dump.read_text()
    assert "Bijeenkomst met deelnemers" in outputs["api list"] + outputs["dump"]
    for name, text in outputs.items():
        for secret in (SECRET_NAME, SECRET_EMAIL, "Wim Wachter", "wacht@example.nl"):
            assert secret not in text, f"{secret} in the {name}"
