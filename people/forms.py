from django import forms
from django.utils.translation import gettext_lazy as _

from core.public_forms import HoneypotForm, email_field
from vocabulary.models import ExperimentType, Municipality, Theme

from .models import SHOWABLE_FIELDS, ExpertProfile, Level

SHOWN_LABELS = {
    "organisation": _("Organisation"),
    "function": _("Function"),
    "level": _("Level"),
    "themes": _("Themes"),
    "experiment_types": _("Experiment types"),
    "municipalities": _("Gemeenten worked in"),
    "availability": _("Availability"),
    "text": _("Short text"),
}


def shown_field(initial=SHOWABLE_FIELDS):
    return forms.MultipleChoiceField(
        label=_("Shown on your public profile"),
        help_text=_("Your name is always shown. Your email address is never shown."),
        choices=[(name, SHOWN_LABELS[name]) for name in SHOWABLE_FIELDS],
        initial=list(initial),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


class ShownFieldsForm(forms.Form):
    shown = shown_field()


class SignupForm(HoneypotForm):
    """The public sign-up for the pool (with the honeypot)."""

    name = forms.CharField(
        label=_("Name"),
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        error_messages={"required": _("Enter your name.")},
    )
    email = email_field(_("We send a confirmation link to this address first. It is never shown."))
    organisation = forms.CharField(
        label=_("Organisation"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )
    function = forms.CharField(
        label=_("Function"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "organization-title"}),
    )
    level = forms.ChoiceField(
        label=_("Level you work at"),
        choices=Level.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the level you work at.")},
    )
    themes = forms.ModelMultipleChoiceField(
        label=_("Themes"),
        queryset=Theme.objects.order_by("name"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one theme.")},
    )
    experiment_types = forms.ModelMultipleChoiceField(
        label=_("Experiment types (optional)"),
        queryset=ExperimentType.objects.order_by("name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    municipalities = forms.ModelMultipleChoiceField(
        label=_("Gemeenten you have worked in (optional)"),
        queryset=Municipality.objects.order_by("name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    availability = forms.ChoiceField(
        label=_("Availability"),
        choices=ExpertProfile._meta.get_field("availability").choices,
        initial=ExpertProfile._meta.get_field("availability").default,
        widget=forms.RadioSelect,
    )
    availability_note = forms.CharField(
        label=_("About your availability (optional)"),
        max_length=300,
        required=False,
        help_text=_("Such as: two days a month, from September."),
    )
    text = forms.CharField(
        label=_("Short text (optional)"),
        max_length=1500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("What you can do for a wijk, in a few sentences."),
    )
    shown = shown_field()
    consent = forms.BooleanField(
        label=_(
            "I agree that the Kennisloket stores these details and, once I have confirmed them "
            "and the programme directorate has approved them, shows the fields I chose."
        ),
        error_messages={"required": _("Agree to send your sign-up.")},
    )

    def text_fields(self):
        return [self[name] for name in ("name", "email", "organisation", "function")]

    def choice_fields(self):
        return [
            self[name]
            for name in ("level", "themes", "experiment_types", "municipalities", "availability")
        ]

    def closing_fields(self):
        return [self[name] for name in ("availability_note", "text", "shown")]
