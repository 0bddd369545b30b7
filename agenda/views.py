"""The public side of registering: the form (on the event's page and at its /aanmelden/), the
"check your mail" page, confirming and cancelling by the links in the mails. Works without
JavaScript. No page shows an address. A link that was changed, has expired, or was used
already gets a page that says so and what to do."""

from django.conf import settings
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods

from . import registrations
from .choices import RegistrationStatus
from .forms import RegistrationForm
from .tokens import BadToken, ExpiredToken, key_from_cancel_token, key_from_confirm_token


def _crumbs(event=None):
    crumbs = [(_("Home"), "/"), (_("Agenda"), "/agenda/")]
    if event is not None:
        crumbs.append((event.title, event.url))
    return crumbs


@never_cache
@csrf_protect
@require_http_methods(["GET", "HEAD", "POST"])
def register(request, event):
    """GET: the form on a page of its own; POST: store and mail, then Post/Redirect/Get."""
    form, status, rate_limited = RegistrationForm(), 200, False
    if request.method == "POST":
        form = RegistrationForm(request.POST)
        if not event.takes_registrations():
            status = 409
        elif form.is_valid() and not registrations.take_request_slot(request):
            rate_limited, status = True, 429
        elif form.is_valid():
            if not form.is_robot:  # a filled-in honeypot: store and send nothing, answer the same
                registrations.request_registration(
                    event,
                    name=form.cleaned_data["name"],
                    email=form.cleaned_data["email"],
                    organisation=form.cleaned_data["organisation"],
                )
            return redirect(reverse("agenda:sent") + f"?bijeenkomst={event.pk}")
        else:
            status = 400
    response = render(
        request,
        "agenda/register.html",
        {
            "event": event,
            "page": event,
            "form": form,
            "takes_registrations": event.takes_registrations(),
            "seats_left": event.seats_left(),
            "rate_limited": rate_limited,
            "crumbs": [*_crumbs(event), (_("Register"), None)],
        },
        status=status,
    )
    if rate_limited:
        response["Retry-After"] = str(registrations.CLIENT_LIMIT.window)
    return response


@require_http_methods(["GET", "HEAD"])
def sent(request):
    from .models import EventPage

    pk = request.GET.get("bijeenkomst", "")
    event = EventPage.objects.live().filter(pk=pk).first() if pk.isdigit() else None
    return render(
        request,
        "agenda/sent.html",
        {
            "event": event,
            "confirm_days": settings.EVENT_CONFIRM_DAYS,
            "crumbs": [*_crumbs(event), (_("Register"), None)],
        },
    )


def _invalid(request, reason, registration=None):
    """`bad` (changed or made up), `expired` (a confirmation link too old), `gone` (the
    registration no longer exists), `closed` (registration has closed or the event is
    cancelled)."""
    status = {"bad": 400, "expired": 410, "gone": 404, "closed": 409}[reason]
    event = registration.event if registration is not None else None
    return render(
        request,
        "agenda/invalid_link.html",
        {
            "reason": reason,
            "event": event,
            "confirm_days": settings.EVENT_CONFIRM_DAYS,
            "crumbs": [*_crumbs(event), (_("Registration"), None)],
        },
        status=status,
    )


def _state(request, registration, **extra):
    return render(
        request,
        "agenda/registration.html",
        {
            "registration": registration,
            "event": registration.event,
            "position": registration.waiting_position(),
            "crumbs": [*_crumbs(registration.event), (_("Registration"), None)],
            **extra,
        },
    )


@never_cache
@csrf_protect
@require_http_methods(["GET", "HEAD", "POST"])
def confirm(request, token):
    """GET shows the event and a button; POST confirms (a mail scanner that opens the link
    registers nobody). A used link shows how the registration stands."""
    try:
        registration = registrations.find(key_from_confirm_token(token))
    except ExpiredToken as expired:
        registration = registrations.find(expired.key)
        if registration is not None and registration.status != RegistrationStatus.PENDING:
            return _state(request, registration)
        return _invalid(request, "expired", registration)
    except BadToken:
        return _invalid(request, "bad")
    if registration is None or registration.anonymised_at:
        return _invalid(request, "gone")
    if not registration.is_active:
        return _state(request, registration)
    if (
        registration.status == RegistrationStatus.PENDING
        and not registration.event.takes_registrations()
    ):
        return _invalid(request, "closed", registration)
    if request.method == "POST" and registration.status == RegistrationStatus.PENDING:
        registration = registrations.confirm(registration)
        return _state(request, registration, just_confirmed=True)
    if registration.status != RegistrationStatus.PENDING:
        return _state(request, registration)
    return render(
        request,
        "agenda/confirm.html",
        {
            "registration": registration,
            "event": registration.event,
            "seats_left": registration.event.seats_left(),
            "crumbs": [*_crumbs(registration.event), (_("Registration"), None)],
        },
    )


@never_cache
@csrf_exempt  # the signed link is the credential
@require_http_methods(["GET", "HEAD", "POST"])
def cancel(request, token):
    """GET shows the registration and a button; POST cancels it."""
    try:
        registration = registrations.find(key_from_cancel_token(token))
    except BadToken:
        return _invalid(request, "bad")
    if registration is None or registration.anonymised_at:
        return _invalid(request, "gone")
    if request.method == "POST" and registration.is_active and not registration.event.has_ended():
        registration, _done = registrations.cancel(registration)
        return _state(request, registration, just_cancelled=True)
    if not registration.is_active or registration.event.has_ended():
        return _state(request, registration)
    return render(
        request,
        "agenda/cancel.html",
        {
            "registration": registration,
            "event": registration.event,
            "crumbs": [*_crumbs(registration.event), (_("Registration"), None)],
        },
    )
