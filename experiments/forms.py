"""The admin form of an experiment registration, and the rule it shares with the programme's
public records (wijkactieplannen, charters): a published change says why."""

from django import forms
from django.utils.translation import gettext as _

from vocabulary.forms import MunicipalityScopedPageForm

# The edit view's buttons that make a change public, now or after moderation.
PUBLISHING_ACTIONS = ("action-publish", "action-submit", "action-restart-workflow")


class ChangeNoteRequiredForm:
    """Mixin for a page form with a `change_note` field: once the page is a public record
    (`has_public_record`), every change that is published (directly, or by submitting it for
    moderation) says why. The explanation is kept with the revision, so the moderator sees it
    and the published version records it. Before that, the field does not show."""

    def change_note_message(self) -> str:
        raise NotImplementedError

    def has_public_record(self) -> bool:
        raise NotImplementedError

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.has_public_record():
            del self.fields["change_note"]  # (its panel then does not show)
        elif not self.instance.has_unpublished_changes:
            # The page as published: its note belongs to the change already made.
            self.initial["change_note"] = ""

    def publishes(self) -> bool:
        if any(self.data.get(action) for action in PUBLISHING_ACTIONS):
            return True
        return (
            bool(self.data.get("action-workflow-action"))
            and self.data.get("workflow-action-name") == "approve"
        )

    def clean(self):
        cleaned_data = super().clean()
        if "change_note" in self.fields and self.publishes():
            note = (cleaned_data.get("change_note") or "").strip()
            if not note:
                self.add_error(
                    "change_note",
                    forms.ValidationError(self.change_note_message(), code="change_note_required"),
                )
            cleaned_data["change_note"] = note
        return cleaned_data


class ExperimentPageForm(ChangeNoteRequiredForm, MunicipalityScopedPageForm):
    """Trial registries ask the same: a published registration's amendments say why."""

    def change_note_message(self) -> str:
        return _(
            "Say in a sentence or two what changes and why: it is shown in the registration's public history."
        )

    def has_public_record(self) -> bool:
        return self.is_registered

    @property
    def is_registered(self) -> bool:
        # Through the form's own model (ExperimentPage), which imports this module.
        return (
            self.instance.pk is not None
            and self._meta.model.objects.filter(
                pk=self.instance.pk, registration__isnull=False
            ).exists()
        )

    def clean(self):
        cleaned_data = super().clean()
        # A registration has no expiry date (its form does not offer one); one set before that
        # rule goes with the next save.
        self.instance.expire_at = None
        return cleaned_data
