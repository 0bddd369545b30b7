"""The links in the registration mails, signed with SECRET_KEY around the registration's
random key. The confirmation link expires (EVENT_CONFIRM_DAYS); the cancel link does not (it
must work from any of the mails) but says nothing once the registration is anonymised."""

from django.conf import settings
from django.core import signing

CONFIRM_SALT = "agenda.confirm"
CANCEL_SALT = "agenda.cancel"


class BadToken(Exception):
    """The link was changed or made up."""


class ExpiredToken(BadToken):
    def __init__(self, key=""):
        super().__init__()
        self.key = key


def confirm_token(registration) -> str:
    return signing.TimestampSigner(salt=CONFIRM_SALT).sign(registration.key)


def cancel_token(registration) -> str:
    return signing.Signer(salt=CANCEL_SALT).sign(registration.key)


def key_from_confirm_token(token: str) -> str:
    signer = signing.TimestampSigner(salt=CONFIRM_SALT)
    try:
        return signer.unsign(token, max_age=settings.EVENT_CONFIRM_DAYS * 86400)
    except signing.SignatureExpired as error:
        raise ExpiredToken(signer.unsign(token)) from error
    except signing.BadSignature as error:
        raise BadToken from error


def key_from_cancel_token(token: str) -> str:
    try:
        return signing.Signer(salt=CANCEL_SALT).unsign(token)
    except signing.BadSignature as error:
        raise BadToken from error
