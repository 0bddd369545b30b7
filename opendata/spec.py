"""The OpenAPI 3.0 document of the API (/api/v1/openapi.json): its paths, parameters and
responses written as data, the schemas of its records generated from their one description
(opendata/records.py).

Two parts are read from the database when the document is served: the enums of the filter
parameters list the current vocabulary (so a client, and schemathesis, knows every valid value),
and each detail endpoint's path parameters carry an example of a published record. Everything
else is fixed; tests/opendata/test_api.py checks the document against the OpenAPI 3.0 schema and
runs schemathesis against every operation.

Descriptions are in English (the field names are too); the Dutch page for people is /open-data/.
"""

from agenda.models import EventPage
from core.absolute_urls import DATA_LICENCE_NAME, DATA_LICENCE_URL, absolute_url
from core.kinds import KIND_KEYS
from experiments.choices import ExperimentStatus
from experiments.models import ExperimentPage
from kennisbank.models import EvaluationPage, ExpertisePage, PracticePage
from programme.choices import BarrierStatus
from programme.models import BarrierPage, CharterPage, Ministry, NeighbourhoodActionPlanPage
from search.facets import FACETS, neighbourhood_key
from search.query import MAX_QUERY_LENGTH, MAX_VALUES_PER_FACET, SORTS
from vocabulary.models import (
    ExperimentType,
    KnowledgeCentre,
    Municipality,
    Neighbourhood,
    RecognitionLevel,
    Theme,
)

from .params import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE
from .records import component_schemas

OPENAPI_VERSION = "3.0.3"
API_VERSION = "1.0.0"  # sent as the API-Version header of every response (NL API Design Rules)
LICENSE = {"name": DATA_LICENCE_NAME, "url": DATA_LICENCE_URL}
NO_CONTROL_CHARACTERS = "^[^\\u0000-\\u001f\\u007f]*$"


# --- Small schema builders ------------------------------------------------------------------


def ref(name):
    return {"$ref": f"#/components/schemas/{name}"}


def array(items):
    return {"type": "array", "items": items}


STRING = {"type": "string"}


def obj(properties):
    return {
        "type": "object",
        "additionalProperties": False,
        "required": list(properties),
        "properties": properties,
    }


# --- Responses and parameters ---------------------------------------------------------------

HEADERS = {"API-Version": {"$ref": "#/components/headers/API-Version"}}


def ok(schema, description="OK"):
    return {
        "description": description,
        "headers": HEADERS,
        "content": {"application/json": {"schema": schema}},
    }


def problem(description):
    return {
        "description": description,
        "headers": HEADERS,
        "content": {"application/problem+json": {"schema": ref("Problem")}},
    }


BAD_REQUEST = {"$ref": "#/components/responses/BadRequest"}
NOT_FOUND = {"$ref": "#/components/responses/NotFound"}


def path_param(name, description, example, pattern=None):
    schema = {"type": "string", "minLength": 1}
    if pattern:
        schema["pattern"] = pattern
    parameter = {
        "name": name,
        "in": "path",
        "required": True,
        "description": description,
        "schema": schema,
    }
    if example:
        parameter["example"] = example
    return parameter


def operation(operation_id, summary, tag, responses, parameters=(), description=None):
    op = {
        "operationId": operation_id,
        "summary": summary,
        "tags": [tag],
        "responses": responses,
    }
    if description:
        op["description"] = description
    if parameters:
        op["parameters"] = list(parameters)
    return op


# --- The document ---------------------------------------------------------------------------

FACET_DESCRIPTIONS = {
    "type": "Content type. Only on /zoeken: each typed list fixes it.",
    "thema": "Theme (slug, see /themas).",
    "gemeente": "Municipality (slug, see /gemeenten).",
    "wijk": "Neighbourhood: the `filter.value` of a /wijken item, `<gemeente>-<wijk>`.",
    "experimenttype": "Experiment type (slug, see /experimenttypen).",
    "status": "Status of an experiment.",
    "erkenning": "Recognition level (slug, see /erkenningsniveaus).",
    "kenniscentrum": "Knowledge centre (slug, see /kenniscentra).",
    "ministerie": "Ministry responsible for a barrier entry (its `ministry.id`).",
    "afhandeling": "State of affairs of a barrier entry.",
    "jaar": "Year (of the start date, publication date or first publication).",
}


