"""Strict reading of the API's query strings ("be strict in what the API accepts"): anything
the OpenAPI document does not allow is a 400 naming the parameter, never silently ignored.
The one exception is `page_size` above the maximum, which is capped with a notice."""

import re
from dataclasses import dataclass, field
from urllib.parse import parse_qsl

from django.core.exceptions import TooManyFieldsSent
from django.core.handlers.wsgi import get_bytes_from_wsgi
from django.http import QueryDict
from django.utils.translation import gettext as _

from search.facets import FACETS, FACETS_BY_PARAM, value_labels
from search.query import MAX_QUERY_LENGTH, MAX_VALUES_PER_FACET, SORTS

from .problems import ApiError, invalid

DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100
YEAR_RE = re.compile(r"^[0-9]{4}$")
# Control characters (a NUL breaks PostgreSQL) have no place in a search.
CONTROL_RE = re.compile(r"[\x00-\x1f\x7f]")
SINGLE_PARAMS = ("q", "sort", "page", "page_size")


def read_query(request) -> QueryDict:
    """The request's query string, or a 400 when it is not valid UTF-8 or has too many fields.

    Django replaces undecodable bytes with U+FFFD; an API should say the input is wrong instead
    of searching for something the client never sent."""
    raw = get_bytes_from_wsgi(request.META, "QUERY_STRING", "")
    try:
        parse_qsl(raw.decode("utf-8"), keep_blank_values=True, encoding="utf-8", errors="strict")
    except UnicodeDecodeError:
        raise ApiError(400, _("The query string is not valid UTF-8.")) from None
    try:
        return request.GET
    except TooManyFieldsSent:
        raise ApiError(400, _("The query string has too many parameters.")) from None


def check_no_params(request) -> None:
    """Endpoints without parameters (details, vocabulary, the root) accept none."""
    params = read_query(request)
    unknown = sorted(params)
    if unknown:
        raise ApiError(
            400,
            _("This endpoint takes no query parameters."),
            invalid_params=[invalid(name[:100], _("Unknown parameter.")) for name in unknown[:20]],
        )


@dataclass
class ListParams:
    search_params: QueryDict  # what goes to search.service.search
    page: int
    page_size: int
    requested_page_size: int
    notices: list[str] = field(default_factory=list)
    # The request's own parameters (without page and page_size), for next/previous links.
    items: list[tuple[str, str]] = field(default_factory=list)


def _positive_int(params, name, default, errors):
    values = params.getlist(name)
    if not values:
        return default
    raw = values[0]
    if not raw.isascii() or not raw.isdigit():
        errors.append(invalid(name, _("Must be a whole number of 1 or more.")))
        return default
    # Absurdly long numbers are simply very large (a page past the end, a capped page size).
    number = int(raw) if len(raw) <= 18 else 10**18
    if number < 1:
        errors.append(invalid(name, _("Must be a whole number of 1 or more.")))
        return default
    return number


def check_paging_params(request) -> tuple[int, int, list[str]]:
    """(page, page_size, notices) of a list that takes only `page` and `page_size`."""
    params = read_query(request)
    errors = [
        invalid(name[:100], _("Unknown parameter."))
        for name in sorted(params)
        if name not in ("page", "page_size")
    ]
    for name in ("page", "page_size"):
        if len(params.getlist(name)) > 1:
            errors.append(invalid(name, _("May be given only once.")))
    page = _positive_int(params, "page", 1, errors)
    page_size = _positive_int(params, "page_size", DEFAULT_PAGE_SIZE, errors)
    if errors:
        raise ApiError(
            400,
            _("The request has invalid query parameters; see invalid-params."),
            invalid_params=errors[:20],
        )
    notices = []
    if page_size > MAX_PAGE_SIZE:
        notices.append(
            _("page_size is more than the maximum of %(max)d; %(max)d results per page are given.")
            % {"max": MAX_PAGE_SIZE}
        )
        page_size = MAX_PAGE_SIZE
    return page, page_size, notices


def check_list_params(request, content_type: str | None) -> ListParams:
    """Check a list endpoint's query string. `content_type` is the endpoint's fixed type
    (experiment, praktijk, ...), or None for /zoeken, where `type` is a filter."""
    params = read_query(request)
    allowed = {*SINGLE_PARAMS, *FACETS_BY_PARAM}
    if content_type is not None:
        allowed.discard("type")
    errors = []
    for name in sorted(params):
        if name not in allowed:
            errors.append(invalid(name[:100], _("Unknown parameter.")))
    for name, values in params.lists():
        if name not in allowed:
            continue
        if name in SINGLE_PARAMS and len(values) > 1:
            errors.append(invalid(name, _("May be given only once.")))
        if any(CONTROL_RE.search(v) for v in values):
            errors.append(invalid(name, _("Contains control characters.")))

    q = params.get("q", "")
    if len(q) > MAX_QUERY_LENGTH:
        errors.append(invalid("q", _("At most %(n)d characters.") % {"n": MAX_QUERY_LENGTH}))
    sort = params.get("sort")
    if sort is not None and sort not in SORTS:
        errors.append(
            invalid("sort", _("Must be one of: %(values)s.") % {"values": ", ".join(SORTS)})
        )
    page = _positive_int(params, "page", 1, errors)
    requested_page_size = _positive_int(params, "page_size", DEFAULT_PAGE_SIZE, errors)

    for facet in FACETS:
        if facet.param not in allowed:
            continue
        values = params.getlist(facet.param)
        if not values:
            continue
        if len(values) > MAX_VALUES_PER_FACET:
            errors.append(
                invalid(facet.param, _("At most %(n)d values.") % {"n": MAX_VALUES_PER_FACET})
            )
            continue
        if facet.key == "year":
            unknown = [v for v in values if not YEAR_RE.match(v)]
        else:
            # Only plausible values reach the database (a NUL is an error in PostgreSQL).
            known = value_labels(
                facet.key, [v for v in values if len(v) <= 100 and not CONTROL_RE.search(v)]
            )
            unknown = [v for v in values if v not in known]
        for value in unknown[:10]:
            errors.append(
                invalid(facet.param, _("Unknown value “%(value)s”.") % {"value": value[:60]})
            )
    if errors:
        raise ApiError(
            400,
            _("The request has invalid query parameters; see invalid-params."),
            invalid_params=errors,
        )

    notices = []
    page_size = requested_page_size
    if page_size > MAX_PAGE_SIZE:
        notices.append(
            _("page_size is more than the maximum of %(max)d; %(max)d results per page are given.")
            % {"max": MAX_PAGE_SIZE}
        )
        page_size = MAX_PAGE_SIZE

    search_params = QueryDict(mutable=True)
    items = []
    for name, values in params.lists():
        if name in ("page", "page_size"):
            continue
        for value in values:
            search_params.appendlist(name, value)
            items.append((name, value))
    if content_type is not None:
        search_params.setlist("type", [content_type])
    search_params["page"] = str(page)
    return ListParams(
        search_params=search_params,
        page=page,
        page_size=page_size,
        requested_page_size=requested_page_size,
        notices=notices,
        items=items,
    )
