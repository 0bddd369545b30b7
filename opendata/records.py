"""The API's public records, each described once (pydantic models): the responses are given
in exactly these fields and in this order (search.records.as_json), and the OpenAPI document's
components/schemas are generated from them (`component_schemas`).

Dates and times are strings (ISO 8601, as the serializers write them) and URLs plain strings
with a format: the models pass what the serializers built through unchanged and refuse any
field they do not name.
"""

from functools import cache
from typing import Annotated, Any, Literal

from pydantic import Field, create_model
from pydantic.json_schema import GenerateJsonSchema, models_json_schema

from agenda.choices import EventKind, EventStatus
from core.kinds import KIND_KEYS
from experiments.choices import ExperimentStatus
from programme.choices import BarrierKind, BarrierStatus, Direction, Party
from search.query import SORTS
from search.records import Count, FacetRecord, Record

from .params import MAX_PAGE_SIZE

Uri = Annotated[str, Field(json_schema_extra={"format": "uri"})]
Date = Annotated[str, Field(json_schema_extra={"format": "date"})]
DateTime = Annotated[str, Field(json_schema_extra={"format": "date-time"})]
Html = Annotated[str, Field(description="An HTML fragment; links in it are absolute.")]
PageNumber = Annotated[int, Field(ge=1)]
Kind = Literal[KIND_KEYS]
Status = Literal[tuple(value for value, _label in ExperimentStatus.choices)]
BarrierStatusValue = Literal[tuple(value for value, _label in BarrierStatus.choices)]
Sort = Literal[tuple(SORTS)]


# --- Links and parts -------------------------------------------------------------------------


class VocabularyRef(Record):
    """A link to a vocabulary item."""

    id: str
    name: str
    url: Uri


class ContentRef(Record):
    """A link to a content record."""

    id: str
    type: Kind
    title: str
    url: Uri
    web_url: Uri | None


class Document(Record):
    """A downloadable document."""

    title: str
    url: Uri
    file_extension: str


class Image(Record):
    """An image (the original file)."""

    title: str
    url: Uri


class Ministry(Record):
    """A ministry (of the cabinets of 2007-2012): `id` is the `ministerie` filter's value."""

    id: str
    name: str
    abbreviation: str


class Filter(Record):
    """How to filter the content lists on this item: `?<param>=<value>`."""

    param: str
    value: str


class License(Record):
    name: str
    url: Uri


class Root(Record):
    name: str
    version: str
    description: str
    documentation: Uri
    openapi: Uri
    license: License
    endpoints: dict[str, Uri] = Field(description="Each collection's name and URL.")


# --- Search ----------------------------------------------------------------------------------


class SearchItem(Record):
    """One search result; `url` is its API detail, `web_url` its page on the site."""

    id: str
    type: Kind
    type_label: str
    title: str
    summary: str
    snippet: str = Field(description="HTML: where the search words occur, marked with <mark>.")
    date: Date | None
    registration_number: str | None
    status: Status | None
    status_label: str | None
    results_expected: bool
    municipalities: list[VocabularyRef]
    neighbourhoods: list[VocabularyRef]
    themes: list[VocabularyRef]
    experiment_types: list[VocabularyRef]
    recognition_level: VocabularyRef | None
    knowledge_centre: VocabularyRef | None
    ministry: Ministry | None
    barrier_status: BarrierStatusValue | None
    barrier_status_label: str | None
    url: Uri
    web_url: Uri


class SearchQuery(Record):
    q: str
    filters: dict[str, list[str]]
    sort: Sort


class SearchList(Record):
    count: Count = Field(description="Number of results in all.")
    page: PageNumber
    page_size: Annotated[int, Field(ge=1, le=MAX_PAGE_SIZE)]
    pages: PageNumber
    next: Uri | None
    previous: Uri | None
    query: SearchQuery
    notices: list[str]
    suggestion: str | None
    results: list[SearchItem]
    facets: list[FacetRecord]


# --- The registry ----------------------------------------------------------------------------


