"""Asking for a withdrawal: an editor who may edit a registration but not unpublish it (a
gemeente's editors, as a rule) asks with a reason; the people who may unpublish it (the
moderators) are mailed and confirm, which withdraws it with that reason
(experiments.withdrawal.withdraw), or decline with a comment. The editor hears either way.
One open request per registration."""

from django.conf import settings
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.log_actions import log
from wagtail.permission_policies.pages import PagePermissionPolicy

from core.absolute_urls import absolute_url, admin_url
from core.mail import send_to_each

REQUEST_ACTION = "experiments.withdrawal_request"
DECLINE_ACTION = "experiments.withdrawal_request_declined"


class WithdrawalRequest(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("open")
        CONFIRMED = "bevestigd", _("confirmed")
        DECLINED = "afgewezen", _("declined")

    registration = models.ForeignKey(
        "experiments.Registration",
        on_delete=models.CASCADE,
        related_name="withdrawal_requests",
        verbose_name=_("registration"),
    )
    reason = models.TextField(_("reason for withdrawal"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("requested by"),
    )
    requested_at = models.DateTimeField(_("requested on"), default=timezone.now)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.OPEN
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided on"), null=True, blank=True)
    comment = models.TextField(
        _("comment"), blank=True, help_text=_("Why the request was declined.")
    )

    class Meta:
        app_label = "experiments"
        verbose_name = _("withdrawal request")
        verbose_name_plural = _("withdrawal requests")
        ordering = ["-requested_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["registration"],
                condition=models.Q(status="open"),
                name="withdrawal_request_one_open_per_registration",
            )
        ]

    def __str__(self):
        return f"{self.registration.number}: {self.get_status_display()}"

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN


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


def confirm(request: WithdrawalRequest, user) -> None:
    """Withdraw the registration with the request's reason; withdraw() closes the request as
    confirmed and tells the requester."""
    from .withdrawal import withdraw  # withdrawal imports models, which import this module

    withdraw(request.registration.page, request.reason, user=user)


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
