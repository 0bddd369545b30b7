"""What happens to an alert: it is asked for, confirmed, run by cron, and ended. The views and
the `send_alerts` command call these; the rules live here.

What a digest holds: the pages first published after the subscription was confirmed that its
search finds and that no earlier digest of it listed. So a new subscription starts from now
(the visitor has just seen the current results on /zoeken/); a page appears once, also when it
is amended and republished; a page published later that matches only after an amendment is
sent when it starts to match. A page published before the subscription never comes, even if
an amendment makes it match (the feed of amended registrations is for that).
"""

import datetime as dt
import hashlib
import logging
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from wagtail.models import Page

from core.clients import client_bucket
from core.public_forms import mailbox_key, normalise_email
from core.ratelimit import RateLimit
from search.models import IndexQueueEntry, SearchDocument

from . import emails
from .models import SentItem, Subscription
from .searches import alert_words, new_matches, still_valid

logger = logging.getLogger(__name__)


# --- Rate limits (in the cache, keyed by hashes: the cache holds no addresses) ----------------


def _hash(value: str) -> str:
    return hashlib.sha256(f"{settings.SECRET_KEY}:alerts:{value}".encode()).hexdigest()[:32]


CLIENT_LIMIT = RateLimit("alerts:client", "ALERT_RATE_LIMIT", "ALERT_RATE_WINDOW")
EMAIL_LIMIT = RateLimit("alerts:email", "ALERT_EMAIL_RATE_LIMIT", "ALERT_RATE_WINDOW")
# Documents (re)indexed this long before a run are looked at again by the next one, so a
# page whose transaction was still open when a run started is never missed.
OVERLAP = dt.timedelta(minutes=30)


def take_request_slot(request) -> bool:
    """Count a valid subscription request from this client, and say whether it may go ahead
    (one atomic step: a burst gets no more than the limit)."""
    return CLIENT_LIMIT.hit(client_bucket(request, scope="alerts"))


# --- Subscribing ------------------------------------------------------------------------------


def request_subscription(*, email: str, query: str, frequency: str) -> Subscription:
    """Store an unconfirmed subscription (or reuse the unconfirmed one for the same address and
    search) and mail its confirmation link. The caller answers the same whatever happens, so the
    page never tells whether an address is subscribed already."""
    email = normalise_email(email)
    subscription = (
        Subscription.objects.filter(email__iexact=email, query=query, confirmed_at__isnull=True)
        .order_by("-created_at")
        .first()
    )
    if subscription is None:
        subscription = Subscription.objects.create(email=email, query=query, frequency=frequency)
    elif subscription.frequency != frequency:
        subscription.frequency = frequency
        subscription.save(update_fields=["frequency"])
    if not EMAIL_LIMIT.hit(_hash(mailbox_key(email))):
        logger.info(
            "Alert %s: confirmation not sent again (rate limit for its address).", subscription.pk
        )
        return subscription
    message = emails.confirmation_message(subscription, alert_words(query))
    try:
        message.send()
    except Exception:  # noqa: BLE001 - the visitor can try again; the admin sees the log
        logger.exception("Alert %s: could not send the confirmation email.", subscription.pk)
    return subscription


def find(key: str) -> Subscription | None:
    return Subscription.objects.filter(key=key).first()


@transaction.atomic
def confirm(subscription: Subscription, now=None) -> Subscription:
    """Start `subscription`. Confirming the same search for the same address again keeps the
    one that was running (with the newly chosen frequency), so nobody gets a digest twice."""
    now = now or timezone.now()
    if subscription.is_confirmed:
        return subscription
    running = (
        Subscription.objects.select_for_update()
        .filter(
            email__iexact=subscription.email, query=subscription.query, confirmed_at__isnull=False
        )
        .first()
    )
    if running is not None:
        running.frequency = subscription.frequency
        running.save(update_fields=["frequency"])
        subscription.delete()
        return running
    subscription.confirmed_at = now
    subscription.checked_until = now
    subscription.save(update_fields=["confirmed_at", "checked_until"])
    return subscription


def unsubscribe(subscription: Subscription) -> None:
    """End it: the subscription, its address and its record of sent pages are deleted."""
    subscription.delete()


def purge_unconfirmed(now=None) -> int:
    """Delete subscriptions whose confirmation link has expired."""
    now = now or timezone.now()
    cutoff = now - dt.timedelta(days=settings.ALERT_CONFIRM_DAYS)
    deleted, _ = Subscription.objects.filter(
        confirmed_at__isnull=True, created_at__lt=cutoff
    ).delete()
    return deleted


def mask_email(email: str) -> str:
    """An address as a page may show it: "l…@e….org"."""
    local, _, domain = email.rpartition("@")
    name, dot, tld = domain.rpartition(".")
    if not name:
        name, dot, tld = tld, "", ""
    return f"{local[:1]}…@{name[:1]}…{dot}{tld}"


