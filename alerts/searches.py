"""A subscription's search, told by the one search service (search.service.search) so an alert
matches exactly what /zoeken/ shows.

- `alert_words(params)`: the /zoeken/ parameters an alert keeps (the text and the filters;
  not the sort, page or format), checked against the vocabulary, as a normalised query string
  plus the words to show it in; `alert_search` adds what the search finds today.
- `new_matches(query_string, candidates)`: which of some candidate pages the search finds
  now, in the search's date order.
"""

from dataclasses import dataclass, field

from django.http import QueryDict
from django.utils.http import urlencode

from places.links import search_url
from search.facets import FACETS, value_labels
from search.query import MAX_RESULT_WINDOW, parse_params
from search.service import MAX_PAGE_SIZE, check_filters, search

ALERT_PARAMS = ("q", *(facet.param for facet in FACETS))


def _alert_params(params) -> QueryDict:
    """Only the parameters an alert keeps (a copy)."""
    kept = QueryDict(mutable=True)
    for name in ALERT_PARAMS:
        values = params.getlist(name)
        if values:
            kept.setlist(name, values)
    return kept


@dataclass
class AlertSearch:
    query_string: str  # normalised: "" is "everything new"
    text: str
    filters: list[tuple[str, list[str]]]  # (facet label, value labels), in the facets' order
    total: int | None  # what the search finds today (None: not asked)
    notices: list[str] = field(default_factory=list)

    @property
    def search_path(self) -> str:
        return search_url(self.query_string)

    @property
    def newest_path(self) -> str:
        """The search on /zoeken/, newest first."""
        return search_url(self.query_string, sort="datum")

    @property
    def is_everything(self) -> bool:
        return not self.text and not self.filters


def normalise(query) -> str:
    """The query string of a SearchQuery's text and filters, in one fixed order."""
    items = [("q", query.text)] if query.text else []
    for facet in FACETS:
        items += [(facet.param, value) for value in sorted(query.filters.get(facet.key, []))]
    return urlencode(items)


def alert_words(params) -> AlertSearch:
    """The alert a query string (or QueryDict) asks for, in words, without running the search
    (`total` stays None). Unknown filter values are dropped with a notice, as /zoeken/ does."""
    if isinstance(params, str):
        params = QueryDict(params)
    query = parse_params(_alert_params(params))
    check_filters(query)
    filters = []
    for facet in FACETS:
        values = sorted(query.filters.get(facet.key, []))
        if values:
            labels = value_labels(facet.key, values)
            filters.append((str(facet.label), [labels.get(v, v) for v in values]))
    return AlertSearch(
        query_string=normalise(query),
        text=query.text,
        filters=filters,
        total=None,
        notices=[str(n) for n in query.notices],
    )


def alert_search(params) -> AlertSearch:
    """alert_words plus what the search finds today (for the pages that show it)."""
    alert = alert_words(params)
    alert.total = search(QueryDict(alert.query_string), page_size=1).total
    return alert


def still_valid(query_string: str) -> bool:
    """Whether every filter value of a stored search still exists. The search service drops an
    unknown value, which would widen the search: an alert with one is not run (the caller
    says so)."""
    query = parse_params(QueryDict(query_string))
    return all(
        set(value_labels(key, values)) == set(values) for key, values in query.filters.items()
    )


def new_matches(query_string: str, candidates: dict[int, int | None]) -> list:
    """The result cards of the candidate pages (page id → year of the page's date) that the
    search finds, newest first.

    The search is narrowed to the candidates' years (the `jaar` facet, which every dated
    document carries): a candidate matches the narrowed search exactly when it matches the
    whole search, and the narrowed result is small enough to page through, also for a broad
    search on a large site."""
    if not candidates:
        return []
    params = QueryDict(query_string, mutable=True)
    years = set(candidates.values())
    if None not in years:
        years = {str(y) for y in years}
        if params.getlist("jaar"):
            years &= set(params.getlist("jaar"))
        if not years:
            return []
        params.setlist("jaar", sorted(years))
    params["sort"] = "datum"
    wanted = set(candidates)
    found = []
    page = 1
    while wanted:
        params["page"] = str(page)
        outcome = search(params, page_size=MAX_PAGE_SIZE)
        for card in outcome.cards:
            if card.page_id in wanted:
                found.append(card)
                wanted.discard(card.page_id)
        if page >= outcome.pages or page * MAX_PAGE_SIZE >= MAX_RESULT_WINDOW:
            break
        page += 1
    return found
