"""The links in the pool's mails, signed with SECRET_KEY around the profile's random key.

The confirmation link expires (EXPERT_SIGNUP_CONFIRM_DAYS) and works once; the manage link (change
what is shown, or withdraw) does not expire, so it works from any old mail, and dies with the
profile.

Wagtail serves only paths of letters, digits, "-" and "_" between slashes, so the signer's ":"
becomes "/" in a link: /deskundigen/bevestigen/<key>/<time>/<signature>/."""

from django.conf import settings
from django.core import signing

CONFIRM_SALT = "people.confirm"
MANAGE_SALT = "people.manage"


class BadToken(Exception):
    """The link was changed or made up."""


class ExpiredToken(BadToken):
    """The link was real but is too old."""


def _in_path(signed: str) -> str:
    return signed.replace(":", "/")


def _from_path(token: str) -> str:
    return token.replace("/", ":")


def confirm_token(profile) -> str:
    return _in_path(signing.TimestampSigner(salt=CONFIRM_SALT).sign(profile.key))


def manage_token(profile) -> str:
    return _in_path(signing.Signer(salt=MANAGE_SALT).sign(profile.key))


def key_from_confirm_token(token: str) -> str:
    signer = signing.TimestampSigner(salt=CONFIRM_SALT)
    try:
        return signer.unsign(_from_path(token), max_age=settings.EXPERT_SIGNUP_CONFIRM_DAYS * 86400)
    except signing.SignatureExpired as error:
        raise ExpiredToken from error
    except signing.BadSignature as error:
        raise BadToken from error


def key_from_manage_token(token: str) -> str:
    try:
        return signing.Signer(salt=MANAGE_SALT).unsign(_from_path(token))
    except signing.BadSignature as error:
        raise BadToken from error