def _enums():
    return {
        "type": list(KIND_KEYS),
        "thema": list(Theme.objects.order_by("slug").values_list("slug", flat=True)),
        "gemeente": list(Municipality.objects.order_by("slug").values_list("slug", flat=True)),
        "wijk": sorted(
            neighbourhood_key(n) for n in Neighbourhood.objects.select_related("municipality")
        ),
        "experimenttype": list(
            ExperimentType.objects.order_by("slug").values_list("slug", flat=True)
        ),
        "status": [value for value, _label in ExperimentStatus.choices],
        "erkenning": list(
            RecognitionLevel.objects.order_by("ordinal").values_list("slug", flat=True)
        ),
        "kenniscentrum": list(
            KnowledgeCentre.objects.order_by("slug").values_list("slug", flat=True)
        ),
        "ministerie": list(Ministry.objects.order_by("slug").values_list("slug", flat=True)),
        "afhandeling": [value for value, _label in BarrierStatus.choices],
    }


def _facet_parameter(param, enum):
    if param == "jaar":
        items = {"type": "string", "pattern": "^[0-9]{4}$"}
    elif enum:
        items = {"type": "string", "enum": enum}
    else:  # an empty vocabulary: no value is valid, but an enum may not be empty
        items = {"type": "string", "pattern": "^$", "maxLength": 0}
    return {
        "name": param,
        "in": "query",
        "required": False,
        "description": FACET_DESCRIPTIONS[param]
        + " Repeat the parameter for more values (OR); different filters combine with AND.",
        "style": "form",
        "explode": True,
        "schema": {"type": "array", "items": items, "maxItems": MAX_VALUES_PER_FACET},
    }


def _examples():
    """An example of a published, public record for each detail endpoint (or None)."""
    experiment = (
        ExperimentPage.objects.live()
        .public()
        .filter(registration__isnull=False)
        .select_related("registration")
        .order_by("path")
        .first()
    )
    practice = (
        PracticePage.objects.live().public().select_related("municipality").order_by("path").first()
    )
    evaluation = EvaluationPage.objects.live().public().order_by("path").first()
    expertise = (
        ExpertisePage.objects.live()
        .public()
        .select_related("knowledge_centre")
        .order_by("path")
        .first()
    )
    neighbourhood = Neighbourhood.objects.select_related("municipality").order_by("pk").first()
    plan = (
        NeighbourhoodActionPlanPage.objects.live()
        .public()
        .select_related("municipality")
        .order_by("path")
        .first()
    )
    charter = CharterPage.objects.live().public().select_related("municipality").first()
    barrier = BarrierPage.objects.live().public().order_by("path").first()
    event = EventPage.objects.live().public().order_by("path").first()

    def slug(model):
        item = model.objects.order_by("pk").first()
        return item.slug if item else None

    return {
        "number": experiment.registration.number if experiment else None,
        "practice": (practice.municipality.slug, practice.slug) if practice else (None, None),
        "evaluation": evaluation.slug if evaluation else None,
        "expertise": (expertise.knowledge_centre.slug, expertise.slug)
        if expertise
        else (None, None),
        "action_plan": (plan.municipality.slug, plan.slug) if plan else (None, None),
        "charter": charter.municipality.slug if charter else None,
        "barrier": barrier.slug if barrier else None,
        "event": event.slug if event else None,
        "neighbourhood": (neighbourhood.municipality.slug, neighbourhood.slug)
        if neighbourhood
        else (None, None),
        "municipality": slug(Municipality),
        "theme": slug(Theme),
        "experiment_type": slug(ExperimentType),
        "recognition_level": slug(RecognitionLevel),
        "knowledge_centre": slug(KnowledgeCentre),
    }


