"""Sessions that end, and the second factor before the admin opens.

- A logged-in session ends after ADMIN_SESSION_IDLE_MINUTES without a request, and at the
  latest ADMIN_SESSION_MAX_HOURS after the login (the user is told why on the login page).
- In the admin, someone who has an authenticator app is sent to the second step until they
  pass it, and someone for whom it is required but who has none is sent to set one up. Outside
  the admin, a login whose second step is still to come counts for nothing (anonymous), so a
  password alone opens no private page or document either.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import REDIRECT_FIELD_NAME, logout
from django.contrib.auth.models import AnonymousUser
from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from . import twofactor

LOGIN_AT = "security.login_at"
SEEN_AT = "security.seen_at"
SEEN_EVERY = 60  # seconds: the session is written at most this often just to note activity

# Admin URLs a user may open before the second step (by URL name).
BEFORE_SECOND_STEP = {
    "wagtailadmin_logout",
    "security_2fa_verify",
    "security_2fa_enrol",
    "wagtailadmin_javascript_catalog",
    "wagtailadmin_sprite",
}


def _expired(request, now: int) -> str | None:
    session = request.session
    login_at = session.setdefault(LOGIN_AT, now)
    seen_at = session.get(SEEN_AT, now)
    if now - login_at > settings.ADMIN_SESSION_MAX_HOURS * 3600:
        return _(
            "You have been logged out because your session lasted %(hours)s hours. Log in again."
        ) % {"hours": settings.ADMIN_SESSION_MAX_HOURS}
    if now - seen_at > settings.ADMIN_SESSION_IDLE_MINUTES * 60:
        return _(
            "You have been logged out after %(minutes)s minutes without activity. Log in again."
        ) % {"minutes": settings.ADMIN_SESSION_IDLE_MINUTES}
    if now - seen_at >= SEEN_EVERY:
        session[SEEN_AT] = now
    return None


def _url_name(request) -> str | None:
    try:
        return resolve(request.path_info).url_name
    except Resolver404:
        return None


class AdminSessionMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.admin_prefix = None

    def __call__(self, request):
        if request.user.is_authenticated:
            reason = _expired(request, int(timezone.now().timestamp()))
            if reason:
                logout(request)
                messages.info(request, reason)
        if self.admin_prefix is None:
            self.admin_prefix = reverse("wagtailadmin_home")
        if request.user.is_authenticated:
            if request.path_info.startswith(self.admin_prefix):
                response = self._second_step(request)
                if response is not None:
                    return response
            elif twofactor.needs_verification(request.user) or twofactor.needs_enrolment(
                request.user
            ):
                request.user = AnonymousUser()
        return self.get_response(request)

    def _second_step(self, request):
        user = request.user
        if user.is_verified():
            return None
        name = _url_name(request)
        if name in BEFORE_SECOND_STEP or (
            name == "wagtailadmin_login" and request.method == "POST"
        ):
            return None
        if twofactor.needs_verification(user):
            target = "security_2fa_verify"
        elif twofactor.needs_enrolment(user):
            target = "security_2fa_enrol"
        else:
            return None
        next_url = (
            request.GET.get(REDIRECT_FIELD_NAME)
            if name == "wagtailadmin_login"
            else request.get_full_path()
        )
        return redirect(
            reverse(target) + "?" + urlencode({REDIRECT_FIELD_NAME: next_url or self.admin_prefix})
        )
