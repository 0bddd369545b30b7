"""The pool's mails, in the site's language with absolute links, each sent once the change it
reports is committed (a mail server that does not answer is logged and undoes nothing). Every
mail to an expert carries the link to change what is shown or withdraw."""

import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation

from core.absolute_urls import site_url

from . import links
from .tokens import confirm_token, manage_token

logger = logging.getLogger(__name__)


def _render(template: str, context: dict) -> tuple[str, str]:
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string(f"people/email/{template}_subject.txt", context)
        body = render_to_string(f"people/email/{template}.txt", context)
    return " ".join(subject.split()), body


def send_after_commit(template: str, context: dict, to: str, reply_to: str = "") -> None:
    """Render now, send after the commit. The log names the mail, never the address."""
    subject, body = _render(template, {"site_name": settings.WAGTAIL_SITE_NAME, **context})
    message = EmailMessage(
        subject,
        body,
        settings.DEFAULT_FROM_EMAIL,
        [to],
        reply_to=[reply_to] if reply_to else None,
        headers={"Auto-Submitted": "auto-generated"},
    )

    def send():
        try:
            message.send()
        except Exception as error:  # noqa: BLE001 - any failure of the mail server
            logger.warning("Could not send the mail %s: %s", template, error)

    transaction.on_commit(send)


def manage_url(profile) -> str:
    return links.route_url("manage", manage_token(profile), absolute=True)


def confirm_url(profile) -> str:
    return links.route_url("confirm", confirm_token(profile), absolute=True)


def _expert_context(profile) -> dict:
    return {
        "profile": profile,
        "manage_url": manage_url(profile),
        "site_url": site_url(),
        "confirm_days": settings.EXPERT_SIGNUP_CONFIRM_DAYS,
    }


def send_to_expert(template: str, profile, **extra) -> None:
    send_after_commit(template, {**_expert_context(profile), **extra}, profile.email)
