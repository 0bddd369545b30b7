"""What happens to a registration: asked for, confirmed (a seat or the waiting list),
cancelled, moved up, reminded, and in the end anonymised. The views, the page events and the
jobs call these; the rules live here.

Seats are given when a registration is confirmed, in the order of confirmation, with the event
locked (select_for_update), so two people confirming the last seat at once do not both get it.
A seat that comes free (a cancellation, more places published) goes to the first on the
waiting list, until the event starts. Cancelling an event ends every registration of it and
tells each person why. Every step mails the person it is about (agenda/emails.py).
"""

import datetime as dt
import hashlib
import logging

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from core.clients import client_bucket
from core.public_forms import mailbox_key, normalise_email
from core.ratelimit import RateLimit

from .choices import ACTIVE_STATUSES, EventStatus, RegistrationStatus
from .emails import send_after_commit
from .models import EventPage, Registration

logger = logging.getLogger(__name__)

CLIENT_LIMIT = RateLimit("agenda:client", "EVENT_RATE_LIMIT", "EVENT_RATE_WINDOW")
EMAIL_LIMIT = RateLimit("agenda:email", "EVENT_EMAIL_RATE_LIMIT", "EVENT_RATE_WINDOW")


def _hash(value: str) -> str:
    return hashlib.sha256(f"{settings.SECRET_KEY}:agenda:{value}".encode()).hexdigest()[:32]


def take_request_slot(request) -> bool:
    """Count a valid registration request from this client; may it go ahead?"""
    return CLIENT_LIMIT.hit(client_bucket(request, scope="agenda"))


def find(key: str) -> Registration | None:
    return Registration.objects.select_related("event").filter(key=key).first()


def _locked(registration) -> tuple[EventPage, Registration]:
    event = EventPage.objects.select_for_update().get(pk=registration.event_id)
    return event, Registration.objects.select_for_update().get(pk=registration.pk)


def request_registration(event, *, name: str, email: str, organisation: str = ""):
    """Store an unconfirmed registration and mail its confirmation link. Someone registered
    already gets a mail that says how they stand, not a second registration; the page answers
    the same either way, so it never tells whether an address is registered."""
    email = normalise_email(email)
    with transaction.atomic():
        existing = (
            event.registrations.select_for_update()
            .filter(email__iexact=email, status__in=ACTIVE_STATUSES)
            .first()
        )
        if not EMAIL_LIMIT.hit(_hash(mailbox_key(email))):
            logger.info("Event %s: no mail sent to a registrant (rate limit).", event.pk)
            return existing
        if existing is not None and existing.status != RegistrationStatus.PENDING:
            send_after_commit("already", existing)
            return existing
        if existing is not None:
            existing.name, existing.organisation = name, organisation
            existing.save(update_fields=["name", "organisation"])
            registration = existing
        else:
            registration = Registration.objects.create(
                event=event, name=name, email=email, organisation=organisation
            )
        send_after_commit("confirm", registration)
        return registration


@transaction.atomic
def confirm(registration, now=None) -> Registration:
    """A seat if there is one, else the waiting list. Confirming twice changes nothing. The
    caller checks first that the event still takes registrations."""
    now = now or timezone.now()
    event, registration = _locked(registration)
    if registration.status != RegistrationStatus.PENDING:
        return registration
    registration.confirmed_at = now
    seats_left = event.seats_left()
    if seats_left is None or seats_left > 0:
        registration.status = RegistrationStatus.CONFIRMED
        registration.save(update_fields=["status", "confirmed_at"])
        send_after_commit("confirmed", registration)
    else:
        registration.status = RegistrationStatus.WAITING
        registration.waitlisted_at = now
        registration.save(update_fields=["status", "confirmed_at", "waitlisted_at"])
        send_after_commit("waiting", registration, position=registration.waiting_position())
    return registration


