"""The alerts' two emails: the confirmation (double opt-in) and the digest of new results.
Both in the site's language, with absolute links (cron has no request to ask for the host).
The digest has a plain-text body and an HTML alternative, and the List-Unsubscribe headers
(RFC 2369, one-click per RFC 8058) besides the link in its text."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from core.absolute_urls import absolute_url, site_url

from .tokens import confirm_token, unsubscribe_token


def confirm_url(subscription) -> str:
    return absolute_url(reverse("alerts:confirm", args=[confirm_token(subscription)]))


def unsubscribe_url(subscription) -> str:
    return absolute_url(reverse("alerts:unsubscribe", args=[unsubscribe_token(subscription)]))


def _render(template: str, context: dict) -> tuple[str, str]:
    subject = " ".join(render_to_string(f"alerts/email/{template}_subject.txt", context).split())
    body = render_to_string(f"alerts/email/{template}.txt", context)
    return subject, body


def _base_context(subscription, alert) -> dict:
    return {
        "subscription": subscription,
        "alert": alert,
        "frequency": subscription.get_frequency_display(),
        "site_name": settings.WAGTAIL_SITE_NAME,
        "site_url": site_url(),
        "search_url": absolute_url(alert.newest_path),
        "unsubscribe_url": unsubscribe_url(subscription),
    }


def confirmation_message(subscription, alert) -> EmailMultiAlternatives:
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            **_base_context(subscription, alert),
            "confirm_url": confirm_url(subscription),
            "confirm_days": settings.ALERT_CONFIRM_DAYS,
        }
        subject, body = _render("confirm", context)
    return EmailMultiAlternatives(
        subject,
        body,
        settings.DEFAULT_FROM_EMAIL,
        [subscription.email],
        headers={"Auto-Submitted": "auto-generated"},
    )


def digest_message(subscription, alert, cards, more: int) -> EmailMultiAlternatives:
    """The digest of `cards` (search.service.ResultCard); `more` new results wait for the next."""
    with translation.override(settings.LANGUAGE_CODE):
        items = [{"card": card, "url": absolute_url(card.url)} for card in cards]
        context = {
            **_base_context(subscription, alert),
            "items": items,
            "count": len(items),
            "more": more,
        }
        subject, body = _render("digest", context)
        html = render_to_string("alerts/email/digest.html", context)
    unsubscribe = context["unsubscribe_url"]
    message = EmailMultiAlternatives(
        subject,
        body,
        settings.DEFAULT_FROM_EMAIL,
        [subscription.email],
        headers={
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "Auto-Submitted": "auto-generated",
            "Precedence": "bulk",
        },
    )
    message.attach_alternative(html, "text/html")
    return message
