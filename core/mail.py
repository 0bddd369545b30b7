"""The e-mails the registry sends to editors and moderators: rendered in the site's language,
one message per recipient (nobody sees the others' addresses), and sent once the change they
report is committed. A mail server that does not answer is logged; it never undoes the change
nor turns the editor's request into an error."""

import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation

logger = logging.getLogger(__name__)


def send_to_each(template: str, context: dict, recipients) -> None:
    """Render `<template>_subject.txt` and `<template>_body.txt` now; send after the commit."""
    recipients = [address for address in dict.fromkeys(recipients) if address]
    if not recipients:
        return
    with translation.override(settings.LANGUAGE_CODE):
        subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
        body = render_to_string(f"{template}_body.txt", context)

    def send():
        for address in recipients:
            try:
                EmailMessage(subject, body, to=[address]).send()
            except Exception as error:  # noqa: BLE001 - any failure of the mail server
                logger.warning("Could not send %s to %s: %s", template, address, error)

    transaction.on_commit(send)
