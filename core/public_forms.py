"""What the site's public forms (the question desk, search alerts, event registrations, the
pool) share: a honeypot against robots, the way an e-mail address is asked for, and how an
address is normalised and keyed for the per-mailbox rate limits."""

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


def normalise_email(email: str) -> str:
    local, _, domain = email.strip().rpartition("@")
    return f"{local}@{domain.lower()}"


def mailbox_key(email: str) -> str:
    """The mailbox an address delivers to, for the per-address limit: "Victim+1@Example.org",
    "victim+2@example.org" and '"victim"@example.org' all reach victim@example.org, so they
    share one allowance. (Sub-addresses after "+" and quotes around the local part.)"""
    local, _, domain = email.strip().rpartition("@")
    local = local.lower().replace('"', "").replace("\\", "").partition("+")[0]
    try:
        domain = domain.strip().rstrip(".").encode("idna").decode("ascii").lower()
    except UnicodeError:
        domain = domain.strip().rstrip(".").lower()
    return f"{local}@{domain}"
