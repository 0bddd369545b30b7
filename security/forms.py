"""Admin forms of the security app: the page form that checks chosen documents and images, and
the forms of the second factor."""

from django import forms
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.permissions import policy_registry


def _media_models():
    return (get_image_model(), get_document_model())


def media_references(model_field, value):
    """(model, pk) of every image and document that `value` of `model_field` refers to: a
    foreign key, or what a StreamField or rich text field embeds or links."""
    media = _media_models()
    if value in (None, ""):
        return
    if isinstance(model_field, models.ForeignKey):
        if issubclass(model_field.related_model, media):
            yield model_field.related_model, getattr(value, "pk", value)
        return
    if hasattr(model_field, "extract_references"):
        for to_model, to_pk, _model_path, _content_path in model_field.extract_references(value):
            if issubclass(to_model, media):
                yield to_model, to_pk


def _form_references(form, values) -> dict:
    """{(model, pk): form field name} of the media in `values` (a form's data by field name)."""
    found = {}
    opts = form._meta.model._meta
    for name, value in values.items():
        try:
            model_field = opts.get_field(name)
        except FieldDoesNotExist:  # a form field that is no model field (comments, ...)
            continue
        for model, pk in media_references(model_field, value):
            found.setdefault((model, str(pk)), name)
    return found


class MediaCheckedPageForm(WagtailAdminPageForm):
    """Refuses a document or image the editor may not choose (one of another section's
    collection), also when its id is posted by hand. What the page already used stays allowed,
    so editing a page a moderator gave a shared image does not fail."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._media_before = set(self._references(initial=True))

    def _references(self, initial=False) -> dict:
        found = {}
        forms_and_values = [(self, self.initial if initial else getattr(self, "cleaned_data", {}))]
        for formset in getattr(self, "formsets", {}).values():
            for child in formset.forms:
                if initial:
                    forms_and_values.append((child, child.initial))
                elif child.is_valid() and child not in formset.deleted_forms:
                    forms_and_values.append((child, child.cleaned_data))
        for form, values in forms_and_values:
            for key, name in _form_references(form, values).items():
                found.setdefault(key, (form, name))
        return found

    def clean(self):
        cleaned_data = super().clean()
        user = self.for_user
        if user is None or user.is_superuser:
            return cleaned_data
        for (model, pk), (form, name) in self._references().items():
            if (model, pk) in self._media_before:
                continue
            item = model.objects.select_related("collection").filter(pk=pk).first()
            policy = policy_registry.get_by_type(model)
            if item is None or policy.user_has_permission_for_instance(user, "choose", item):
                continue
            error = forms.ValidationError(
                _(
                    "“%(title)s” is in the collection “%(collection)s”, which you may not use. Choose "
                    "a document or image from your own collection."
                )
                % {"title": item.title, "collection": item.collection.name},
                code="media_of_another_collection",
            )
            form.add_error(name, error)
        return cleaned_data


class TokenForm(forms.Form):
    """The code from the authenticator app, or one of the recovery codes."""

    code = forms.CharField(
        label=_("Code"),
        max_length=32,
        strip=True,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "text",
                "autofocus": True,
                "autocapitalize": "off",
                "spellcheck": "false",
            }
        ),
        help_text=_(
            "The 6 digits your authenticator app shows now, or one of your recovery codes."
        ),
        error_messages={"required": _("Enter the code from your authenticator app.")},
    )


class EnrolForm(forms.Form):
    code = forms.CharField(
        label=_("Code from the app"),
        max_length=8,
        strip=True,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
        help_text=_("After scanning, your app shows a 6-digit code. Enter it to finish."),
        error_messages={"required": _("Enter the 6-digit code your app shows.")},
    )
