"""The read-only open-data API under /api/v1/: plain Django views answering JSON.

Every view goes through `endpoint`, which answers only GET/HEAD (and OPTIONS), turns every
error into `application/problem+json` and adds the headers of the NL API Design Rules
(API-Version) and caching/CORS headers. Lists reuse the search service, so they find, count
and order exactly as /zoeken/ does.
"""

import datetime
import json
import logging
from functools import wraps
from math import ceil

from django.conf import settings
from django.core.signals import got_request_exception
from django.http import FileResponse, Http404, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import render
from django.urls import Resolver404, resolve, reverse
from django.utils.formats import number_format
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import condition, require_safe

from agenda.models import EventPage
from core.absolute_urls import absolute_url
from core.kinds import KIND_KEYS
from experiments.models import ExperimentPage
from experiments.withdrawal import public_withdrawals
from kennisbank.models import EvaluationPage, ExpertisePage, PracticePage
from places.links import search_url
from programme.models import BarrierPage, CharterPage, NeighbourhoodActionPlanPage
from search.facets import FACETS_BY_KEY, neighbourhood_key
from search.records import as_json
from search.service import facets_as_json, search
from vocabulary.models import (
    ExperimentType,
    KnowledgeCentre,
    Municipality,
    Neighbourhood,
    RecognitionLevel,
    Theme,
)

from . import records as r
from . import serializers as s
from .exports import MAX_EXPORT_ROWS
from .feeds import FEED_SIZE
from .params import (
    CONTROL_RE,
    DEFAULT_PAGE_SIZE,
    MAX_PAGE_SIZE,
    check_list_params,
    check_no_params,
    check_paging_params,
)
from .problems import ApiError, problem_response
from .spec import API_VERSION, LICENSE, openapi_document

logger = logging.getLogger(__name__)

ALLOWED_METHODS = "GET, HEAD, OPTIONS"
CACHE_SECONDS = 60


def record_response(record, data) -> HttpResponse:
    """`data` as the API's description of `record` gives it (opendata/records.py)."""
    return json_response(as_json(record, data))


def json_response(data, status=200) -> HttpResponse:
    return HttpResponse(
        json.dumps(data, ensure_ascii=False), status=status, content_type="application/json"
    )


def _finish(response):
    response["API-Version"] = API_VERSION
    # Open data: any web page may call the API (read-only, no cookies needed).
    response["Access-Control-Allow-Origin"] = "*"
    response["Access-Control-Expose-Headers"] = "API-Version, Link"
    if response.status_code == 200:
        response["Cache-Control"] = f"public, max-age={CACHE_SECONDS}"
    else:
        response["Cache-Control"] = "no-cache"
    return response


def endpoint(view):
    @csrf_exempt  # nothing here changes anything; other methods get a 405, not a CSRF 403
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method == "OPTIONS":
            response = HttpResponse(status=204)
            response["Allow"] = ALLOWED_METHODS
            response["Access-Control-Allow-Methods"] = ALLOWED_METHODS
            return _finish(response)
        if request.method not in ("GET", "HEAD"):
            response = problem_response(
                request,
                405,
                _("The API is read-only: use GET (or HEAD)."),
            )
            response["Allow"] = ALLOWED_METHODS
            return _finish(response)
        if any(isinstance(v, str) and CONTROL_RE.search(v) for v in kwargs.values()):
            # No identifier holds control characters (and PostgreSQL refuses NUL outright).
            return _finish(problem_response(request, 404, _("There is nothing at this address.")))
        try:
            response = view(request, *args, **kwargs)
        except ApiError as error:
            response = error.response(request)
        except Http404:
            response = problem_response(request, 404, _("There is nothing at this address."))
        except Exception:
            # Logged and reported like any request error (error mail, test client), but the
            # client still gets a problem document rather than an HTML page.
            logger.exception("API error on %s", request.path)
            got_request_exception.send(sender=None, request=request)
            response = problem_response(
                request, 500, _("Something went wrong on our side. Please try again later.")
            )
        return _finish(response)

    return wrapper


