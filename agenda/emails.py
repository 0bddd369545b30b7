"""The mails of a registration, in the site's language, with absolute links (the reminder job
has no request to ask for the host). Each goes to the one person it is about; each but the
last word on a cancelled registration or event carries the link to cancel."""

import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from core.absolute_urls import absolute_url

from .tokens import cancel_token, confirm_token

logger = logging.getLogger(__name__)


def confirm_url(registration) -> str:
    return absolute_url(reverse("agenda:confirm", args=[confirm_token(registration)]))


def cancel_url(registration) -> str:
    return absolute_url(reverse("agenda:cancel", args=[cancel_token(registration)]))


def message(template: str, registration, **extra) -> EmailMessage:
    """`agenda/email/<template>_subject.txt` and `<template>.txt` for `registration`."""
    event = registration.event
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "registration": registration,
            "event": event,
            "event_url": absolute_url(event.url),
            "calendar_url": absolute_url(event.url + "ical/"),
            "confirm_url": confirm_url(registration),
            "cancel_url": cancel_url(registration),
            "confirm_days": settings.EVENT_CONFIRM_DAYS,
            "site_name": settings.WAGTAIL_SITE_NAME,
            **extra,
        }
        subject = " ".join(
            render_to_string(f"agenda/email/{template}_subject.txt", context).split()
        )
        body = render_to_string(f"agenda/email/{template}.txt", context)
    return EmailMessage(
        subject,
        body,
        settings.DEFAULT_FROM_EMAIL,
        [registration.email],
        headers={"Auto-Submitted": "auto-generated"},
    )


def send_after_commit(template: str, registration, **extra) -> None:
    """Render now (the registration as it is), send once the change is committed. A mail
    server that does not answer is logged; the registration stands."""
    if not registration.email:
        return
    mail = message(template, registration, **extra)

    def send():
        try:
            mail.send()
        except Exception:  # noqa: BLE001 - any failure of the mail server
            logger.exception("Registration %s: could not send %s.", registration.pk, template)

    transaction.on_commit(send)
