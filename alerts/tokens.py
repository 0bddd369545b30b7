"""The links in the emails: signed with SECRET_KEY around the subscription's random key.

The confirmation link expires (ALERT_CONFIRM_DAYS); the unsubscribe link does not (it must
work from any old email) but dies with the subscription."""

from django.conf import settings
from django.core import signing

CONFIRM_SALT = "alerts.confirm"
UNSUBSCRIBE_SALT = "alerts.unsubscribe"


class BadToken(Exception):
    """The link was changed or made up."""


class ExpiredToken(BadToken):
    """The link was real but is too old; `key` says which subscription it was for."""

    def __init__(self, key=""):
        super().__init__()
        self.key = key


def confirm_token(subscription) -> str:
    return signing.TimestampSigner(salt=CONFIRM_SALT).sign(subscription.key)


def unsubscribe_token(subscription) -> str:
    return signing.Signer(salt=UNSUBSCRIBE_SALT).sign(subscription.key)


def key_from_confirm_token(token: str) -> str:
    signer = signing.TimestampSigner(salt=CONFIRM_SALT)
    try:
        return signer.unsign(token, max_age=settings.ALERT_CONFIRM_DAYS * 86400)
    except signing.SignatureExpired as error:
        raise ExpiredToken(signer.unsign(token)) from error
    except signing.BadSignature as error:
        raise BadToken from error


def key_from_unsubscribe_token(token: str) -> str:
    try:
        return signing.Signer(salt=UNSUBSCRIBE_SALT).unsign(token)
    except signing.BadSignature as error:
        raise BadToken from error
