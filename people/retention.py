"""Retention of the pool's personal data (settings EXPERT_SIGNUP_CONFIRM_DAYS and
EXPERT_UNAPPROVED_RETENTION_DAYS): what nobody consented to in time, and what the programme
directorate refused or left unreviewed for too long, is deleted. The site's one
`purge_personal_data` command calls purge()."""

import datetime as dt

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from .models import ExpertProfile, Review


def purge(now=None) -> dict:
    """Delete expired unconfirmed profiles (sign-ups and invitations whose link ran out),
    refused ones, and confirmed ones still unreviewed after the retention period.
    {what: how many deleted}."""
    now = now or timezone.now()
    confirm_cutoff = now - dt.timedelta(days=settings.EXPERT_SIGNUP_CONFIRM_DAYS)
    review_cutoff = now - dt.timedelta(days=settings.EXPERT_UNAPPROVED_RETENTION_DAYS)
    # An invitation's link runs from the invitation, a sign-up's (or an invitation never
    # sent: personal data nobody consented to) from the moment it was stored.
    unconfirmed = ExpertProfile.objects.filter(confirmed_at__isnull=True).filter(
        Q(invited_at__isnull=True, created_at__lt=confirm_cutoff) | Q(invited_at__lt=confirm_cutoff)
    )
    return {
        "expert_unconfirmed": _delete(unconfirmed),
        "expert_refused": _delete(ExpertProfile.objects.filter(review=Review.REFUSED)),
        "expert_unreviewed": _delete(
            ExpertProfile.objects.filter(
                review=Review.PENDING, confirmed_at__isnull=False, confirmed_at__lt=review_cutoff
            )
        ),
    }


def _delete(queryset) -> int:
    return queryset.delete()[1].get("people.ExpertProfile", 0)