# --- Root, OpenAPI, unknown paths ------------------------------------------------------------


@endpoint
def root(request):
    check_no_params(request)
    links = s.Links(request)
    return record_response(
        r.Root,
        {
            "name": "Kennisloket Krachtwijken API",
            "version": API_VERSION,
            "description": _(
                "Open data of the Kennisloket Krachtwijken: experiment registrations, practices, "
                "evaluations, expertise and the vocabulary they are described with."
            ),
            "documentation": links.absolute(reverse("opendata_docs")),
            "openapi": links.api("openapi"),
            "license": LICENSE,
            "endpoints": {
                "zoeken": links.api("search"),
                "experimenten": links.api("experiments"),
                "intrekkingen": links.api("withdrawals"),
                "praktijken": links.api("practices"),
                "evaluaties": links.api("evaluations"),
                "kennisproducten": links.api("expertise_list"),
                "wijkactieplannen": links.api("action_plans"),
                "charters": links.api("charters"),
                "belemmeringen": links.api("barriers"),
                "bijeenkomsten": links.api("events"),
                "gemeenten": links.api("municipalities"),
                "wijken": links.api("neighbourhoods"),
                "themas": links.api("themes"),
                "experimenttypen": links.api("experiment_types"),
                "erkenningsniveaus": links.api("recognition_levels"),
                "kenniscentra": links.api("knowledge_centres"),
            },
        },
    )


@endpoint
def openapi(request):
    check_no_params(request)
    return json_response(openapi_document(request))


@endpoint
def not_found(request, path=""):
    # No trailing slashes in this API (NL API Design Rules, API-48): point there if that exists.
    if request.path.endswith("/") and len(request.path) > 1:
        try:
            resolved = resolve(request.path.rstrip("/"))
        except Resolver404:
            resolved = None
        if resolved is not None and resolved.func is not not_found:
            query = request.META.get("QUERY_STRING", "")
            return HttpResponsePermanentRedirect(
                request.path.rstrip("/") + (f"?{query}" if query else "")
            )
    raise ApiError(
        404,
        _("There is no API endpoint at this address; see %(url)s for the endpoints.")
        % {"url": absolute_url(reverse("opendata:root"))},
    )


# --- Lists of content: the search service with the API's paging ------------------------------


def _page_url(request, params, page: int) -> str:
    items = list(params.items)
    if params.requested_page_size != DEFAULT_PAGE_SIZE:
        items.append(("page_size", str(params.page_size)))
    if page > 1:
        items.append(("page", str(page)))
    url = absolute_url(request.path)
    return f"{url}?{urlencode(items)}" if items else url


def _content_list(request, content_type: str | None):
    params = check_list_params(request, content_type)
    outcome = search(params.search_params, page_size=params.page_size)
    if params.page > outcome.pages:
        detail = _("Page %(asked)d does not exist; there are %(pages)d.") % {
            "asked": params.page,
            "pages": outcome.pages,
        }
        if outcome.capped:
            detail += " " + _(
                "Only the first 10,000 results can be paged through; narrow the search."
            )
        raise ApiError(404, detail)

    links = s.Links(request)
    vocab = s.Vocabulary()
    by_type = {}
    for card in outcome.cards:
        by_type.setdefault(card.type, []).append(card.page_id)
    ids = s.content_ids(by_type)
    results = [
        s.search_item(links, vocab, card, card.document, ids[card.page_id])
        for card in outcome.cards
        if card.page_id in ids
    ]
    query = outcome.query
    page = query.page
    next_url = _page_url(request, params, page + 1) if page < outcome.pages else None
    previous_url = _page_url(request, params, page - 1) if page > 1 else None
    data = {
        "count": outcome.total,
        "page": page,
        "page_size": query.page_size,
        "pages": outcome.pages,
        "next": next_url,
        "previous": previous_url,
        "query": {
            "q": query.text,
            "filters": {
                FACETS_BY_KEY[key].param: values
                for key, values in query.filters.items()
                if not (content_type and key == "type")
            },
            "sort": query.effective_sort,
        },
        "notices": [*params.notices, *(str(n) for n in outcome.notices)],
        "suggestion": outcome.suggestion or None,
        "results": results,
        "facets": facets_as_json(outcome.facets),
    }
    response = record_response(r.SearchList, data)
    link_header = [
        f'<{url}>; rel="{rel}"' for url, rel in ((next_url, "next"), (previous_url, "prev")) if url
    ]
    if link_header:
        response["Link"] = ", ".join(link_header)
    return response


