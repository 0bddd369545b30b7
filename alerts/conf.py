"""The alerts' settings, with their defaults. None of them has to be set."""

import datetime as dt

from django.conf import settings


def rate_limit() -> int:
    """Subscription requests one client address may make per window."""
    return int(getattr(settings, "ALERT_RATE_LIMIT", 10))


def email_rate_limit() -> int:
    """Confirmation emails one email address may get per window (so the form cannot be used
    to flood someone's inbox)."""
    return int(getattr(settings, "ALERT_EMAIL_RATE_LIMIT", 3))


def rate_window() -> int:
    """The rate limits' window, in seconds."""
    return int(getattr(settings, "ALERT_RATE_WINDOW", 3600))


def confirm_days() -> int:
    """Days a confirmation link works; unconfirmed subscriptions are deleted after that."""
    return int(getattr(settings, "ALERT_CONFIRM_DAYS", 7))


def digest_max_items() -> int:
    """Most results in one digest; more wait for the next one (none is skipped)."""
    return int(getattr(settings, "ALERT_DIGEST_MAX_ITEMS", 100))


# Documents (re)indexed this long before a run are looked at again by the next one, so a
# page whose transaction was still open when a run started is never missed.
OVERLAP = dt.timedelta(minutes=30)
