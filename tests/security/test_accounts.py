"""Who may log in, and how (OWASP ASVS level 2): every login is throttled, passwords are long and
not common (Dutch ones included), moderators and administrators need a second factor (an
authenticator app, with recovery codes), and an admin session ends."""

import datetime as dt
import re
from base64 import b32decode
from io import StringIO

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from security.middleware import LOGIN_AT, SEEN_AT
from tests.helpers import current_code, log_in
from tests.roles_helpers import moderator, municipality_editor

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def roles(db):
    """The groups, collections and workflow setup_roles makes."""
    from editorial.setup import setup_roles

    setup_roles()


PASSWORD = "een lange zin als wachtwoord 42"
LOGIN = "/admin/login/"


def _user(make, *args):
    user = make(*args)
    user.set_password(PASSWORD)
    user.save()
    return user


def _post_login(client, username, password, next_url="/admin/"):
    return client.post(LOGIN, {"username": username, "password": password, "next": next_url})


def _messages(response) -> str:
    return " ".join(str(m) for m in response.context["messages"]) if response.context else ""


# --- Throttling ---------------------------------------------------------------------------------


def test_wrong_passwords_lock_the_username_even_for_the_right_one(client, settings):
    admin = get_user_model().objects.create_superuser("admin", "admin@example.org", PASSWORD)
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = _post_login(client, "admin", "fout-wachtwoord")
        assert response.status_code == 200
        assert "_auth_user_id" not in client.session
    assert (
        _post_login(client, "admin", "fout-wachtwoord").status_code == 429
    )  # the limit is reached
    response = _post_login(client, "admin", PASSWORD)
    assert response.status_code == 429
    assert "Te veel mislukte inlogpogingen" in response.content.decode()
    assert response["Retry-After"] == str(15 * 60)
    assert "_auth_user_id" not in client.session
    # From another address it is locked too: the username is.
    other = client.__class__(REMOTE_ADDR="198.51.100.7")
    assert _post_login(other, "admin", PASSWORD).status_code == 429

    # After the cool-off the right password works again (and the second step follows).
    AccessAttempt.objects.update(attempt_time=timezone.now() - dt.timedelta(minutes=16))
    response = _post_login(client, "admin", PASSWORD)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(admin.pk)


def test_wagtails_second_login_sends_people_to_the_admin_login(client):
    get_user_model().objects.create_user("lezer", password=PASSWORD)
    response = client.get("/_util/login/?next=/geheim/")
    assert response.status_code == 302 and response["Location"] == "/admin/login/?next=/geheim/"
    response = client.post("/_util/login/", {"username": "lezer", "password": PASSWORD})
    assert response.status_code == 302 and "_auth_user_id" not in client.session


# --- Passwords ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "password",
    [
        "Welkom2026",
        "kennisloket",
        "Kennisloket1",
        "Zomer2026",  # the ones that got through
        "Kennisloket2026!",
        "wachtwoord12345",
        "Feyenoord1908!!",
        "W3lkom2026!!",
        "Krachtwijken2026",
    ],
)
def test_short_and_common_passwords_are_refused(password):
    with pytest.raises(ValidationError) as refused:
        validate_password(password)
    text = " ".join(refused.value.messages)
    assert "te kort" in text or "te veel gebruikt" in text, text


def test_a_long_uncommon_password_is_accepted():
    validate_password("paarse olifant fietst naar Zwolle")
    validate_password("Tq7#rV2m!pL9xZ")


def test_changing_ones_password_in_the_admin_refuses_a_common_one(client):
    editor = _user(municipality_editor, "rotterdam", "redacteur-r")
    log_in(client, editor)
    response = client.post(
        reverse("wagtailadmin_account"),
        {
            "password-old_password": PASSWORD,
            "password-new_password1": "Kennisloket1",
            "password-new_password2": "Kennisloket1",
            "name_email-first_name": "",
            "name_email-last_name": "",
            "name_email-email": "r@example.org",
            "locale-preferred_language": "nl",
            "locale-current_time_zone": "Europe/Amsterdam",
            "theme-theme": "system",
            "theme-density": "default",
            "theme-contrast": "system",
            "theme-keyboard_shortcuts": "on",
        },
    )
    assert response.status_code == 200
    assert "te veel gebruikt" in response.content.decode()
    editor.refresh_from_db()
    assert editor.check_password(PASSWORD)


# --- Two-step verification --------------------------------------------------------------------------