@endpoint
def search_list(request):
    return _content_list(request, None)


@endpoint
def experiment_list(request):
    return _content_list(request, "experiment")


@endpoint
def practice_list(request):
    return _content_list(request, "praktijk")


@endpoint
def evaluation_list(request):
    return _content_list(request, "evaluatie")


@endpoint
def expertise_list(request):
    return _content_list(request, "kennisproduct")


# --- Details of content ----------------------------------------------------------------------


def _not_found():
    raise ApiError(404, _("There is no published record with this identifier."))


@endpoint
def experiment_detail(request, number):
    check_no_params(request)
    page = (
        ExperimentPage.objects.live()
        .public()
        .not_withdrawn()
        .filter(registration__number=number)
        .select_related("municipality", "experiment_type", "registration", "image")
        .prefetch_related("neighbourhoods__municipality", "themes", "tags", "partners")
        .first()
    )
    if page is None:
        _withdrawn_or_not_found(number)
    return record_response(r.Experiment, s.experiment_detail(s.Links(request), page))


@endpoint
def withdrawal_list(request):
    """Every withdrawn registration, newest withdrawal first: what a citing reader needs to
    know that a number is gone, and why (each one's detail URL answers 410)."""
    page, page_size, notices = check_paging_params(request)
    registrations = public_withdrawals()
    count = registrations.count()
    pages = max(1, ceil(count / page_size))
    if page > pages:
        raise ApiError(
            404,
            _("Page %(asked)d does not exist; there are %(pages)d.")
            % {"asked": page, "pages": pages},
        )
    links = s.Links(request)
    start = (page - 1) * page_size
    chosen = list(registrations[start : start + page_size])

    def page_link(number):
        items = ([("page", str(number))] if number > 1 else []) + (
            [("page_size", str(page_size))] if page_size != DEFAULT_PAGE_SIZE else []
        )
        url = absolute_url(request.path)
        return f"{url}?{urlencode(items)}" if items else url

    return record_response(
        r.WithdrawalList,
        {
            "count": count,
            "page": page,
            "page_size": page_size,
            "pages": pages,
            "next": page_link(page + 1) if page < pages else None,
            "previous": page_link(page - 1) if page > 1 else None,
            "notices": notices,
            "results": [s.withdrawal(links, registration) for registration in chosen],
        },
    )


def _withdrawn_or_not_found(number):
    """A withdrawn registration answers 410 Gone with its number, title and reason, as its web
    page does; unless its page was private, which stays a plain 404."""
    registration = public_withdrawals().filter(number=number).first()
    if registration is None:
        _not_found()
    raise ApiError(
        410,
        s.withdrawn_message(),
        registration_number=registration.number,
        title=s.withdrawn_title(registration),
        withdrawn_at=registration.withdrawn_at.isoformat(),
        withdrawal_reason=registration.withdrawal_reason,
    )


@endpoint
def practice_detail(request, municipality, slug):
    check_no_params(request)
    page = (
        PracticePage.objects.live()
        .public()
        .filter(municipality__slug=municipality, slug=slug)
        .select_related("municipality", "experiment_type", "recognition_level", "image", "document")
        .prefetch_related("neighbourhoods__municipality", "themes", "tags")
        .first()
    )
    if page is None:
        _not_found()
    return record_response(r.Practice, s.practice_detail(s.Links(request), page))


