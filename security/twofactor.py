"""The second factor: who must use it, and the devices behind it (django-otp's TOTP device for
an authenticator app, and RecoveryCodes).

A user "has two-factor" once a TOTP device is confirmed; then every admin login asks for a
code. Who *must* enrol before the admin opens is decided by settings.TWO_FACTOR_REQUIRED (a
dotted path to a function of the user; the project points it at editorial.roles)."""

from functools import cache

from django.conf import settings
from django.db import transaction
from django.utils.module_loading import import_string
from django_otp import user_has_device
from django_otp.plugins.otp_totp.models import TOTPDevice

from .models import RecoveryCodes

TOTP_NAME = "authenticator-app"


@cache
def _required_check():
    path = settings.TWO_FACTOR_REQUIRED
    return import_string(path) if path else (lambda user: user.is_superuser)


def is_required(user) -> bool:
    return bool(user.is_authenticated and _required_check()(user))


def is_enrolled(user) -> bool:
    return user.is_authenticated and TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def needs_verification(user) -> bool:
    """Logged in with a password, but the second step is still to come."""
    return (
        user.is_authenticated and not user.is_verified() and user_has_device(user, confirmed=True)
    )


def needs_enrolment(user) -> bool:
    return (
        user.is_authenticated
        and not user.is_verified()
        and is_required(user)
        and not is_enrolled(user)
    )


def pending_device(user) -> TOTPDevice:
    """The not yet confirmed TOTP device of `user` (the QR code shown during enrolment), made
    once so that reloading the page keeps the same secret."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    return device or TOTPDevice.objects.create(user=user, name=TOTP_NAME, confirmed=False)


@transaction.atomic
def confirm(device: TOTPDevice) -> list[str]:
    """Make `device` the user's authenticator (replacing an earlier one) and give them new
    recovery codes, which are returned to be shown once."""
    TOTPDevice.objects.filter(user=device.user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    return renew_recovery_codes(device.user)


def renew_recovery_codes(user) -> list[str]:
    """New recovery codes for `user` (the old ones stop working); returned to be shown once."""
    codes, _created = RecoveryCodes.objects.get_or_create(
        user=user, defaults={"name": "recovery-codes", "confirmed": True}
    )
    return codes.renew()


def recovery_codes_left(user) -> int:
    device = RecoveryCodes.objects.filter(user=user).first()
    return device.codes.count() if device else 0


@transaction.atomic
def remove(user) -> None:
    TOTPDevice.objects.filter(user=user).delete()
    RecoveryCodes.objects.filter(user=user).delete()


def verify(user, code: str):
    """The device (authenticator or recovery codes) that accepts `code`, or None. Each device
    throttles failures itself (django-otp), so guessing gets slower with every wrong code."""
    code = (code or "").strip().replace(" ", "")
    with transaction.atomic():
        if code.isdigit():
            devices = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=True)
        else:
            devices = RecoveryCodes.objects.select_for_update().filter(user=user, confirmed=True)
        for device in devices:
            if device.verify_token(code):
                return device
    return None