class Withdrawal(Record):
    """A withdrawn registration."""

    registration_number: str
    title: str = Field(description="The title as last published.")
    registered_at: DateTime | None
    withdrawn_at: DateTime
    withdrawal_reason: str
    url: Uri = Field(description="The registration in this API: answers 410 Gone.")
    web_url: Uri | None


class WithdrawalList(Record):
    count: Count
    page: PageNumber
    page_size: PageNumber
    pages: PageNumber
    next: Uri | None
    previous: Uri | None
    notices: list[str]
    results: list[Withdrawal]


class Change(Record):
    field: str
    label: str
    old: str
    new: str


class Version(Record):
    """A published version of a registration: number 1 is the original registration."""

    number: PageNumber
    published_at: DateTime
    is_original: bool
    note: str = Field(
        description="Why this amendment was published (empty for the original registration)."
    )
    web_url: Uri | None
    changes: list[Change]


# --- Content ---------------------------------------------------------------------------------


class Content(Record):
    id: str
    type: Kind
    type_label: str
    title: str
    summary: str
    url: Uri
    web_url: Uri | None
    first_published_at: DateTime | None
    last_published_at: DateTime | None


class Partner(Record):
    name: str
    role: str
    role_label: str
    contribution: str


class Experiment(Content):
    """An experiment registration. The contact email address is never part of the API."""

    registration_number: str
    registered_at: DateTime | None
    municipality: VocabularyRef
    neighbourhoods: list[VocabularyRef]
    themes: list[VocabularyRef]
    experiment_type: VocabularyRef
    status: Status
    status_label: str
    start_date: Date | None
    planned_end_date: Date | None
    end_date: Date | None
    stop_reason: str
    results_expected: bool
    recognition_level: VocabularyRef | None
    problem_analysis: Html
    goals: Html
    activities: Html
    target_group: str
    mandate: Html
    research_design: Html
    obstacles: Html
    request_to_government: Html
    partners: list[Partner]
    contact_name: str
    contact_organisation: str
    documents: list[Document]
    image: Image | None
    tags: list[str]
    evaluations: list[ContentRef]
    practices: list[ContentRef]
    history: list[Version]


class Practice(Content):
    municipality: VocabularyRef
    neighbourhoods: list[VocabularyRef]
    themes: list[VocabularyRef]
    experiment_type: VocabularyRef | None
    recognition_level: VocabularyRef | None
    source_experiment: ContentRef | None
    period: str
    problem: Html
    approach: Html
    results: Html
    success_conditions: Html
    costs: Html
    contact_name: str
    contact_organisation: str
    image: Image | None
    document: Document | None
    tags: list[str]
    evaluations: list[ContentRef]


class Evaluation(Content):
    kind: str
    kind_label: str
    method: str
    method_label: str
    evaluator: str
    knowledge_centre: VocabularyRef | None
    publication_date: Date | None
    themes: list[VocabularyRef]
    recognition_level: VocabularyRef | None
    findings: Html
    report: Document | None
    tags: list[str]
    experiments: list[ContentRef]
    practices: list[ContentRef]


class BodyBlock(Record):
    type: Literal["heading", "paragraph", "quote", "image", "document"]
    value: Any = Field(
        description="A string (heading, quote; HTML for a paragraph) or an object "
        "(image: title, url, alt_text; document: title, url, file_extension)."
    )


class Expertise(Content):
    kind: str
    kind_label: str
    knowledge_centre: VocabularyRef
    authors: str
    publication_date: Date | None
    themes: list[VocabularyRef]
    experiment_types: list[VocabularyRef]
    body: list[BodyBlock]
    document: Document | None
    tags: list[str]


class IndicatorValue(Record):
    """A measurement of a goal's indicator in one year (the monitor)."""

    year: int
    value: float
    source: str
    note: str


class PlanActivity(Record):
    """A prestatie (output) serving the goal: agreed and delivered so far."""

    description: str
    partner: str
    partner_role: str
    unit: str
    planned_quantity: float
    realised_quantity: float | None
    budget: float | None