@endpoint
def evaluation_detail(request, slug):
    check_no_params(request)
    page = (
        EvaluationPage.objects.live()
        .public()
        .filter(slug=slug)
        .select_related("knowledge_centre", "recognition_level", "report")
        .prefetch_related("themes", "tags")
        .order_by("path")
        .first()
    )
    if page is None:
        _not_found()
    return record_response(r.Evaluation, s.evaluation_detail(s.Links(request), page))


@endpoint
def expertise_detail(request, centre, slug):
    check_no_params(request)
    page = (
        ExpertisePage.objects.live()
        .public()
        .filter(knowledge_centre__slug=centre, slug=slug)
        .select_related("knowledge_centre", "document")
        .prefetch_related("themes", "experiment_types", "tags")
        .first()
    )
    if page is None:
        _not_found()
    return record_response(r.Expertise, s.expertise_detail(s.Links(request), page))


@endpoint
def action_plan_list(request):
    return _content_list(request, "wijkactieplan")


@endpoint
def action_plan_detail(request, municipality, slug):
    check_no_params(request)
    page = (
        NeighbourhoodActionPlanPage.objects.live()
        .public()
        .filter(municipality__slug=municipality, slug=slug)
        .select_related("municipality")
        .prefetch_related("neighbourhoods__municipality", "activities", "experiments")
        .first()
    )
    if page is None:
        _not_found()
    return record_response(r.ActionPlan, s.action_plan_detail(s.Links(request), page))


@endpoint
def charter_list(request):
    return _content_list(request, "charter")


@endpoint
def charter_detail(request, municipality):
    check_no_params(request)
    page = (
        CharterPage.objects.live()
        .public()
        .filter(municipality__slug=municipality)
        .select_related("municipality")
        .prefetch_related("signatories")
        .first()
    )
    if page is None:
        _not_found()
    return record_response(r.Charter, s.charter_detail(s.Links(request), page))


@endpoint
def barrier_list(request):
    return _content_list(request, "belemmering")


@endpoint
def barrier_detail(request, slug):
    check_no_params(request)
    page = (
        BarrierPage.objects.live()
        .public()
        .filter(slug=slug)
        .select_related("ministry")
        .prefetch_related("themes")
        .first()
    )
    if page is None:
        _not_found()
    return record_response(r.Barrier, s.barrier_detail(s.Links(request), page))


@endpoint
def event_list(request):
    return _content_list(request, "bijeenkomst")


@endpoint
def event_detail(request, slug):
    check_no_params(request)
    page = (
        EventPage.objects.live()
        .public()
        .filter(slug=slug)
        .select_related("municipality", "organiser")
        .prefetch_related("themes", "neighbourhoods__municipality")
        .first()
    )
    if page is None:
        _not_found()
    return record_response(r.Event, s.event_detail(s.Links(request), page))


# --- Vocabulary ------------------------------------------------------------------------------


def _vocabulary_list(request, record, queryset, serialize):
    check_no_params(request)
    links = s.Links(request)
    results = [serialize(links, item) for item in queryset]
    return record_response(r.VOCABULARY_LISTS[record], {"count": len(results), "results": results})


def _vocabulary_item(request, record, queryset, serialize, **lookup):
    check_no_params(request)
    item = queryset.filter(**lookup).first()
    if item is None:
        raise ApiError(404, _("The vocabulary has no item with this identifier."))
    return record_response(record, serialize(s.Links(request), item))


def _municipalities():
    return Municipality.objects.prefetch_related("neighbourhoods__municipality").order_by("name")


def _neighbourhoods():
    return Neighbourhood.objects.select_related("municipality").order_by(
        "municipality__name", "name"
    )