def openapi_document(request=None) -> dict:
    enums = _enums()
    examples = _examples()
    docs_url = absolute_url("/open-data/") if request is not None else "/open-data/"

    common_list_parameters = [
        {"$ref": "#/components/parameters/q"},
        {"$ref": "#/components/parameters/sort"},
        {"$ref": "#/components/parameters/page"},
        {"$ref": "#/components/parameters/page_size"},
    ]
    facet_refs = [
        {"$ref": f"#/components/parameters/{f.param}"} for f in FACETS if f.param != "type"
    ]
    list_responses = {
        "200": ok(
            ref("SearchList"), "One page of results, with the facet counts of the whole result."
        ),
        "400": BAD_REQUEST,
        "404": problem("The page is past the last page."),
    }
    list_description = (
        "Finds, counts and orders exactly as the site's search page /zoeken/ does, with the same "
        "filters. Facet counts: values within a filter are OR-ed, filters are AND-ed, and each "
        "filter's counts apply every other filter. Pages past the last one are 404. At most the "
        "first 10,000 results can be paged through."
    )

    def content_list(operation_id, summary, fixed_type):
        parameters = common_list_parameters + facet_refs
        if fixed_type is None:
            parameters = (
                common_list_parameters + [{"$ref": "#/components/parameters/type"}] + facet_refs
            )
        return {
            "get": operation(
                operation_id, summary, "Content", list_responses, parameters, list_description
            )
        }

    def vocabulary_paths(collection, name, schema, example, summary):
        return {
            f"/{collection}": {
                "get": operation(
                    f"list_{name}",
                    f"All {summary}",
                    "Vocabulary",
                    {"200": ok(ref(f"{schema}List")), "400": BAD_REQUEST},
                )
            },
            f"/{collection}/{{slug}}": {
                "get": operation(
                    f"get_{name}",
                    f"One of the {summary}",
                    "Vocabulary",
                    {"200": ok(ref(schema)), "400": BAD_REQUEST, "404": NOT_FOUND},
                    [path_param("slug", "The item's slug (stable).", example)],
                )
            },
        }

    detail_responses = {"200": None, "400": BAD_REQUEST, "404": NOT_FOUND}

    def detail(schema, extra=None):
        return {**detail_responses, "200": ok(ref(schema)), **(extra or {})}

    paths = {
        "/": {
            "get": operation(
                "get_root",
                "The API's entry point: links to every endpoint",
                "API",
                {"200": ok(ref("Root")), "400": BAD_REQUEST},
            )
        },
        "/openapi.json": {
            "get": operation(
                "get_openapi",
                "This OpenAPI document",
                "API",
                {"200": ok({"type": "object"}), "400": BAD_REQUEST},
            )
        },
        "/zoeken": content_list("search", "Search all content (every type)", None),
        "/experimenten": content_list(
            "list_experimenten", "Experiment registrations", "experiment"
        ),
        "/experimenten/{registration_number}": {
            "get": operation(
                "get_experiment",
                "One experiment registration, with its change history",
                "Content",
                detail(
                    "Experiment",
                    {
                        "410": problem(
                            "The registration was withdrawn: the problem document gives its number, title, "
                            "date and reason of withdrawal."
                        )
                    },
                ),
                [
                    path_param(
                        "registration_number",
                        "The registration number, e.g. KW-2008-0003.",
                        examples["number"],
                    )
                ],
            )
        },
        "/intrekkingen": {
            "get": operation(
                "list_intrekkingen",
                "Withdrawn registrations, newest withdrawal first",
                "Content",
                {
                    "200": ok(ref("WithdrawalList")),
                    "400": BAD_REQUEST,
                    "404": problem("The page is past the last page."),
                },
                [
                    {"$ref": "#/components/parameters/page"},
                    {"$ref": "#/components/parameters/page_size"},
                ],
                "A registration is never deleted: when it is withdrawn, its number, title and the "
                "reason stay public. This list has every withdrawn registration; each one's `url` "
                "answers 410 Gone with the same facts.",
            )
        },
        "/praktijken": content_list("list_praktijken", "Practice write-ups", "praktijk"),
        "/praktijken/{gemeente}/{slug}": {
            "get": operation(
                "get_praktijk",
                "One practice",
                "Content",
                detail("Practice"),
                [
                    path_param("gemeente", "The municipality's slug.", examples["practice"][0]),
                    path_param(
                        "slug",
                        "The practice's slug (unique within the municipality).",
                        examples["practice"][1],
                    ),
                ],
            )
        },
        "/evaluaties": content_list("list_evaluaties", "Evaluations", "evaluatie"),
        "/evaluaties/{slug}": {
            "get": operation(
                "get_evaluatie",
                "One evaluation",
                "Content",
                detail("Evaluation"),
                [path_param("slug", "The evaluation's slug.", examples["evaluation"])],
            )
        },
        "/kennisproducten": content_list(
            "list_kennisproducten", "Expertise of the knowledge centres", "kennisproduct"
        ),
        "/kennisproducten/{kenniscentrum}/{slug}": {
            "get": operation(
                "get_kennisproduct",
                "One expertise item",
                "Content",
                detail("Expertise"),
                [
                    path_param(
                        "kenniscentrum", "The knowledge centre's slug.", examples["expertise"][0]
                    ),
                    path_param(
                        "slug",
                        "The item's slug (unique within the knowledge centre).",
                        examples["expertise"][1],
                    ),
                ],
            )
        },
        "/wijkactieplannen": content_list(
            "list_wijkactieplannen", "Wijkactieplannen", "wijkactieplan"
        ),
        "/wijkactieplannen/{gemeente}/{slug}": {
            "get": operation(
                "get_wijkactieplan",
                "One wijkactieplan, with its goals, prestaties and monitor values",
                "Content",
                detail("ActionPlan"),
                [
                    path_param("gemeente", "The municipality's slug.", examples["action_plan"][0]),
                    path_param(
                        "slug",
                        "The plan's slug (unique within the municipality).",
                        examples["action_plan"][1],
                    ),
                ],
            )
        },
        "/charters": content_list("list_charters", "Charters of gemeenten and Rijk", "charter"),
        "/charters/{gemeente}": {
            "get": operation(
                "get_charter",
                "The charter of one municipality",
                "Content",
                detail("Charter"),
                [path_param("gemeente", "The municipality's slug.", examples["charter"])],
            )
        },
        "/belemmeringen": content_list(
            "list_belemmeringen", "Barriers and requests to the national government", "belemmering"
        ),
        "/belemmeringen/{slug}": {
            "get": operation(
                "get_belemmering",
                "One barrier entry, with the registrations and plans that raise it",
                "Content",
                detail("Barrier"),
                [path_param("slug", "The entry's slug.", examples["barrier"])],
            )
        },
        "/bijeenkomsten": content_list(
            "list_bijeenkomsten", "Events: meetings, excursions and conferences", "bijeenkomst"
        ),
        "/bijeenkomsten/{slug}": {
            "get": operation(
                "get_bijeenkomst",
                "One event, with its programme and, afterwards, its report",
                "Content",
                detail("Event"),
                [path_param("slug", "The event's slug.", examples["event"])],
            )
        },
        **vocabulary_paths(
            "gemeenten", "gemeenten", "Municipality", examples["municipality"], "municipalities"
        ),
        "/wijken": {
            "get": operation(
                "list_wijken",
                "All neighbourhoods (wijken)",
                "Vocabulary",
                {"200": ok(ref("NeighbourhoodList")), "400": BAD_REQUEST},
            )
        },
        "/wijken/{gemeente}/{slug}": {
            "get": operation(
                "get_wijk",
                "One neighbourhood",
                "Vocabulary",
                {"200": ok(ref("Neighbourhood")), "400": BAD_REQUEST, "404": NOT_FOUND},
                [
                    path_param(
                        "gemeente", "The municipality's slug.", examples["neighbourhood"][0]
                    ),
                    path_param(
                        "slug",
                        "The neighbourhood's slug (unique within the municipality).",
                        examples["neighbourhood"][1],
                    ),
                ],
            )
        },
        **vocabulary_paths("themas", "themas", "Theme", examples["theme"], "themes"),
        **vocabulary_paths(
            "experimenttypen",
            "experimenttypen",
            "ExperimentType",
            examples["experiment_type"],
            "experiment types",
        ),
        **vocabulary_paths(
            "erkenningsniveaus",
            "erkenningsniveaus",
            "RecognitionLevel",
            examples["recognition_level"],
            "recognition levels",
        ),
        **vocabulary_paths(
            "kenniscentra",
            "kenniscentra",
            "KnowledgeCentre",
            examples["knowledge_centre"],
            "knowledge centres",
        ),
    }

    parameters = {
        "q": {
            "name": "q",
            "in": "query",
            "required": False,
            "description": "Search text, as on /zoeken/: all words must match (with Dutch stemming and "
            "synonyms); put words in double quotes for a phrase.",
            "schema": {
                "type": "string",
                "maxLength": MAX_QUERY_LENGTH,
                "pattern": NO_CONTROL_CHARACTERS,
            },
        },
        "sort": {
            "name": "sort",
            "in": "query",
            "required": False,
            "description": "Order: `relevantie` (the default with a search text) or `datum` (newest "
            "first; the default without).",
            "schema": {"type": "string", "enum": list(SORTS)},
        },
        "page": {
            "name": "page",
            "in": "query",
            "required": False,
            "description": "Page number, from 1. A page past the last one is a 404.",
            "schema": {"type": "integer", "minimum": 1, "default": 1},
        },
        "page_size": {
            "name": "page_size",
            "in": "query",
            "required": False,
            "description": f"Results per page, default {DEFAULT_PAGE_SIZE}, at most {MAX_PAGE_SIZE}: a larger "
            "value is not an error but is capped, with a notice in `notices`.",
            "schema": {"type": "integer", "minimum": 1, "default": DEFAULT_PAGE_SIZE},
        },
        **{f.param: _facet_parameter(f.param, enums.get(f.param)) for f in FACETS},
    }

    schemas = {
        "Problem": {
            "type": "object",
            "description": "An error (RFC 9457, application/problem+json).",
            "required": ["type", "title", "status", "detail"],
            "properties": {
                "type": {"type": "string", "format": "uri-reference"},
                "title": STRING,
                "status": {"type": "integer", "minimum": 400, "maximum": 599},
                "detail": STRING,
                "instance": {"type": "string", "format": "uri-reference"},
                "invalid-params": array(obj({"name": STRING, "reason": STRING})),
                "registration_number": {"type": "string", "description": "410 only."},
                "withdrawn_at": {
                    "type": "string",
                    "format": "date-time",
                    "description": "410 only.",
                },
                "withdrawal_reason": {"type": "string", "description": "410 only."},
            },
        },
        **component_schemas(),
    }

    return {
        "openapi": OPENAPI_VERSION,
        "info": {
            "title": "Kennisloket Krachtwijken API",
            "version": API_VERSION,
            "description": (
                "Read-only open data of the Kennisloket Krachtwijken: experiment registrations, "
                "practices, evaluations and expertise, and the vocabulary (municipalities, wijken, "
                "themes, experiment types, recognition levels, knowledge centres). Only published, "
                "public content appears. JSON property names are snake_case; paths have no trailing "
                "slash. Errors are application/problem+json (RFC 9457). Every response carries an "
                "API-Version header. The metadata is licensed CC BY 4.0. Documentation for people: "
                f"{docs_url}"
            ),
            "license": {"name": f"{LICENSE['name']} (metadata)", "url": LICENSE["url"]},
            "contact": {"name": "Kennisloket Krachtwijken", "url": docs_url},
        },
        "servers": [{"url": "/api/v1", "description": "This site"}],
        "tags": [
            {"name": "API", "description": "Entry point and this document."},
            {"name": "Content", "description": "Experiments, practices, evaluations, expertise."},
            {
                "name": "Vocabulary",
                "description": "What content is described with; its slugs are the filter values.",
            },
        ],
        "paths": paths,
        "components": {
            "schemas": schemas,
            "parameters": parameters,
            "headers": {
                "API-Version": {
                    "description": "The full version of the API (NL API Design Rules, API-57).",
                    "required": True,
                    "schema": {"type": "string", "pattern": "^[0-9]+\\.[0-9]+\\.[0-9]+$"},
                },
            },
            "responses": {
                "BadRequest": problem(
                    "Invalid query parameters (unknown parameter, unknown filter "
                    "value, malformed number, text too long, not UTF-8): "
                    "`invalid-params` names each."
                ),
                "NotFound": problem("No published, public record has this identifier."),
            },
        },
    }
