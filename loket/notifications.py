"""The question desk's emails: to a centre's editors when a question arrives or is forwarded to
them, and to the asker when it arrives (a receipt) and when it is answered. All in the site's
language (Dutch), whatever the language of the editor who triggers them.

Mails to editors carry no personal data of the asker, only a link into the admin, where access
is checked. The asker's mails carry only what the desk says (the reference, who answers, when,
the centre's answer): their address was never confirmed, so nothing typed into the form (name,
question) is repeated in a mail from the site's own address, which would make the form a way
to send anyone a message."""

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from core.absolute_urls import absolute_url, admin_url
from editorial.roles import editors_of_centre, moderators

logger = logging.getLogger(__name__)


def handlers_of(centre) -> list[str]:
    """Email addresses of the people who should hear of a question for `centre`: its editors,
    or the moderators when it has none (or no centre was found for it)."""
    people = editors_of_centre(centre) if centre is not None else moderators()
    addresses = sorted({u.email for u in people if u.email})
    if not addresses and centre is not None:
        addresses = sorted({u.email for u in moderators() if u.email})
    return addresses


def _send(template: str, context: dict, recipients: list[str]) -> None:
    with translation.override(settings.LANGUAGE_CODE):
        subject = " ".join(render_to_string(f"loket/email/{template}_subject.txt", context).split())
        body = render_to_string(f"loket/email/{template}.txt", context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients)


def notify_handlers(question, *, forwarding=None) -> None:
    """Tell the editors who now own `question` that it is waiting for them. A mail that cannot
    be sent is logged, never an error for the asker: the question is in the admin all the same."""
    recipients = handlers_of(question.knowledge_centre)
    if not recipients:
        logger.warning(
            "Question %s: nobody to notify (no editors or moderators with email).", question.pk
        )
        return
    context = {
        "question": question,
        "forwarding": forwarding,
        "url": admin_url("loket_questions:edit", question.pk),
        "site_name": settings.WAGTAIL_SITE_NAME,
    }
    try:
        _send("forwarded" if forwarding else "new_question", context, recipients)
    except Exception:  # noqa: BLE001 - an unreachable mail server must not lose the question
        logger.exception("Question %s: could not notify %s.", question.pk, recipients)


def _asker_context(question) -> dict:
    return {
        "question": question,
        "site_name": settings.WAGTAIL_SITE_NAME,
        "retention_days": settings.QUESTION_RETENTION_DAYS,
        "privacy_url": absolute_url(reverse("loket:privacy")),
    }


def send_receipt(question) -> None:
    """Mail the asker that their question arrived: its reference, who answers it and the answer
    time the desk promises. A mail that cannot be sent is logged, and the question is stored
    all the same (the thank-you page gives the reference too)."""
    context = {
        **_asker_context(question),
        "answer_working_days": settings.QUESTION_ANSWER_WORKING_DAYS,
    }
    try:
        _send("receipt", context, [question.email])
    except Exception:  # noqa: BLE001 - an unreachable mail server must not lose the question
        logger.exception("Question %s: could not send the receipt.", question.pk)


def send_answer(question, answer: str) -> None:
    """Mail the answer to the asker. Raises when the mail cannot be sent, so the editor knows."""
    _send("answer", {**_asker_context(question), "answer": answer}, [question.email])
