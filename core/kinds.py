"""The content kinds, in one table: each kind's key (the `type` of search documents, the API
and the dump), its label, its page model, its API collection and detail route, and the page
fields its API identifier is made of.

Declared here rather than registered by each content app: the order of this table is the
order of what the site publishes (the `type` facet, the API's enums, the dump), and it reads
top to bottom in one place. The models are named by label, as Django's lazy relations name
them ("experiments.ExperimentPage"), and looked up once the apps are loaded, so core imports
nothing of the apps above it.
"""

from dataclasses import dataclass

from django.apps import apps
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class ContentKind:
    key: str  # "experiment", "praktijk", ...: the `type` in documents, the API and the dump
    label: str  # lazy; what a visitor reads
    model_label: str  # "app_label.ModelName" of the page model
    collection: str  # the API's list of this kind: /api/v1/<collection>
    api_route: str  # the API's detail URL of one record: opendata:<api_route>
    # What the record's API identifier is made of (its URL path parts), as lookups from the
    # page: an experiment's registration number; a practice's slug under its gemeente.
    id_fields: tuple[str, ...]

    @property
    def model(self):
        return apps.get_model(self.model_label)


CONTENT_KINDS = (
    ContentKind(
        "experiment",
        _("Experiment"),
        "experiments.ExperimentPage",
        "experimenten",
        "experiment",
        ("registration__number",),
    ),
    ContentKind(
        "praktijk",
        _("Practice"),
        "kennisbank.PracticePage",
        "praktijken",
        "practice",
        ("municipality__slug", "slug"),
    ),
    ContentKind(
        "evaluatie",
        _("Evaluation"),
        "kennisbank.EvaluationPage",
        "evaluaties",
        "evaluation",
        ("slug",),
    ),
    ContentKind(
        "kennisproduct",
        _("Expertise item"),
        "kennisbank.ExpertisePage",
        "kennisproducten",
        "expertise",
        ("knowledge_centre__slug", "slug"),
    ),
    ContentKind(
        "wijkactieplan",
        _("Wijkactieplan"),
        "programme.NeighbourhoodActionPlanPage",
        "wijkactieplannen",
        "action_plan",
        ("municipality__slug", "slug"),
    ),
    ContentKind(
        "charter",
        _("Charter"),
        "programme.CharterPage",
        "charters",
        "charter",
        ("municipality__slug",),
    ),
    ContentKind(
        "belemmering",
        _("Barrier or request to the national government"),
        "programme.BarrierPage",
        "belemmeringen",
        "barrier",
        ("slug",),
    ),
    ContentKind(
        "bijeenkomst",
        _("Event"),
        "agenda.EventPage",
        "bijeenkomsten",
        "event",
        ("slug",),
    ),
)
KINDS_BY_KEY = {kind.key: kind for kind in CONTENT_KINDS}
KIND_KEYS = tuple(KINDS_BY_KEY)


def kind_label(key: str) -> str:
    """What a visitor reads for a kind's key (the key itself for an unknown one)."""
    kind = KINDS_BY_KEY.get(key)
    return str(kind.label) if kind else key


def content_models() -> tuple:
    """The page models of the content kinds, in the table's order."""
    return tuple(kind.model for kind in CONTENT_KINDS)


def kind_of(page) -> ContentKind | None:
    """The kind of a page (of its specific class), or None for a page that is not content."""
    return next((kind for kind in CONTENT_KINDS if type(page) is kind.model), None)
