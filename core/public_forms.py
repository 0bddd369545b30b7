"""What the site's public forms (the question desk, search alerts) share: a honeypot against
robots and the way an e-mail address is asked for."""

from django import forms
from django.utils.translation import gettext_lazy as _


def email_field(help_text) -> forms.EmailField:
    return forms.EmailField(
        label=_("Email address"),
        max_length=254,
        help_text=help_text,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
        error_messages={
            "required": _("Enter your email address."),
            "invalid": _("Enter an email address like name@example.nl."),
        },
    )


class HoneypotForm(forms.Form):
    """`website` is the honeypot: hidden from people and screen readers (see
    templates/components/honeypot.html), so only a robot fills it in."""

    website = forms.CharField(label=_("Leave this field empty"), required=False)

    @property
    def is_robot(self) -> bool:
        return bool(self.cleaned_data.get("website"))