def _secret_from(page: str) -> bytes:
    found = re.search(r"<code data-secret>([A-Z2-7 ]+)</code>", page)
    assert found, "the enrolment page shows no key"
    return b32decode(found.group(1).replace(" ", ""))


def _code(key: bytes, offset: int = 0) -> str:
    totp = TOTP(key)
    totp.drift = offset
    return f"{totp.token():06d}"


def _a_moment_later(user):
    """After a wrong code django-otp refuses every code for a second (doubling with each further
    failure): let that second pass."""
    TOTPDevice.objects.filter(user=user).update(
        throttling_failure_timestamp=timezone.now() - dt.timedelta(seconds=2)
    )


def test_a_moderator_enrols_an_app_and_logs_in_with_its_codes_and_a_recovery_code(client):
    mod = _user(moderator, "mo")
    response = _post_login(client, "mo", PASSWORD)
    assert response.status_code == 302
    # The admin does not open before the app is set up.
    response = client.get("/admin/")
    assert response.status_code == 302 and response["Location"].startswith("/admin/2fa/instellen/")
    assert client.get("/admin/pages/")["Location"].startswith("/admin/2fa/instellen/")
    page = client.get(response["Location"])
    assert page.status_code == 200
    text = page.content.decode()
    assert "<svg" in text and "Tweestapsverificatie instellen" in text
    key = _secret_from(text)

    # A wrong code is refused with a message; the right one (computed from the key, as the
    # app does) finishes, and shows ten recovery codes once.
    refused = client.post(reverse("security_2fa_enrol"), {"code": "000000", "next": "/admin/"})
    assert refused.status_code == 200 and "niet juist" in refused.content.decode()
    _a_moment_later(mod)
    done = client.post(reverse("security_2fa_enrol"), {"code": _code(key), "next": "/admin/"})
    assert done.status_code == 200
    codes = re.findall(r"<li><code>([a-z2-9-]{14})</code></li>", done.content.decode())
    assert len(codes) == 10 and len(set(codes)) == 10
    assert client.get("/admin/").status_code == 200
    assert TOTPDevice.objects.get(user=mod).confirmed

    # Next login: the password alone is not enough.
    client.post(reverse("wagtailadmin_logout"))
    _post_login(client, "mo", PASSWORD)
    response = client.get("/admin/pages/")
    assert (
        response.status_code == 302
        and response["Location"] == "/admin/2fa/?next=%2Fadmin%2Fpages%2F"
    )
    wrong = client.post(reverse("security_2fa_verify"), {"code": "123456", "next": "/admin/pages/"})
    assert wrong.status_code == 200 and "niet juist" in wrong.content.decode()
    _a_moment_later(mod)
    device = TOTPDevice.objects.get(user=mod)
    right = client.post(
        reverse("security_2fa_verify"), {"code": current_code(device), "next": "/admin/pages/"}
    )
    assert right.status_code == 302 and right["Location"] == "/admin/pages/"
    assert client.get("/admin/").status_code == 200

    # Without the phone: a recovery code works once.
    for attempt in ("works", "used up"):
        client.post(reverse("wagtailadmin_logout"))
        _post_login(client, "mo", PASSWORD)
        response = client.post(
            reverse("security_2fa_verify"), {"code": codes[0].upper(), "next": "/admin/"}
        )
        if attempt == "works":
            assert response.status_code == 302
            assert "nog 9" in _messages(client.get("/admin/", follow=True))
        else:
            assert response.status_code == 200 and "niet juist" in response.content.decode()


def test_editors_may_use_the_admin_without_an_app(client):
    editor = _user(municipality_editor, "rotterdam", "redacteur-r")
    _post_login(client, editor.username, PASSWORD)
    assert client.get("/admin/").status_code == 200
    assert client.get(reverse("security_2fa_manage")).status_code == 200


def test_an_editor_who_set_up_an_app_is_asked_for_it(client):
    editor = _user(municipality_editor, "rotterdam", "redacteur-r")
    log_in(client, editor)
    page = client.get(reverse("security_2fa_enrol")).content.decode()
    client.post(reverse("security_2fa_enrol"), {"code": _code(_secret_from(page))})
    client.post(reverse("wagtailadmin_logout"))
    _post_login(client, editor.username, PASSWORD)
    assert client.get("/admin/")["Location"].startswith("/admin/2fa/?")


