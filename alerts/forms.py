from django import forms
from django.utils.translation import gettext_lazy as _

from core.public_forms import HoneypotForm, email_field

from .models import Subscription


class SubscribeForm(HoneypotForm):
    """Email address and frequency (and the honeypot)."""

    email = email_field(_("We send a confirmation link to this address first."))
    frequency = forms.ChoiceField(
        label=_("How often"),
        choices=Subscription.Frequency.choices,
        initial=Subscription.Frequency.WEEKLY,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose how often you want an email.")},
    )
