"""What happens to an expert profile: a sign-up or the directorate's invitation, the person's
confirmation (with the choice of what is shown), the directorate's review, the person's changes
and withdrawal. The views and the admin form call these; the rules live here.

Public means: confirmed by the person and approved by the directorate (in either order)."""

import hashlib

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from core.clients import client_bucket
from core.mail import send_to_each
from core.public_forms import normalise_email
from core.ratelimit import RateLimit
from editorial.models import SectionGroup

from . import emails, links
from .models import SHOWABLE_FIELDS, ExpertProfile, Review, WithdrawnExpert

SIGNUP_LIMIT = RateLimit("people:signup", "EXPERT_SIGNUP_RATE_LIMIT", "EXPERT_SIGNUP_RATE_WINDOW")
# Mails to one address (a sign-up in someone else's name must not flood their mailbox).
ADDRESS_LIMIT = RateLimit(
    "people:signup-address", "EXPERT_SIGNUP_RATE_LIMIT", "EXPERT_SIGNUP_RATE_WINDOW"
)

PROFILE_FIELDS = (
    "name",
    "organisation",
    "function",
    "level",
    "availability",
    "availability_note",
    "text",
)
PROFILE_RELATIONS = ("themes", "experiment_types", "municipalities")


def _hash(value: str) -> str:
    return hashlib.sha256(f"{settings.SECRET_KEY}:people:{value}".encode()).hexdigest()[:32]


def take_signup_slot(request) -> bool:
    """Count a valid sign-up from this client and say whether it may go ahead (one step)."""
    return SIGNUP_LIMIT.hit(client_bucket(request, scope="people"))


def shown_choices(profile) -> list[str]:
    return [name for name in SHOWABLE_FIELDS if profile.shown(name)]


def _set_shown(profile, shown) -> None:
    for name in SHOWABLE_FIELDS:
        setattr(profile, f"show_{name}", name in shown)


@transaction.atomic
def sign_up(data: dict) -> ExpertProfile | None:
    """Store an unconfirmed profile from the sign-up form (or refresh the unconfirmed one of the
    same address) and mail its confirmation link; an address with a confirmed profile gets its
    manage link instead. The caller answers the same whatever happens, so the page never tells
    whether an address is in the pool."""
    email = normalise_email(data["email"])
    profile = ExpertProfile.objects.filter(email__iexact=email).first()
    if not ADDRESS_LIMIT.hit(_hash(email.lower())):
        return profile
    if profile is not None and profile.is_confirmed:
        emails.send_to_expert("already_registered", profile)
        return profile
    profile = profile or ExpertProfile(email=email)
    for name in PROFILE_FIELDS:
        setattr(profile, name, data[name])
    _set_shown(profile, data["shown"])
    profile.created_at = timezone.now()  # the confirmation period starts again
    profile.save()
    for name in PROFILE_RELATIONS:
        getattr(profile, name).set(data[name])
    emails.send_to_expert("confirm", profile, confirm_url=emails.confirm_url(profile))
    return profile


def send_invitation(profile) -> None:
    """The directorate's invitation: the same confirmation link as a sign-up's."""
    emails.send_to_expert("invitation", profile, confirm_url=emails.confirm_url(profile))


def send_approved(profile) -> None:
    emails.send_to_expert("approved", profile, profile_url=links.expert_url(profile, absolute=True))


def find(key: str) -> ExpertProfile | None:
    return ExpertProfile.objects.filter(key=key).first()


@transaction.atomic
def confirm(profile, shown, now=None) -> ExpertProfile:
    """The person's consent, with their choice of what is shown. Already approved (an
    invitation the directorate approved first): it is public now, and the mail says so;
    otherwise the directorate is told it has a profile to review."""
    profile.confirmed_at = now or timezone.now()
    _set_shown(profile, shown)
    profile.save()
    if profile.review == Review.APPROVED:
        send_approved(profile)
    elif profile.review == Review.PENDING:
        send_to_each(
            "people/email/to_review",
            {"profile": profile, "admin_url": links.admin_edit_url(profile)},
            directorate_addresses(),
        )
    return profile


def directorate_addresses() -> list[str]:
    from django.contrib.auth import get_user_model

    return list(
        get_user_model()
        .objects.filter(is_active=True, groups__section__kind=SectionGroup.Kind.RIJK)
        .exclude(email="")
        .values_list("email", flat=True)
        .distinct()
    )


def change_shown(profile, shown) -> ExpertProfile:
    _set_shown(profile, shown)
    profile.save(update_fields=[f"show_{name}" for name in SHOWABLE_FIELDS])
    return profile


@transaction.atomic
def withdraw(profile, now=None) -> None:
    """Delete the profile and its personal data at once; keep its number, so its address
    answers 410."""
    WithdrawnExpert.objects.get_or_create(
        profile_id=profile.pk, defaults={"withdrawn_at": now or timezone.now()}
    )
    profile.delete()
