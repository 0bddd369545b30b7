from django import forms
from django.utils.translation import gettext_lazy as _

from core.public_forms import HoneypotForm, email_field
from vocabulary.models import KnowledgeCentre, Municipality, Theme

QUESTION_MAX_LENGTH = 5000


class QuestionForm(HoneypotForm):
    """The public "Stel een vraag" form (with the honeypot)."""

    name = forms.CharField(
        label=_("Name"),
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        error_messages={"required": _("Enter your name.")},
    )
    email = email_field(_("We send the answer to this address."))
    organisation = forms.CharField(
        label=_("Organisation (optional)"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )
    municipality = forms.ModelChoiceField(
        label=_("Municipality (optional)"),
        queryset=Municipality.objects.order_by("name"),
        required=False,
        empty_label=_("No particular municipality"),
        help_text=_("The municipality your question is about, if any."),
    )
    theme = forms.ModelChoiceField(
        label=_("Theme"),
        queryset=Theme.objects.order_by("name"),
        empty_label=_("Choose a theme"),
        help_text=_("The theme decides which knowledge centre answers your question."),
        error_messages={"required": _("Choose the theme of your question.")},
    )
    question = forms.CharField(
        label=_("Your question"),
        max_length=QUESTION_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 8}),
        error_messages={
            "required": _("Enter your question."),
            "max_length": _(
                "Make your question shorter: at most %(limit_value)d characters (it has %(show_value)d)."
            ),
        },
    )
    consent = forms.BooleanField(
        label=_(
            "I agree that the Kennisloket stores my question and details as described in the "
            "privacy statement."
        ),
        help_text=_("Read the privacy statement"),
        error_messages={"required": _("Agree to the privacy statement to send your question.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["question"].help_text = _(
            "At most %(count)s characters. Please leave out personal details of other people."
        ) % {"count": QUESTION_MAX_LENGTH}

    def clean_question(self):
        text = self.cleaned_data["question"].strip()
        if not text:
            raise forms.ValidationError(_("Enter your question."), code="required")
        return text

    def visible_fields_in_order(self):
        return [
            self[name]
            for name in ("name", "email", "organisation", "municipality", "theme", "question")
        ]


class ForwardForm(forms.Form):
    to_centre = forms.ModelChoiceField(
        label=_("Forward to"),
        queryset=KnowledgeCentre.objects.none(),
        empty_label=_("Choose a knowledge centre"),
    )
    note = forms.CharField(
        label=_("Note for the other centre (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Why you pass it on. Only editors see this note."),
    )

    def __init__(self, *args, question, **kwargs):
        super().__init__(*args, **kwargs)
        centres = KnowledgeCentre.objects.order_by("abbreviation")
        if question.knowledge_centre_id:
            centres = centres.exclude(pk=question.knowledge_centre_id)
        self.fields["to_centre"].queryset = centres
        self.fields["to_centre"].label_from_instance = lambda c: f"{c.abbreviation} – {c.name}"


class PublishForm(forms.Form):
    title = forms.CharField(
        label=_("Title"),
        max_length=255,
        help_text=_(
            "Write a title that says what the question is about, without anything that "
            "identifies someone. It also makes the item's web address, which stays."
        ),
        error_messages={"required": _("Write a title for the knowledge item.")},
    )
    summary = forms.CharField(
        label=_("Summary"), max_length=800, widget=forms.Textarea(attrs={"rows": 3})
    )
    question_text = forms.CharField(
        label=_("Question (anonymised)"),
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_(
            "Names, email addresses, phone numbers, street addresses, postcodes and house numbers "
            "have been replaced. Check for anything else that could identify someone."
        ),
    )
    answer_text = forms.CharField(
        label=_("Answer (anonymised)"), widget=forms.Textarea(attrs={"rows": 10})
    )


class ModeratorPublishForm(PublishForm):
    """For a moderator, who may publish at once: only after confirming the anonymisation."""

    anonymisation_checked = forms.BooleanField(
        label=_("Anonymisation checked"),
        required=False,
        help_text=_(
            "I have read the question and the answer: nothing in them (names, addresses, "
            "details of a case) identifies the asker or anyone else. Without this, the "
            "item goes to the moderators."
        ),
    )