def test_a_password_alone_opens_nothing_outside_the_admin_either(client):
    """Half logged in (password, no second step yet) counts as anonymous on the site itself."""
    _user(moderator, "mo")
    _post_login(client, "mo", PASSWORD)
    response = client.get("/", HTTP_ACCEPT="text/html")
    assert response.status_code == 200
    assert response.wsgi_request.user.is_anonymous


def test_recovery_codes_are_stored_hashed_and_can_be_renewed(client):
    mod = moderator("mo")
    log_in(client, mod)
    first = client.post(reverse("security_2fa_renew_codes"))
    codes = re.findall(r"<li><code>([a-z2-9-]{14})</code></li>", first.content.decode())
    assert len(codes) == 10
    from security.models import RecoveryCode

    stored = list(RecoveryCode.objects.filter(device__user=mod).values_list("digest", flat=True))
    assert len(stored) == 10 and not set(codes) & set(stored)
    assert not any(code.replace("-", "") in digest for code in codes for digest in stored)


def test_required_two_factor_cannot_be_switched_off_but_an_editors_can(client):
    mod = moderator("mo")
    log_in(client, mod)
    client.post(reverse("security_2fa_remove"), {"action": "remove"})
    assert TOTPDevice.objects.filter(user=mod, confirmed=True).exists()

    editor_client = client.__class__()
    editor = municipality_editor("rotterdam", "redacteur-r")
    device = TOTPDevice.objects.create(user=editor, confirmed=True, name="app")
    log_in(editor_client, editor)
    assert device.pk == TOTPDevice.objects.get(user=editor).pk
    editor_client.post(reverse("security_2fa_remove"), {"action": "remove"})
    assert not TOTPDevice.objects.filter(user=editor).exists()


def test_an_administrator_resets_a_lost_second_factor(client):
    mod = moderator("mo")
    log_in(client, mod)
    out = StringIO()
    call_command("reset_two_factor", "mo", stdout=out)
    assert "reset" in out.getvalue()
    assert not TOTPDevice.objects.filter(user=mod).exists()
    # The next request asks to set up an app again.
    assert client.get("/admin/")["Location"].startswith("/admin/2fa/instellen/")


# --- Sessions that end -------------------------------------------------------------------------------


def _age_session(client, **seconds_ago):
    session = client.session
    now = int(timezone.now().timestamp())
    for key, ago in seconds_ago.items():
        session[{"login": LOGIN_AT, "seen": SEEN_AT}[key]] = now - ago
    session.save()


def test_an_admin_session_ends_after_half_an_hour_without_activity(client):
    log_in(client, municipality_editor("rotterdam", "redacteur-r"))
    _age_session(client, seen=29 * 60)
    assert client.get("/admin/").status_code == 200
    _age_session(client, seen=31 * 60)
    response = client.get("/admin/", follow=True)
    assert response.redirect_chain[-1][0].startswith("/admin/login/")
    assert "30 minuten" in _messages(response)


def test_an_admin_session_ends_twelve_hours_after_logging_in_however_busy(client):
    log_in(client, moderator("mo"))
    _age_session(client, login=12 * 3600 - 60, seen=10)
    assert client.get("/admin/").status_code == 200
    _age_session(client, login=12 * 3600 + 60, seen=10)
    response = client.get("/admin/", follow=True)
    assert response.redirect_chain[-1][0].startswith("/admin/login/")
    assert "12 uur" in _messages(response)


def test_ensure_admin_refuses_a_weak_chosen_password(monkeypatch):
    from django.core.management.base import CommandError

    monkeypatch.setenv("ADMIN_USERNAME", "beheer")
    monkeypatch.setenv("ADMIN_PASSWORD", "Kennisloket1")
    with pytest.raises(CommandError, match="ADMIN_PASSWORD"):
        call_command("ensure_admin", stdout=StringIO())
    assert not get_user_model().objects.filter(username="beheer").exists()
    monkeypatch.setenv("ADMIN_PASSWORD", PASSWORD)
    call_command("ensure_admin", stdout=StringIO())
    assert get_user_model().objects.get(username="beheer").is_superuser


def test_the_second_step_does_not_redirect_to_another_site(client):
    mod = _user(moderator, "mo")
    device = TOTPDevice.objects.create(user=mod, name="app", confirmed=True)
    _post_login(client, "mo", PASSWORD)
    response = client.post(
        reverse("security_2fa_verify"),
        {"code": current_code(device), "next": "https://kl-inlog.example/admin/"},
    )
    assert response.status_code == 302 and response["Location"] == "/admin/"
