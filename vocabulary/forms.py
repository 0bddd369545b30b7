"""Admin form behaviour shared by pages that sit under one municipality (experiments,
practices): the municipality comes from the parent page, and only its wijken may be chosen."""

from django import forms
from django.utils.translation import gettext as _

from security.forms import MediaCheckedPageForm


def neighbourhoods_outside(municipality, neighbourhoods) -> list:
    """The neighbourhoods that do not belong to `municipality`."""
    return [n for n in neighbourhoods if n.municipality_id != municipality.pk]


class MunicipalityScopedPageForm(MediaCheckedPageForm):
    """Sets the page's municipality from its parent and checks the chosen wijken (and, as every
    page form, the chosen documents and images)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.parent_page is not None:
            self.instance.take_owner_from(self.parent_page)

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
                        _("%(wijken)s is not in %(municipality)s. Choose only wijken of %(municipality)s.")
                        % {
                            "wijken": ", ".join(f"{n.name} ({n.municipality.name})" for n in wrong),
                            "municipality": municipality.name,
                        },
                        code="neighbourhood_outside_municipality",
                    ),
                )
        return cleaned_data
