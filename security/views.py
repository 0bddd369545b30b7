"""The admin's second step after the password, enrolment of an authenticator app, recovery
codes, and the page a throttled login gets. All in the admin (the URLs come from
wagtail_hooks.py), all Dutch through the translations."""

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import REDIRECT_FIELD_NAME, logout
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice
from wagtail.admin.views.account import get_user_login_form

from . import twofactor
from .forms import EnrolForm, TokenForm


def _next_url(request) -> str:
    url = request.POST.get(REDIRECT_FIELD_NAME) or request.GET.get(REDIRECT_FIELD_NAME) or ""
    if url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return reverse("wagtailadmin_home")


def _show_codes(request, codes, next_url):
    return render(
        request,
        "security/recovery_codes.html",
        {
            "codes": codes,
            "next": next_url,
            "page_title": _("Your recovery codes"),
        },
    )


@never_cache
@sensitive_post_parameters("code")
@login_required(login_url="wagtailadmin_login")
@require_http_methods(["GET", "HEAD", "POST"])
def verify(request):
    """The second step of the login: a code from the app or a recovery code."""
    next_url = _next_url(request)
    if request.user.is_verified() or not twofactor.needs_verification(request.user):
        return redirect(next_url)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = twofactor.verify(request.user, form.cleaned_data["code"])
        if device is not None:
            otp_login(request, device)
            if not isinstance(device, TOTPDevice):
                left = twofactor.recovery_codes_left(request.user)
                messages.warning(
                    request,
                    _(
                        "You used a recovery code; %(left)s are left. Make new ones under "
                        "“Two-step verification” in your account, and set up your app again if you lost it."
                    )
                    % {"left": left},
                )
            return redirect(next_url)
        form.add_error(
            "code",
            _(
                "This code is not right, or no longer valid. Enter the code your "
                "app shows now (or an unused recovery code). After several wrong "
                "codes you have to wait a little longer each time."
            ),
        )
    return render(request, "security/verify.html", {"form": form, "next": next_url})


def _qr_svg(device) -> str:
    return segno.make(device.config_url, error="m").svg_inline(scale=4, dark="#000", light="#fff")


@never_cache
@sensitive_post_parameters("code")
@login_required(login_url="wagtailadmin_login")
@require_http_methods(["GET", "HEAD", "POST"])
def enrol(request):
    """Set up an authenticator app: scan the QR code (or type the key), enter a code."""
    next_url = _next_url(request)
    if twofactor.is_enrolled(request.user) and not request.user.is_verified():
        return redirect(
            reverse("security_2fa_verify") + "?" + urlencode({REDIRECT_FIELD_NAME: next_url})
        )
    device = twofactor.pending_device(request.user)
    form = EnrolForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["code"].replace(" ", "")):
            codes = twofactor.confirm(device)
            otp_login(request, device)
            return _show_codes(request, codes, next_url)
        form.add_error(
            "code",
            _(
                "This code is not right. Check that the time on your phone is "
                "correct and enter the code the app shows now."
            ),
        )
    secret = device.config_url.split("secret=")[1].split("&")[0]
    return render(
        request,
        "security/enrol.html",
        {
            "form": form,
            "next": next_url,
            "qr_svg": _qr_svg(device),
            "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
            "required": twofactor.is_required(request.user),
            "page_title": _("Set up two-step verification"),
        },
    )


@never_cache
@login_required(login_url="wagtailadmin_login")
@require_http_methods(["GET", "HEAD"])
def manage(request):
    return render(
        request,
        "security/manage.html",
        {
            "enrolled": twofactor.is_enrolled(request.user),
            "required": twofactor.is_required(request.user),
            "codes_left": twofactor.recovery_codes_left(request.user),
            "page_title": _("Two-step verification"),
        },
    )


@never_cache
@login_required(login_url="wagtailadmin_login")
@require_POST
def renew_codes(request):
    if not (twofactor.is_enrolled(request.user) and request.user.is_verified()):
        return redirect("security_2fa_manage")
    return _show_codes(
        request, twofactor.renew_recovery_codes(request.user), reverse("security_2fa_manage")
    )


@never_cache
@login_required(login_url="wagtailadmin_login")
@require_POST
def remove(request):
    """Switch two-step verification off (only for whom it is optional), or start again with a
    new app (the old one keeps working until the new one is confirmed)."""
    if not request.user.is_verified():
        return redirect("security_2fa_manage")
    if request.POST.get("action") == "replace":
        return redirect("security_2fa_enrol")
    if twofactor.is_required(request.user):
        messages.error(
            request,
            _(
                "Two-step verification is required for your account; you can "
                "set up a new app instead."
            ),
        )
        return redirect("security_2fa_manage")
    twofactor.remove(request.user)
    messages.success(request, _("Two-step verification is switched off for your account."))
    return redirect("security_2fa_manage")


def locked_out(request, response=None, credentials=None):
    """What django-axes answers for a login while the username or address is blocked: the
    login form again (not validated: that would count as one more attempt), with why and for
    how long, and status 429."""
    if request.user.is_authenticated:
        logout(request)
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    form = get_user_login_form()(request, initial={"username": request.POST.get("username", "")})
    messages.error(
        request,
        _(
            "Too many failed login attempts. For your safety, logging in with this username or from "
            "this address is blocked for %(minutes)s minutes, also with the right password. Try "
            "again later, or ask an administrator."
        )
        % {"minutes": minutes},
    )
    response = render(
        request,
        "wagtailadmin/login.html",
        {
            "form": form,
            "next": _next_url(request),
            "show_password_reset": False,
        },
        status=429,
    )
    response["Retry-After"] = str(minutes * 60)
    return response