def _centre_data(links, centre):
    pages = getattr(links, "_centre_pages", None)
    if pages is None:
        pages = links._centre_pages = s.centre_pages()
    return s.knowledge_centre_data(links, centre, pages.get(centre.pk))


@endpoint
def municipality_list(request):
    return _vocabulary_list(request, r.Municipality, _municipalities(), s.municipality_data)


@endpoint
def municipality_detail(request, slug):
    return _vocabulary_item(
        request, r.Municipality, _municipalities(), s.municipality_data, slug=slug
    )


@endpoint
def neighbourhood_list(request):
    return _vocabulary_list(request, r.Neighbourhood, _neighbourhoods(), s.neighbourhood_data)


@endpoint
def neighbourhood_detail(request, municipality, slug):
    return _vocabulary_item(
        request,
        r.Neighbourhood,
        _neighbourhoods(),
        s.neighbourhood_data,
        municipality__slug=municipality,
        slug=slug,
    )


@endpoint
def theme_list(request):
    return _vocabulary_list(request, r.Theme, Theme.objects.order_by("name"), s.theme_data)


@endpoint
def theme_detail(request, slug):
    return _vocabulary_item(request, r.Theme, Theme.objects.all(), s.theme_data, slug=slug)


@endpoint
def experiment_type_list(request):
    return _vocabulary_list(
        request, r.ExperimentType, ExperimentType.objects.order_by("name"), s.experiment_type_data
    )


@endpoint
def experiment_type_detail(request, slug):
    return _vocabulary_item(
        request, r.ExperimentType, ExperimentType.objects.all(), s.experiment_type_data, slug=slug
    )


@endpoint
def recognition_level_list(request):
    return _vocabulary_list(
        request,
        r.RecognitionLevel,
        RecognitionLevel.objects.order_by("ordinal"),
        s.recognition_level_data,
    )


@endpoint
def recognition_level_detail(request, slug):
    return _vocabulary_item(
        request,
        r.RecognitionLevel,
        RecognitionLevel.objects.all(),
        s.recognition_level_data,
        slug=slug,
    )


@endpoint
def knowledge_centre_list(request):
    return _vocabulary_list(
        request, r.KnowledgeCentre, KnowledgeCentre.objects.order_by("abbreviation"), _centre_data
    )


@endpoint
def knowledge_centre_detail(request, slug):
    return _vocabulary_item(
        request, r.KnowledgeCentre, KnowledgeCentre.objects.all(), _centre_data, slug=slug
    )


# --- The page for people ---------------------------------------------------------------------


def _dump_modified(request):
    try:
        return datetime.datetime.fromtimestamp(settings.DUMP_PATH.stat().st_mtime, datetime.UTC)
    except OSError:
        return None


