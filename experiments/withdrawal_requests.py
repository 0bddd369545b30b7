"""Asking for a withdrawal: an editor who may edit a registration but not unpublish it (a
gemeente's editors, as a rule) asks with a reason; the people who may unpublish it (the
moderators) are mailed and confirm, which withdraws it with that reason
(experiments.withdrawal.confirm_request), or decline with a comment. The editor hears either
way. One open request per registration (the model: models.registry.WithdrawalRequest)."""

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from wagtail.log_actions import log
from wagtail.permission_policies.pages import PagePermissionPolicy

from core.absolute_urls import absolute_url, admin_url
from core.mail import send_to_each

from .models import WithdrawalRequest

REQUEST_ACTION = "experiments.withdrawal_request"
DECLINE_ACTION = "experiments.withdrawal_request_declined"


class AlreadyRequested(Exception):
    """The registration has an open request already; it is in `.open_request`."""

    def __init__(self, open_request):
        super().__init__(open_request)
        self.open_request = open_request


def open_request_for(registration):
    return registration.withdrawal_requests.filter(status=WithdrawalRequest.Status.OPEN).first()


def deciders_of(page):
    """Who may confirm: whoever may unpublish the page (Wagtail's `publish` right on it or
    above it), and the superusers when Wagtail mails them about moderation too."""
    return PagePermissionPolicy().users_with_permission_for_instance(
        "publish", page, settings.WAGTAILADMIN_NOTIFICATION_INCLUDE_SUPERUSERS
    )


def request_withdrawal(page, reason: str, user) -> WithdrawalRequest:
    registration = page.registration
    try:
        with transaction.atomic():
            request = WithdrawalRequest.objects.create(
                registration=registration, reason=reason, requested_by=user
            )
    except IntegrityError:  # the constraint: someone asked first
        raise AlreadyRequested(open_request_for(registration)) from None
    log(instance=page, action=REQUEST_ACTION, user=user, data={"reason": reason})
    recipients = [u.email for u in deciders_of(page).exclude(pk=user.pk)]
    send_to_each(
        "experiments/email/withdrawal_request",
        {
            "request": request,
            "page": page,
            "url": admin_url("experiments_withdrawal_request", request.pk),
        },
        recipients,
    )
    return request


def decline(request: WithdrawalRequest, user, comment: str) -> None:
    page = request.registration.page
    with transaction.atomic():
        request.comment = comment
        _decide(request, WithdrawalRequest.Status.DECLINED, user)
        log(instance=page, action=DECLINE_ACTION, user=user, data={"comment": comment})
    tell_requester(request, page)


def close_open_request(registration, user) -> None:
    """The registration was withdrawn (however that came about): its open request is answered
    by that, and the requester told."""
    request = (
        WithdrawalRequest.objects.select_for_update()
        .filter(registration=registration, status=WithdrawalRequest.Status.OPEN)
        .first()
    )
    if request is not None:
        _decide(request, WithdrawalRequest.Status.CONFIRMED, user)
        tell_requester(request, registration.page)


def _decide(request, status, user):
    request.status = status
    request.decided_by = user if user is not None and user.is_authenticated else None
    request.decided_at = timezone.now()
    request.save(update_fields=["status", "decided_by", "decided_at", "comment"])


def tell_requester(request, page):
    requester = request.requested_by
    if requester is None:
        return
    context = {
        "request": request,
        "page": page,
        "registration": request.registration,
        "public_url": absolute_url(page.url or ""),
        "edit_url": admin_url("wagtailadmin_pages:edit", page.pk),
    }
    template = (
        "withdrawal_confirmed"
        if request.status == WithdrawalRequest.Status.CONFIRMED
        else "withdrawal_declined"
    )
    send_to_each(f"experiments/email/{template}", context, [requester.email])
