"""The facets of the public search: their URL parameter, their label, and how a value's label
is looked up. One list, used by the query parser, both engines, the view and the JSON."""

from dataclasses import dataclass

from django.db.models import CharField, Value
from django.db.models.functions import Concat
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from core.freshness import per_state
from core.kinds import KINDS_BY_KEY, kind_label
from experiments.choices import ExperimentStatus
from programme.choices import BarrierStatus
from programme.models import Ministry
from vocabulary import models as vocabulary


@dataclass(frozen=True)
class Facet:
    key: str  # the key in a document's "facets"
    param: str  # the URL parameter (Dutch, see DESIGN.md)
    label: str


FACETS = [
    Facet("type", "type", _("Type")),
    Facet("theme", "thema", _("Theme")),
    Facet("municipality", "gemeente", _("Municipality")),
    Facet("neighbourhood", "wijk", _("Neighbourhood")),
    Facet("experiment_type", "experimenttype", _("Experiment type")),
    Facet("status", "status", _("Status")),
    Facet("recognition", "erkenning", _("Recognition level")),
    Facet("centre", "kenniscentrum", _("Knowledge centre")),
    Facet("ministry", "ministerie", _("Ministry")),
    Facet("barrier_status", "afhandeling", _("State of affairs")),
    Facet("year", "jaar", _("Year")),
]
FACETS_BY_KEY = {facet.key: facet for facet in FACETS}
FACETS_BY_PARAM = {facet.param: facet for facet in FACETS}


def neighbourhood_key(neighbourhood) -> str:
    """A wijk's facet value. Wijk slugs are unique per gemeente only, so the gemeente's slug
    comes first: `rotterdam-delfshaven`."""
    return f"{neighbourhood.municipality.slug}-{neighbourhood.slug}"


def value_labels(facet_key: str, values) -> dict[str, str]:
    """Labels for facet values, from the vocabulary's current names (read once per process
    after each change to the public content, so a search asks no query for them)."""
    values = set(values)
    if not values:
        return {}
    labels = all_value_labels(facet_key, get_language())
    return {v: labels[v] for v in values if v in labels}


@per_state
def all_value_labels(facet_key: str, language: str) -> dict[str, str]:
    """Every value of a facet with its label (in `language`, the active one)."""
    if facet_key == "type":
        return {key: str(kind_label(key)) for key in KINDS_BY_KEY}
    if facet_key in ("status", "barrier_status"):
        choices = ExperimentStatus if facet_key == "status" else BarrierStatus
        return {value: str(label) for value, label in choices.choices}
    if facet_key == "year":
        return _Years()
    if facet_key == "neighbourhood":
        # The same key as neighbourhood_key, made in SQL.
        rows = vocabulary.Neighbourhood.objects.annotate(
            key=Concat("municipality__slug", Value("-"), "slug", output_field=CharField())
        ).values_list("key", "name", "municipality__name")
        return {key: f"{name} ({municipality})" for key, name, municipality in rows}
    model = {
        "theme": vocabulary.Theme,
        "municipality": vocabulary.Municipality,
        "experiment_type": vocabulary.ExperimentType,
        "recognition": vocabulary.RecognitionLevel,
        "centre": vocabulary.KnowledgeCentre,
        "ministry": Ministry,
    }[facet_key]
    field = "abbreviation" if facet_key == "centre" else "name"
    return dict(model.objects.values_list("slug", field))


class _Years(dict):
    """Any year is its own label."""

    def __contains__(self, value):
        return isinstance(value, str) and value.isdigit()

    def __getitem__(self, value):
        return value


@per_state
def recognition_scale() -> dict[str, int]:
    """Each recognition level's place in the scale's own order (slug -> position): from the
    weakest evidence to the strongest, "niet beoordeeld" (ordinal 0) last."""
    ordinals = dict(vocabulary.RecognitionLevel.objects.values_list("slug", "ordinal"))
    ranked = sorted(ordinals, key=lambda slug: (ordinals[slug] == 0, ordinals[slug]))
    return {slug: position for position, slug in enumerate(ranked)}