@require_safe
@condition(last_modified_func=_dump_modified)
def dump_file(request):
    """/open-data/kennisloket.jsonl: the last nightly dump (`export_dump`, written to
    DUMP_PATH by the worker), or 404 before the first."""
    try:
        file = settings.DUMP_PATH.open("rb")
    except OSError:
        raise Http404("No dump has been made yet.") from None
    response = FileResponse(file, content_type="application/jsonl; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="kennisloket.jsonl"'
    return response


def outputs() -> list[tuple[str, str, str]]:
    """[(address, format, what it holds)]: every export and feed the site has, for /open-data/.
    The addresses of a search take any search's parameters; the examples use real ones."""
    wijk = Neighbourhood.objects.select_related("municipality").order_by("pk").first()
    example = {
        "gemeente": wijk.municipality.slug if wijk else "rotterdam",
        "wijk": neighbourhood_key(wijk) if wijk else "rotterdam-delfshaven",
    }
    return [
        (
            reverse("opendata:root"),
            "JSON",
            _(
                "The API: every published item and the vocabulary, record by record, to filter and page through (below)."
            ),
        ),
        (
            reverse("opendata:openapi"),
            "OpenAPI (JSON)",
            _("The description of every endpoint, parameter and field of the API, for tools."),
        ),
        (
            search_url(format="json"),
            "JSON",
            _(
                "One page of any search, with its facet counts: add format=json to the address of a search."
            ),
        ),
        (
            search_url(format="csv"),
            "CSV",
            _(
                "Every result of a search (at most %(max)s rows), one row per item: add format=csv to the address of a search."
            )
            % {"max": number_format(MAX_EXPORT_ROWS, force_grouping=True)},
        ),
        (
            search_url(format="xlsx"),
            "Excel (XLSX)",
            _("The same rows as the CSV, as a spreadsheet with its source address."),
        ),
        (
            search_url(format="atom"),
            "Atom",
            _(
                "The %(n)s items of a search published last, newest first: add format=atom to the address of a search. Without a search: everything new."
            )
            % {"n": FEED_SIZE},
        ),
        (
            search_url(gemeente=example["gemeente"], format="atom"),
            "Atom",
            _(
                "What is new about one gemeente; its page announces it. The same for a wijk (wijk=%(wijk)s), an experiment type (experimenttype=…) and a knowledge centre (kenniscentrum=…)."
            )
            % {"wijk": example["wijk"]},
        ),
        (
            reverse("registrations_feed"),
            "Atom",
            _(
                "New, amended and withdrawn registrations, with what changed: the registry's own feed."
            ),
        ),
        (
            reverse("opendata_dump"),
            "JSON Lines",
            _(
                "Everything published, one item per line, with each registration's history: made every night."
            ),
        ),
        (
            reverse("sitemap"),
            "XML (sitemap)",
            _("The address of every public page, for search engines."),
        ),
    ]


def docs(request):
    """/open-data/: what the API offers, how to call it, and the licence of the data."""
    api_root = absolute_url(reverse("opendata:root"))
    example = (
        absolute_url(reverse("opendata:experiments"))
        + "?"
        + urlencode([("thema", "veiligheid"), ("gemeente", "rotterdam"), ("page_size", "5")])
    )
    endpoints = [
        ("zoeken", _("Everything the search finds, of every type (the same as /zoeken/).")),
        ("experimenten", _("Experiment registrations; the identifier is the registration number.")),
        ("praktijken", _("Practice write-ups; the identifier is gemeente/slug.")),
        ("evaluaties", _("Evaluations; the identifier is the slug.")),
        (
            "kennisproducten",
            _("Expertise of the knowledge centres; the identifier is kenniscentrum/slug."),
        ),
        ("gemeenten", _("Municipalities.")),
        ("wijken", _("Neighbourhoods (wijken); the identifier is gemeente/wijk.")),
        ("themas", _("Themes.")),
        ("experimenttypen", _("Experiment types.")),
        ("erkenningsniveaus", _("Recognition levels.")),
        ("kenniscentra", _("Knowledge centres.")),
    ]
    sample = (
        ExperimentPage.objects.live()
        .public()
        .filter(registration__isnull=False)
        .select_related("registration")
        .order_by("path")
        .first()
    )
    context = {
        "api_root": api_root,
        "outputs": outputs(),
        "alerts_url": reverse("alerts:subscribe"),
        "sample_number": sample.registration.number if sample else "KW-2008-0003",
        "openapi_url": absolute_url(reverse("opendata:openapi")),
        "example_url": example,
        "endpoints": [(name, api_root + name, text) for name, text in endpoints],
        "facets": [(f.param, f.label) for f in FACETS_BY_KEY.values()],
        "content_types": list(KIND_KEYS),
        "default_page_size": DEFAULT_PAGE_SIZE,
        "max_page_size": MAX_PAGE_SIZE,
        "api_version": API_VERSION,
        "license": LICENSE,
        "crumbs": [(_("Home"), "/"), (_("Open data"), None)],
    }
    return render(request, "opendata/docs.html", context)
