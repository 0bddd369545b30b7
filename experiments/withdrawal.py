"""Withdrawing a registration: the registry's alternative to deleting it.

A published registration (one with a number) is never deleted; people cite its number and
URL. Withdrawing it records when, by whom and why on the Registration (outside the page's
revisions, so rolling the page back cannot undo it) and unpublishes the page, so it leaves
every listing and the search index through Wagtail's own unpublish event. Its URL keeps
answering, with a tombstone: 410 Gone, the number, the title and the reason.
"""

from django import forms
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.log_actions import log

from .models import Registration

WITHDRAW_ACTION = "experiments.withdraw"


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for withdrawal"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        help_text=_("Shown publicly on the registration's page, together with its number and title."),
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
    if page.live:
        page.unpublish(user=user)
    return registration
