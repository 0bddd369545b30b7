"""The organiser's view of an event's registrations in the admin, and the same as CSV. Whoever
may edit the event page may see them (the directorate, the moderators, the centre that made
it); nobody else, and nowhere public."""

import csv

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from .choices import RegistrationStatus
from .models import EventPage

# The list's order: seats first, then the waiting list in its order, then the rest.
STATUS_ORDER = [
    RegistrationStatus.CONFIRMED,
    RegistrationStatus.WAITING,
    RegistrationStatus.PENDING,
    RegistrationStatus.CANCELLED,
    RegistrationStatus.EVENT_CANCELLED,
]


def _event(request, page_id) -> EventPage:
    event = get_object_or_404(EventPage, pk=page_id)
    if not event.permissions_for_user(request.user).can_edit():
        raise PermissionDenied
    return event


def _rows(event):
    rank = {status: i for i, status in enumerate(STATUS_ORDER)}
    registrations = list(event.registrations.order_by("waitlisted_at", "confirmed_at", "pk"))
    return sorted(registrations, key=lambda r: rank.get(r.status, len(rank)))


def attendees(request, page_id):
    event = _event(request, page_id)
    rows = _rows(event)
    counts = {status: 0 for status in STATUS_ORDER}
    for row in rows:
        counts[row.status] = counts.get(row.status, 0) + 1
    return TemplateResponse(
        request,
        "agenda/admin/attendees.html",
        {
            "page": event,
            "page_title": _("Registrations"),
            "page_subtitle": event.get_admin_display_title(),
            "header_icon": "group",
            "rows": rows,
            "counts": [(RegistrationStatus(s).label, n) for s, n in counts.items()],
            "anonymised": any(r.anonymised_at for r in rows),
            "edit_url": reverse("wagtailadmin_pages:edit", args=[event.id]),
            "csv_url": reverse("agenda_attendees_csv", args=[event.id]),
        },
    )


def attendees_csv(request, page_id):
    event = _event(request, page_id)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="deelnemers-{event.slug}-{stamp}.csv"'
    response["Cache-Control"] = "private, no-store"
    response.write("\ufeff")  # so spreadsheet programs read it as UTF-8
    writer = csv.writer(response, delimiter=";")
    writer.writerow(
        [
            _("Name"),
            _("Organisation"),
            _("Email address"),
            _("Status"),
            _("Confirmed at"),
            _("Place on the waiting list"),
        ]
    )
    position = 0
    for row in _rows(event):
        if row.status == RegistrationStatus.WAITING:
            position += 1
        writer.writerow(
            [
                _sanitise(row.name),
                _sanitise(row.organisation),
                row.email,
                row.get_status_display(),
                timezone.localtime(row.confirmed_at).strftime("%Y-%m-%d %H:%M")
                if row.confirmed_at
                else "",
                position if row.status == RegistrationStatus.WAITING else "",
            ]
        )
    return response


def _sanitise(value: str) -> str:
    """A cell a spreadsheet would run as a formula (=, +, -, @) is prefixed with a quote."""
    return f"'{value}" if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value
