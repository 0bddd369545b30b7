"""Withdrawing a registration: the registry's alternative to deleting it.

A published registration (one with a number) is never deleted; people cite its number and
URL. Withdrawing it records when, by whom and why on the Registration (outside the page's
revisions, so rolling the page back cannot undo it) and unpublishes the page, so it leaves
every listing and the search index through Wagtail's own unpublish event. Its URL keeps
answering, with a tombstone: 410 Gone, the number, the title and the reason. A change still
waiting for moderation is cancelled (nobody can approve it any more) and whoever submitted it
is told why; a scheduled publication is called off.
"""

from django import forms
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.log_actions import log

from core.absolute_urls import absolute_url
from core.mail import send_to_each

from .models import ExperimentPage, Registration, WithdrawalRequest
from .withdrawal_requests import close_open_request

WITHDRAW_ACTION = "experiments.withdraw"


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for withdrawal"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        help_text=_(
            "Shown publicly on the registration's page, together with its number and title."
        ),
    )

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError(_("Say why the registration is withdrawn."))
        return reason


def registrations_under(page):
    """Registrations of `page` itself or of any page below it (deleting a parent deletes them too)."""
    return Registration.objects.filter(
        Q(page_id=page.pk) | Q(page__path__startswith=page.path, page__depth__gt=page.depth)
    )


def public_withdrawals():
    """Withdrawn registrations whose page was public, newest withdrawal first: what the feed
    and the API announce (a page that was private stays unknown, as its address says)."""
    return (
        Registration.objects.filter(
            withdrawn_at__isnull=False, page__in=ExperimentPage.objects.public().values("pk")
        )
        .select_related("page")
        .order_by("-withdrawn_at", "-pk")
    )


def published_registrations_under(page):
    """Registrations below `page` whose page is live and that are not withdrawn."""
    return registrations_under(page).filter(withdrawn_at__isnull=True, page__live=True)


@transaction.atomic
def withdraw(page, reason: str, user=None) -> Registration:
    registration = Registration.objects.select_for_update().get(page=page)
    if registration.withdrawn_at is None:
        registration.withdrawn_at = timezone.now()
        registration.withdrawal_reason = reason
        registration.withdrawn_by = user if user is not None and user.is_authenticated else None
        registration.save(update_fields=["withdrawn_at", "withdrawal_reason", "withdrawn_by"])
        page.registration = registration
        log(instance=page, action=WITHDRAW_ACTION, user=user, data={"reason": reason})
        close_open_request(registration, user)
    _end_pending_changes(page, registration, user)
    if page.live:
        page.unpublish(user=user)
    return registration


def confirm_request(request: WithdrawalRequest, user) -> None:
    """Confirm a request for withdrawal (withdrawal_requests.py): withdraw the registration with
    the request's reason; withdraw() closes the request as confirmed and tells the requester."""
    withdraw(request.registration.page, request.reason, user=user)


def _end_pending_changes(page, registration, user) -> None:
    """Nothing waiting can bring a withdrawn registration back: a submitted change is
    cancelled (its submitter is mailed once the withdrawal is committed) and a scheduled
    publication is called off."""
    page.revisions.exclude(approved_go_live_at=None).update(approved_go_live_at=None)
    workflow_state = page.current_workflow_state
    if workflow_state is None:
        return
    submitter = workflow_state.requested_by
    workflow_state.cancel(user=user)
    if submitter is not None and submitter != user:
        send_to_each(
            "experiments/email/withdrawn_during_moderation",
            {
                "page": page,
                "registration": registration,
                "public_url": absolute_url(page.url or ""),
            },
            [submitter.email],
        )