# --- Digests (the send_alerts command) --------------------------------------------------------

PERIOD_DAYS = {Subscription.Frequency.DAILY: 1, Subscription.Frequency.WEEKLY: 7}


def due(now=None, frequency=None):
    """Confirmed subscriptions whose last digest went out on an earlier local day than one
    period ago (by calendar day, so a daily cron job that runs a few seconds earlier than
    yesterday still finds yesterday's subscribers due), or never."""
    now = now or timezone.now()
    today = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    condition = Q(pk__in=[])
    for freq, days in PERIOD_DAYS.items():
        if frequency in (None, freq):
            start = today - dt.timedelta(days=days - 1)
            condition |= Q(frequency=freq) & (
                Q(last_sent_at__isnull=True) | Q(last_sent_at__lt=start)
            )
    return Subscription.objects.filter(condition, confirmed_at__isnull=False).order_by("pk")


def candidates(subscription: Subscription) -> dict[int, int | None]:
    """Pages that may be new to `subscription`: published after it was confirmed, (re)indexed
    since its last check, not listed before. Page id → year of its date (for the narrowing)."""
    since = subscription.checked_until or subscription.confirmed_at
    rows = (
        SearchDocument.objects.filter(
            indexed_at__gt=since,
            page_id__in=Page.objects.filter(
                first_published_at__gt=subscription.confirmed_at
            ).values("pk"),
        )
        .exclude(page_id__in=SentItem.objects.filter(subscription=subscription).values("page_id"))
        .values_list("page_id", "sort_date")
    )
    return {page_id: (date.year if date else None) for page_id, date in rows}


def high_water_mark(now) -> dt.datetime:
    """Up to when documents count as looked at after a run started at `now`: a little before,
    and before the oldest change Elasticsearch has not taken yet (it answers the searches when
    configured, and must have the page before it can find it)."""
    mark = now - OVERLAP
    waiting = (
        IndexQueueEntry.objects.order_by("created_at").values_list("created_at", flat=True).first()
    )
    if waiting is not None:
        mark = min(mark, waiting - OVERLAP)
    return mark


@dataclass
class Digest:
    subscription: Subscription
    cards: list
    more: int = 0  # new results beyond the digest's limit, sent next time


@dataclass
class RunReport:
    checked: int = 0
    sent: int = 0
    results: int = 0
    invalid: list[int] = field(default_factory=list)
    failed: list[int] = field(default_factory=list)
    purged: int = 0
    digests: list[Digest] = field(default_factory=list)


def digest_for(subscription: Subscription) -> Digest:
    """What `subscription`'s next digest would hold (nothing is sent or recorded)."""
    found = new_matches(subscription.query, candidates(subscription))
    limit = settings.ALERT_DIGEST_MAX_ITEMS
    return Digest(subscription, found[:limit], more=max(0, len(found) - limit))


def send_digest(subscription: Subscription, digest: Digest, now, mark) -> bool:
    """Mail `digest` and record it (both or neither: the mail goes out inside the transaction
    that records it, so a failed send records nothing and the pages come next time)."""
    alert = alert_words(subscription.query)
    with transaction.atomic():
        SentItem.objects.bulk_create(
            [
                SentItem(subscription=subscription, page_id=card.page_id, sent_at=now)
                for card in digest.cards
            ]
        )
        subscription.last_sent_at = now
        fields = ["last_sent_at"]
        if not digest.more:  # otherwise the rest must be looked at again next time
            subscription.checked_until = mark
            fields.append("checked_until")
        subscription.save(update_fields=fields)
        emails.digest_message(subscription, alert, digest.cards, digest.more).send()
    return True


def send_due_alerts(*, now=None, frequency=None, dry_run=False) -> RunReport:
    """Send every due subscription its digest of new results; nothing when there is nothing new.
    With `dry_run`, only work out what would be sent."""
    now = now or timezone.now()
    mark = high_water_mark(now)
    report = RunReport()
    if not dry_run:
        report.purged = purge_unconfirmed(now)
    for subscription in due(now, frequency).iterator():
        report.checked += 1
        if not still_valid(subscription.query):
            logger.warning(
                "Alert %s: its search has a filter value that no longer exists; not run.",
                subscription.pk,
            )
            report.invalid.append(subscription.pk)
            continue
        digest = digest_for(subscription)
        if not digest.cards:
            if not dry_run:
                Subscription.objects.filter(pk=subscription.pk).update(checked_until=mark)
            continue
        report.digests.append(digest)
        if dry_run:
            continue
        try:
            send_digest(subscription, digest, now, mark)
        except Exception:  # noqa: BLE001 - one bad address or a mail server hiccup must not stop the run
            logger.exception("Alert %s: could not send the digest.", subscription.pk)
            report.failed.append(subscription.pk)
            continue
        report.sent += 1
        report.results += len(digest.cards)
    return report
