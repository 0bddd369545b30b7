"""Recovery codes for the second factor, and the collections whose files are public as soon as
they are uploaded."""

import hashlib
import hmac
import secrets

from django.db import models, transaction
from django.utils.translation import gettext_lazy as _
from django_otp.models import Device, ThrottlingMixin, TimestampMixin

RECOVERY_CODE_COUNT = 10
RECOVERY_CODE_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i to misread
RECOVERY_CODE_LENGTH = 12  # about 59 bits; stored salted and hashed (OWASP ASVS 2.6.2)


def _digest(salt: str, code: str) -> str:
    return hashlib.sha256(f"{salt}:{code}".encode()).hexdigest()


def normalise_code(code: str) -> str:
    return "".join(c for c in code.lower() if c.isalnum())


class RecoveryCodes(TimestampMixin, ThrottlingMixin, Device):
    """A django-otp device: one-time codes for when the authenticator app is not at hand. Each
    code works once; only their salted hashes are stored."""

    class Meta:
        verbose_name = _("recovery codes")
        verbose_name_plural = _("recovery codes")

    def get_throttle_factor(self):
        return 1

    @transaction.atomic
    def renew(self) -> list[str]:
        """Replace the codes by RECOVERY_CODE_COUNT new ones; returns them (shown once)."""
        self.codes.all().delete()
        plain = [
            "".join(secrets.choice(RECOVERY_CODE_ALPHABET) for _ in range(RECOVERY_CODE_LENGTH))
            for _ in range(RECOVERY_CODE_COUNT)
        ]
        rows = []
        for code in plain:
            salt = secrets.token_hex(8)
            rows.append(RecoveryCode(device=self, salt=salt, digest=_digest(salt, code)))
        RecoveryCode.objects.bulk_create(rows)
        return ["-".join(code[i : i + 4] for i in range(0, len(code), 4)) for code in plain]

    def verify_token(self, token) -> bool:
        allowed, _ = self.verify_is_allowed()
        if not allowed:
            return False
        code = normalise_code(str(token))
        match = None
        for candidate in self.codes.all():
            if hmac.compare_digest(candidate.digest, _digest(candidate.salt, code)):
                match = candidate
        if match is None:
            self.throttle_increment()
            return False
        match.delete()
        self.throttle_reset(commit=False)
        self.set_last_used_timestamp(commit=False)
        self.save()
        return True


class RecoveryCode(models.Model):
    device = models.ForeignKey(RecoveryCodes, on_delete=models.CASCADE, related_name="codes")
    salt = models.CharField(max_length=32)
    digest = models.CharField(max_length=64)

    def __str__(self):
        return f"recovery code {self.pk} of device {self.device_id}"


class PublicCollection(models.Model):
    """A collection whose documents and images anyone may open as soon as they are uploaded.
    Files in any other collection are public only while a live, public page uses them."""

    collection = models.OneToOneField(
        "wagtailcore.Collection",
        on_delete=models.CASCADE,
        related_name="public_flag",
        verbose_name=_("collection"),
    )

    class Meta:
        verbose_name = _("public collection")
        verbose_name_plural = _("public collections")

    def __str__(self):
        return str(self.collection)