@transaction.atomic
def cancel(registration, now=None) -> tuple[Registration, bool]:
    """Cancel; (the registration, whether this call cancelled it). A freed seat goes to the
    first on the waiting list."""
    now = now or timezone.now()
    event, registration = _locked(registration)
    if not registration.is_active:
        return registration, False
    had_seat = registration.status == RegistrationStatus.CONFIRMED
    registration.status = RegistrationStatus.CANCELLED
    registration.cancelled_at = now
    registration.save(update_fields=["status", "cancelled_at"])
    send_after_commit("cancelled", registration)
    if had_seat:
        move_up(event, now)
    return registration, True


def move_up(event, now=None) -> list[Registration]:
    """Give the free seats to the waiting list, first come first served, until the start.
    Call inside a transaction that has the event locked."""
    now = now or timezone.now()
    if event.status == EventStatus.CANCELLED or event.starts_at <= now:
        return []
    waiting = event.registrations.filter(status=RegistrationStatus.WAITING).order_by(
        "waitlisted_at", "pk"
    )
    free = event.seats_left()
    if free is not None:
        waiting = waiting[:free]
    moved = list(waiting)
    for registration in moved:
        registration.status = RegistrationStatus.CONFIRMED
        registration.save(update_fields=["status"])
        send_after_commit("moved_up", registration)
    return moved


@transaction.atomic
def event_published(event, now=None) -> None:
    """A new version of the event is live: a cancellation ends every registration (each
    person is told why); more places move the waiting list up."""
    event = EventPage.objects.select_for_update().get(pk=event.pk)
    if event.status == EventStatus.CANCELLED:
        cancel_all(event, now)
    else:
        move_up(event, now)


def cancel_all(event, now=None) -> int:
    now = now or timezone.now()
    ended = list(event.registrations.filter(status__in=ACTIVE_STATUSES))
    for registration in ended:
        registration.status = RegistrationStatus.EVENT_CANCELLED
        registration.cancelled_at = now
        registration.save(update_fields=["status", "cancelled_at"])
        send_after_commit("event_cancelled", registration)
    return len(ended)


def send_reminders(now=None) -> int:
    """Mail everyone with a seat at an event that starts tomorrow (in TIME_ZONE), once."""
    now = now or timezone.now()
    tomorrow = timezone.localdate(now) + dt.timedelta(days=1)
    zone = timezone.get_default_timezone()
    start = dt.datetime.combine(tomorrow, dt.time.min, tzinfo=zone)
    events = EventPage.objects.live().filter(
        status=EventStatus.SCHEDULED,
        starts_at__gte=start,
        starts_at__lt=start + dt.timedelta(days=1),
    )
    sent = 0
    for event in events:
        with transaction.atomic():
            due = event.registrations.select_for_update().filter(
                status=RegistrationStatus.CONFIRMED, reminded_at__isnull=True
            )
            for registration in due:
                registration.reminded_at = now
                registration.save(update_fields=["reminded_at"])
                send_after_commit("reminder", registration)
                sent += 1
    return sent


def purge(now=None) -> dict[str, int]:
    """Delete registrations never confirmed once their link has expired (they never agreed to
    anything), and anonymise every registration of an event that ended more than
    EVENT_ATTENDEE_RETENTION_DAYS ago: the counts stay, the names and addresses go."""
    now = now or timezone.now()
    expired = now - dt.timedelta(days=settings.EVENT_CONFIRM_DAYS)
    deleted, _ = Registration.objects.filter(
        status=RegistrationStatus.PENDING, created_at__lt=expired
    ).delete()
    ended_before = now - dt.timedelta(days=settings.EVENT_ATTENDEE_RETENTION_DAYS)
    anonymised = Registration.objects.filter(
        event__ends_at__lt=ended_before, anonymised_at__isnull=True
    ).update(name="", email="", organisation="", anonymised_at=now)
    return {"unconfirmed registrations deleted": deleted, "registrations anonymised": anonymised}
