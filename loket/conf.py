"""The question desk's settings, with their defaults (see website/settings/base.py)."""

from django.conf import settings


def retention_days() -> int:
    """Days after which a question's personal data are removed by `purge_questions`."""
    return int(getattr(settings, "QUESTION_RETENTION_DAYS", 365))


def rate_limit() -> int:
    """Questions one client address may send per window."""
    return int(getattr(settings, "QUESTION_RATE_LIMIT", 5))


def rate_window() -> int:
    """The rate limit's window, in seconds."""
    return int(getattr(settings, "QUESTION_RATE_WINDOW", 3600))
