"""Admin form behaviour shared by pages that sit under one municipality (experiments,
practices): the municipality comes from the parent page, and only its wijken are offered
(and may be chosen)."""

from django import forms
from django.db.models import Q
from django.utils.translation import gettext as _

from security.forms import MediaCheckedPageForm


def neighbourhoods_outside(municipality, neighbourhoods) -> list:
    """The neighbourhoods that do not belong to `municipality`."""
    return [n for n in neighbourhoods if n.municipality_id != municipality.pk]


def chosen_pks(form, name) -> list:
    """The primary keys the form's many-to-many field `name` starts with (the saved choice)."""
    return [getattr(value, "pk", value) for value in form.initial.get(name) or []]


def offer_only(field, queryset) -> None:
    """Let the field's widget offer only `queryset`. The field still accepts anything of its own
    queryset, so a value posted from outside the offer reaches the form's own check and gets
    its clear message instead of "select a valid choice"."""
    field.widget.choices = [(obj.pk, field.label_from_instance(obj)) for obj in queryset]


class MunicipalityScopedPageForm(MediaCheckedPageForm):
    """Sets the page's municipality from its parent, offers only its wijken (and those already
    chosen), and checks the chosen ones (and, as every page form, the chosen documents and
    images)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.parent_page is not None:
            self.instance.take_owner_from(self.parent_page)
        field = self.fields.get("neighbourhoods")
        if field is not None and self.instance.municipality_id:
            own = Q(municipality_id=self.instance.municipality_id) | Q(
                pk__in=chosen_pks(self, "neighbourhoods")
            )
            offer_only(field, field.queryset.filter(own))

    def clean(self):
        cleaned_data = super().clean()
        municipality = self.instance.municipality if self.instance.municipality_id else None
        chosen = cleaned_data.get("neighbourhoods") or []
        if municipality is not None:
            wrong = neighbourhoods_outside(municipality, chosen)
            if wrong:
                self.add_error(
                    "neighbourhoods",
                    forms.ValidationError(
                        _(
                            "%(wijken)s is not in %(municipality)s. Choose only wijken of %(municipality)s."
                        )
                        % {
                            "wijken": ", ".join(f"{n.name} ({n.municipality.name})" for n in wrong),
                            "municipality": municipality.name,
                        },
                        code="neighbourhood_outside_municipality",
                    ),
                )
        return cleaned_data
