from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Subscription


class SubscribeForm(forms.Form):
    """Email address and frequency. `website` is the honeypot: hidden from people and screen
    readers, so only a robot fills it in."""

    email = forms.EmailField(
        label=_("Email address"), max_length=254,
        help_text=_("We send a confirmation link to this address first."),
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
        error_messages={
            "required": _("Enter your email address."),
            "invalid": _("Enter an email address like name@example.nl."),
        },
    )
    frequency = forms.ChoiceField(
        label=_("How often"), choices=Subscription.Frequency.choices,
        initial=Subscription.Frequency.WEEKLY, widget=forms.RadioSelect,
        error_messages={"required": _("Choose how often you want an email.")},
    )
    website = forms.CharField(label=_("Leave this field empty"), required=False)

    @property
    def is_robot(self) -> bool:
        return bool(self.cleaned_data.get("website"))