class PlanGoal(Record):
    """A societal goal (outcome) of a plan, on one theme, measured by one indicator."""

    code: str
    theme: VocabularyRef
    goal: str
    indicator: str
    unit: str
    direction: Literal[tuple(value for value, _label in Direction.choices)]
    baseline_year: int
    baseline_value: float
    target_year: int
    target_value: float
    source: str
    values: list[IndicatorValue] = Field(description="The monitor's values, by year.")
    activities: list[PlanActivity]


class ActionPlan(Content):
    """A wijkactieplan: its goals with their indicators, prestaties and monitor values."""

    municipality: VocabularyRef
    neighbourhoods: list[VocabularyRef]
    themes: list[VocabularyRef]
    adopted_on: Date | None
    period_start: int
    period_end: int
    problem_analysis: Html
    residents_budget: float | None
    residents_budget_note: str
    requests_to_government: Html
    goals: list[PlanGoal]
    experiments: list[ContentRef]
    barriers: list[ContentRef]


class Signatory(Record):
    """Who signed, in office: the names and functions of office holders are public."""

    party: Literal[tuple(value for value, _label in Party.choices)]
    name: str
    function: str
    organisation: str


class Commitment(Record):
    party: Literal[tuple(value for value, _label in Party.choices)]
    partner: str
    theme: VocabularyRef
    commitment: str
    goal_code: str


class Charter(Content):
    """A gemeente's charter with the Rijk: who signed it, and each party's commitments."""

    municipality: VocabularyRef
    signed_on: Date
    signatories: list[Signatory]
    commitments: list[Commitment]
    action_plans: list[ContentRef]


class Barrier(Content):
    """An entry of the barrier register: a rule, a funding stream or a request to the Rijk,
    with the ministry that answers it and what raises it."""

    kind: Literal[tuple(value for value, _label in BarrierKind.choices)]
    kind_label: str
    ministry: Ministry
    regulation: str
    description: Html
    themes: list[VocabularyRef]
    municipalities: list[VocabularyRef] = Field(
        description="The gemeenten of the registrations and plans that raise it."
    )
    received_on: Date
    status: BarrierStatusValue
    status_label: str
    answer: Html
    answered_on: Date | None
    experiments: list[ContentRef] = Field(description="The registrations that raise it.")
    action_plans: list[ContentRef] = Field(description="The wijkactieplannen that raise it.")


class Presentation(Record):
    title: str
    speaker: str
    document: Document


class Event(Content):
    """A bijeenkomst, excursie or conference of the programme's knowledge exchange. Nothing of
    who registered is published."""

    kind: Literal[tuple(value for value, _label in EventKind.choices)]
    kind_label: str
    status: Literal[tuple(value for value, _label in EventStatus.choices)]
    status_label: str
    cancellation_reason: str
    starts_at: DateTime
    ends_at: DateTime
    venue: str
    address: str
    online: bool
    municipality: VocabularyRef | None
    neighbourhoods: list[VocabularyRef]
    themes: list[VocabularyRef]
    knowledge_centre: VocabularyRef | None = Field(
        description="The organising knowledge centre; none for the programme directorate."
    )
    programme: Html
    registration_open: bool = Field(description="Whether people register on the site.")
    capacity: int | None
    calendar_url: Uri = Field(description="The event as iCalendar (RFC 5545).")
    report: Html
    presentations: list[Presentation]
    knowledge: list[ContentRef] = Field(description="What the kennisbank holds from it.")


# --- Vocabulary ------------------------------------------------------------------------------


class Municipality(Record):
    id: str
    name: str
    official_name: str | None
    cbs_code: str
    neighbourhoods: list[VocabularyRef]
    url: Uri
    web_url: Uri | None
    filter: Filter
    search_url: Uri


class Neighbourhood(Record):
    id: str = Field(description="`<gemeente>/<wijk>`.")
    name: str
    municipality: VocabularyRef
    is_krachtwijk: bool
    postcode_areas: list[str]
    alternative_names: list[str]
    note: str
    url: Uri
    web_url: Uri | None
    filter: Filter
    search_url: Uri


