"""The public side of the alerts: subscribe to a search, confirm, unsubscribe. Works without
JavaScript. No page shows an email address (the confirm and unsubscribe pages show it masked).
A changed, expired or used-up link gets a page that says so, with a 4xx status."""

from django.conf import settings
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods

from places.links import search_url

from . import services
from .forms import SubscribeForm
from .searches import alert_search
from .tokens import BadToken, ExpiredToken, key_from_confirm_token, key_from_unsubscribe_token

MAX_QUERY_STRING = 4000  # characters of a normalised search; longer ones cannot be subscribed to


def _crumbs(*extra):
    return [(_("Home"), "/"), (_("Search"), search_url()), *extra]


@never_cache
@csrf_protect
@require_http_methods(["GET", "HEAD", "POST"])
def subscribe(request):
    alert = alert_search(request.GET)
    too_long = len(alert.query_string) > MAX_QUERY_STRING
    status, rate_limited = 200, False
    form = SubscribeForm()
    if too_long:
        status = 400
    elif request.method == "POST":
        form = SubscribeForm(request.POST)
        if form.is_valid() and not services.take_request_slot(request):
            rate_limited, status = True, 429
            form = SubscribeForm(
                initial={k: v for k, v in request.POST.items() if k in ("email", "frequency")}
            )
        elif form.is_valid():
            if not form.is_robot:  # a filled-in honeypot: store and send nothing, answer the same
                services.request_subscription(
                    email=form.cleaned_data["email"],
                    query=alert.query_string,
                    frequency=form.cleaned_data["frequency"],
                )
            return redirect("alerts:sent")
    response = render(
        request,
        "alerts/subscribe.html",
        {
            "form": form,
            "alert": alert,
            "too_long": too_long,
            "rate_limited": rate_limited,
            "rate_limit": services.CLIENT_LIMIT.limit,
            "rate_window_minutes": max(1, services.CLIENT_LIMIT.window // 60),
            "confirm_days": settings.ALERT_CONFIRM_DAYS,
            "action": reverse("alerts:subscribe")
            + (f"?{alert.query_string}" if alert.query_string else ""),
            "crumbs": _crumbs((_("Email alert"), None)),
        },
        status=status,
    )
    if rate_limited:
        response["Retry-After"] = str(services.CLIENT_LIMIT.window)
    return response


@require_http_methods(["GET", "HEAD"])
def sent(request):
    return render(
        request,
        "alerts/sent.html",
        {
            "confirm_days": settings.ALERT_CONFIRM_DAYS,
            "crumbs": _crumbs((_("Email alert"), None)),
        },
    )


def _invalid(request, reason, subscription=None):
    """The page for a link that does not work: `bad` (changed or made up), `expired` (a
    confirmation link older than its days) or `gone` (the alert no longer exists)."""
    status = {"bad": 400, "expired": 410, "gone": 404}[reason]
    resubscribe = ""
    if subscription is not None:
        resubscribe = reverse("alerts:subscribe") + (
            f"?{subscription.query}" if subscription.query else ""
        )
    return render(
        request,
        "alerts/invalid_link.html",
        {
            "reason": reason,
            "confirm_days": settings.ALERT_CONFIRM_DAYS,
            "resubscribe_url": resubscribe,
            "crumbs": _crumbs((_("Email alert"), None)),
        },
        status=status,
    )


def _page(request, template, subscription, **extra):
    return render(
        request,
        template,
        {
            "subscription": subscription,
            "alert": alert_search(subscription.query),
            "masked_email": services.mask_email(subscription.email),
            "crumbs": _crumbs((_("Email alert"), None)),
            **extra,
        },
    )


@never_cache
@csrf_protect
@require_http_methods(["GET", "HEAD", "POST"])
def confirm(request, token):
    """GET shows what is confirmed and a button; POST confirms (a mail scanner that opens the
    link does not subscribe anyone)."""
    try:
        subscription = services.find(key_from_confirm_token(token))
    except ExpiredToken as expired:
        subscription = services.find(expired.key)
        if subscription is not None and subscription.is_confirmed:  # an old link, long since used
            return _page(request, "alerts/confirmed.html", subscription, just_confirmed=False)
        return _invalid(request, "expired", subscription)
    except BadToken:
        return _invalid(request, "bad")
    if subscription is None:
        return _invalid(request, "gone")
    if request.method == "POST" and not subscription.is_confirmed:
        subscription = services.confirm(subscription)
        return _page(request, "alerts/confirmed.html", subscription, just_confirmed=True)
    if subscription.is_confirmed:
        return _page(request, "alerts/confirmed.html", subscription, just_confirmed=False)
    return _page(request, "alerts/confirm.html", subscription)


@never_cache
@csrf_exempt  # the signed link is the credential; mail providers POST here (RFC 8058 one-click)
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request, token):
    """GET shows the alert and a button; POST (the button, or a mail program's one-click
    unsubscribe) deletes it."""
    try:
        subscription = services.find(key_from_unsubscribe_token(token))
    except BadToken:
        return _invalid(request, "bad")
    if subscription is None:
        return _invalid(request, "gone")
    if request.method == "POST":
        alert = alert_search(subscription.query)
        services.unsubscribe(subscription)
        return render(
            request,
            "alerts/unsubscribed.html",
            {
                "alert": alert,
                "crumbs": _crumbs((_("Email alert"), None)),
            },
        )
    return _page(request, "alerts/unsubscribe.html", subscription)
