"""The event's admin form and the public registration form.

The admin form says at the field what does not fit: an end before the start, registration
closing after the start, a cancellation without a reason for the people registered, fewer
places than people who hold one (nobody loses a seat by an edit), and a knowledge centre's
editor naming another centre as organiser."""

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.public_forms import HoneypotForm, email_field
from security.forms import MediaCheckedPageForm
from vocabulary.models import KnowledgeCentre

from .choices import EventStatus, RegistrationStatus


class EventPageForm(MediaCheckedPageForm):
    def clean(self):
        cleaned_data = super().clean()
        starts_at, ends_at = cleaned_data.get("starts_at"), cleaned_data.get("ends_at")
        if starts_at and ends_at and ends_at <= starts_at:
            self.add_error("ends_at", _("The end must come after the start."))
        closes_at = cleaned_data.get("registration_closes_at")
        if closes_at and starts_at and closes_at > starts_at:
            self.add_error(
                "registration_closes_at", _("Registration must close by the start at the latest.")
            )
        if (
            cleaned_data.get("status") == EventStatus.CANCELLED
            and not (cleaned_data.get("cancellation_reason") or "").strip()
        ):
            self.add_error(
                "cancellation_reason",
                _("Say why it is cancelled: the reason is mailed to everyone registered."),
            )
        self._check_capacity(cleaned_data.get("capacity"))
        self._check_organiser(cleaned_data.get("organiser"))
        return cleaned_data

    def _check_capacity(self, capacity):
        if capacity is None or not self.instance.pk:
            return
        taken = self.instance.registrations.filter(status=RegistrationStatus.CONFIRMED).count()
        if capacity < taken:
            self.add_error(
                "capacity",
                _(
                    "%(taken)s people hold a place, so there cannot be fewer than %(taken)s "
                    "places. Those who can no longer come cancel with the link in their mail."
                )
                % {"taken": taken},
            )

    def _check_organiser(self, organiser):
        user = getattr(self, "for_user", None)
        if user is None or user.is_superuser:
            return
        own = list(KnowledgeCentre.objects.filter(editor_group__group__user=user))
        if not own:
            return  # the programme directorate or the moderators
        parent = self.parent_page if self.instance.pk is None else self.instance.get_parent()
        if parent is not None and parent.permissions_for_user(user).can_publish_subpage():
            return
        if organiser not in own:
            self.add_error(
                "organiser",
                _("Choose your own knowledge centre: %(centres)s.")
                % {"centres": ", ".join(c.abbreviation or c.name for c in own)},
            )


class RegistrationForm(HoneypotForm):
    name = forms.CharField(
        label=gettext_lazy("Name"),
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        error_messages={"required": gettext_lazy("Enter your name.")},
    )
    email = email_field(gettext_lazy("We send a confirmation link to this address first."))
    organisation = forms.CharField(
        label=gettext_lazy("Organisation (optional)"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )
