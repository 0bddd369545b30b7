"""The evaluation's admin form: its experiment and practice fields list published items only,
named by number and gemeente ("KW-2011-0007 · Titel (Rotterdam)"), never another gemeente's
drafts; what is linked already stays listed. A gemeente's editors may link only their own
gemeente's experiments and practices; knowledge centres and the editorial team link any."""

from django import forms
from django.db.models import Q
from django.utils.translation import gettext as _

from experiments.models import registry_label
from security.forms import MediaCheckedPageForm
from vocabulary.forms import chosen_pks, offer_only
from vocabulary.models import Municipality


def experiment_label(page) -> str:
    return registry_label(page.registration_number, page.title, page.municipality.name)


def practice_label(page) -> str:
    return registry_label("", page.title, page.municipality.name)


class EvaluationPageForm(MediaCheckedPageForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The models come from the page and its fields: the page's module imports this one.
        self.limited_to = self.instance.municipalities_limiting(self.for_user)
        for name, label, related in (
            ("experiments", experiment_label, ("municipality", "registration")),
            ("practices", practice_label, ("municipality",)),
        ):
            field = self.fields.get(name)
            if field is None:
                continue
            chosen = chosen_pks(self, name)
            field.queryset = (
                field.queryset.model.objects.filter(Q(live=True) | Q(pk__in=chosen))
                .select_related(*related)
                .order_by("title")
            )
            field.label_from_instance = label
            if self.limited_to is not None:
                offer_only(
                    field,
                    field.queryset.filter(
                        Q(municipality_id__in=self.limited_to) | Q(pk__in=chosen)
                    ),
                )

    def clean(self):
        cleaned_data = super().clean()
        if self.limited_to is None:
            return cleaned_data
        for name in ("experiments", "practices"):
            chosen = chosen_pks(self, name)
            wrong = [
                item
                for item in cleaned_data.get(name) or []
                if item.pk not in chosen and item.municipality_id not in self.limited_to
            ]
            if wrong:
                own = ", ".join(
                    Municipality.objects.filter(pk__in=self.limited_to).values_list(
                        "name", flat=True
                    )
                )
                self.add_error(
                    name,
                    forms.ValidationError(
                        _(
                            "You can link only experiments and practices of %(own)s; %(wrong)s is of another "
                            "gemeente. A knowledge centre or the editorial team can link it."
                        )
                        % {
                            "own": own,
                            "wrong": ", ".join(
                                self.fields[name].label_from_instance(i) for i in wrong
                            ),
                        },
                        code="other_municipality",
                    ),
                )
        return cleaned_data