class Theme(Record):
    id: str
    name: str
    description: str
    is_main_theme: bool
    url: Uri
    filter: Filter
    search_url: Uri


class ExperimentType(Record):
    id: str
    name: str
    level: Literal["micro", "meso", "macro"] | None
    level_label: str | None
    summary: str
    description: str
    url: Uri
    web_url: Uri | None
    filter: Filter
    search_url: Uri


class RecognitionLevel(Record):
    id: str
    name: str
    ordinal: Count
    description: str
    validity_years: int | None
    url: Uri
    filter: Filter
    search_url: Uri


class KnowledgeCentre(Record):
    id: str
    abbreviation: str
    name: str
    field_of_work: str
    status: str
    url: Uri
    web_url: Uri | None
    filter: Filter
    search_url: Uri


def _vocabulary_list(item):
    return create_model(
        f"{item.__name__}List",
        __base__=Record,
        __doc__="Every item (the vocabulary is small: no paging).",
        __module__=__name__,
        count=(Count, ...),
        results=(list[item], ...),
    )


VOCABULARY = (Municipality, Neighbourhood, Theme, ExperimentType, RecognitionLevel, KnowledgeCentre)
VOCABULARY_LISTS = {item: _vocabulary_list(item) for item in VOCABULARY}

# The records that are components of the OpenAPI document, in its order; the other models
# (Filter, Partner, Change, ...) are written out where they are used.
COMPONENTS = (
    VocabularyRef,
    ContentRef,
    Document,
    Image,
    Root,
    SearchItem,
    SearchList,
    Withdrawal,
    WithdrawalList,
    Version,
    Experiment,
    Practice,
    Evaluation,
    Expertise,
    ActionPlan,
    Charter,
    Barrier,
    Presentation,
    Event,
    *VOCABULARY,
    *VOCABULARY_LISTS.values(),
)


# --- The OpenAPI 3.0 form of the descriptions ------------------------------------------------


class _OpenApi30(GenerateJsonSchema):
    """JSON Schema as OpenAPI 3.0 writes it: `nullable` instead of a null type, no titles."""

    def nullable_schema(self, schema):
        inner = self.generate_inner(schema["schema"])
        if "$ref" in inner:
            return {"nullable": True, "allOf": [inner]}
        return {**inner, "nullable": True}

    def field_title_should_be_set(self, schema) -> bool:
        return False


# The order of each schema's keys, as the hand-written document had them (a key not listed
# here fails loudly, so a new kind of constraint is placed on purpose).
_KEY_ORDER = (
    "type",
    "format",
    "additionalProperties",
    "required",
    "properties",
    "items",
    "minimum",
    "maximum",
    "enum",
    "description",
    "nullable",
    "allOf",
)


def _openapi(schema: dict, inline: dict[str, dict]) -> dict:
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        if name in inline:  # a part of one record, not a component of its own
            return _openapi(inline[name], inline)
        return schema
    schema = {key: value for key, value in schema.items() if key != "title"}
    if "properties" in schema:
        schema["properties"] = {
            name: _openapi(value, inline) for name, value in schema["properties"].items()
        }
    for key in ("items", "additionalProperties"):
        if isinstance(schema.get(key), dict):
            schema[key] = _openapi(schema[key], inline)
    if "allOf" in schema:
        schema["allOf"] = [_openapi(part, inline) for part in schema["allOf"]]
    return {key: schema[key] for key in sorted(schema, key=_KEY_ORDER.index)}


@cache  # the descriptions are fixed: made once per process
def component_schemas() -> dict[str, dict]:
    """components/schemas of the OpenAPI document: every record in COMPONENTS."""
    _refs, top = models_json_schema(
        [(model, "serialization") for model in COMPONENTS],
        ref_template="#/components/schemas/{model}",
        schema_generator=_OpenApi30,
    )
    definitions = top["$defs"]
    names = {model.__name__ for model in COMPONENTS}
    inline = {name: schema for name, schema in definitions.items() if name not in names}
    return {model.__name__: _openapi(definitions[model.__name__], inline) for model in COMPONENTS}
