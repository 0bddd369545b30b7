"""Search alerts: a visitor's email address subscribed to one search of /zoeken/.

The email address is personal data: it is used to send the confirmation and the digests and
for nothing else. It is never shown on a page (at most masked), never in the API, exports,
feeds or dumps, and not in the admin (the model is not registered there); `str()` and
`repr()` of a subscription leave it out, so it cannot slip into a log line either.

A subscription is confirmed by a link (double opt-in) and removed by the unsubscribe link in
every email. Unconfirmed ones are deleted by `send_alerts` once their link has expired.
"""

import secrets

from django.db import models
from django.utils.translation import gettext_lazy as _


def new_key() -> str:
    return secrets.token_urlsafe(24)


class Subscription(models.Model):
    class Frequency(models.TextChoices):
        DAILY = "daily", _("Daily")
        WEEKLY = "weekly", _("Weekly")

    email = models.EmailField(_("email address"), max_length=254)
    # The search as a normalised /zoeken/ query string: q and the facet parameters only, facets
    # in their fixed order with sorted values (see alerts.searches.alert_search).
    query = models.TextField(_("search"), blank=True)
    frequency = models.CharField(
        _("frequency"), max_length=10, choices=Frequency.choices, default=Frequency.WEEKLY
    )
    # What the signed links point at: random, never reused (ids can be, after a delete).
    key = models.CharField(max_length=40, unique=True, default=new_key, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    last_sent_at = models.DateTimeField(_("last digest sent at"), null=True, blank=True)
    # Documents indexed before this have been looked at (the high-water mark of the checks).
    checked_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("search alert")
        verbose_name_plural = _("search alerts")
        indexes = [models.Index(fields=["confirmed_at", "frequency"], name="alerts_due")]

    def __str__(self):
        return f"Subscription {self.pk}"

    def __repr__(self):
        return f"<Subscription {self.pk} {self.frequency}>"

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_at is not None


class SentItem(models.Model):
    """A page a subscription's digest has listed: it is never listed again, even when the page
    is amended and republished."""

    subscription = models.ForeignKey(
        Subscription, on_delete=models.CASCADE, related_name="sent_items"
    )
    page_id = models.IntegerField()
    sent_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["subscription", "page_id"], name="alerts_sent_once"),
        ]

    def __str__(self):
        return f"Page {self.page_id} to subscription {self.subscription_id}"
