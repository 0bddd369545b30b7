"""/zoeken/: the faceted search as a page (works without JavaScript) and as JSON (as a file
or feed it is opendata's: opendata.formats)."""

from django.http import JsonResponse
from django.shortcuts import render
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from core.absolute_urls import absolute_url
from core.freshness import page_cache_exempt

from .facets import FACETS
from .query import SORT_TEXT_PARAM, SORTS
from .service import outcome_as_json, search


class SearchUrls:
    """Links that change one thing about the current search, keeping the rest of its state."""

    def __init__(self, path, query):
        self.path = path
        self.items = [("q", query.text)] if query.text else []
        for facet in FACETS:
            self.items += [(facet.param, v) for v in query.filters.get(facet.key, [])]
        if query.sort:
            self.items.append(("sort", query.sort))
        self.page_number = query.page

    def _url(self, items):
        return f"{self.path}?{urlencode(items)}" if items else self.path

    def toggle(self, param, value):
        if (param, value) in self.items:
            items = [item for item in self.items if item != (param, value)]
        else:
            items = [*self.items, (param, value)]
        return self._url(items)  # a changed filter starts at page 1

    def page(self, number, **extra):
        items = [*self.items, *extra.items()]
        if number > 1:
            items.append(("page", number))
        return self._url(items)

    def sort(self, sort):
        return self._url([item for item in self.items if item[0] != "sort"] + [("sort", sort)])

    def with_text(self, text):
        return self._url([("q", text), *(item for item in self.items if item[0] != "q")])

    def clear_filters(self):
        return self._url([item for item in self.items if item[0] in ("q", "sort")])


def _wants_json(request):
    if request.GET.get("format") == "json":
        return True
    accept = request.headers.get("Accept", "")
    return "application/json" in accept and "text/html" not in accept


@page_cache_exempt  # its results follow the index, which the worker updates after a publish
@require_safe  # GET and HEAD (link checkers and monitors send HEAD)
def search_view(request):
    outcome = search(request.GET)
    urls = SearchUrls(request.path, outcome.query)
    if _wants_json(request):
        data = outcome_as_json(outcome, lambda page: absolute_url(urls.page(page, format="json")))
        response = JsonResponse(data, json_dumps_params={"ensure_ascii": False})
        response["Vary"] = "Accept"
        return response

    response = render(request, "search/search.html", search_context(outcome, urls))
    response["Vary"] = "Accept"
    return response


def search_context(outcome, urls, data_urls=None) -> dict:
    """The context of search/search.html for a search's outcome: `urls` change the state of
    the search on this page; `data_urls` (by default the same) give its JSON, exports and feed."""
    data_urls = data_urls or urls
    # Each chosen value is a chip whose link removes it (the checkboxes need no links).
    chips = [
        {"facet": group.label, "label": value.label, "url": urls.toggle(group.param, value.value)}
        for group in outcome.facets
        for value in group.selected
    ]
    page = outcome.query.page
    sort_labels = {
        "relevantie": _("Relevance"),
        "datum": _("Newest first"),
        "gepubliceerd": _("Recently published"),
    }
    context = {
        "outcome": outcome,
        "query": outcome.query,
        "chips": chips,
        "clear_url": urls.clear_filters() if chips else "",
        "sorts": [
            # The usual order is sent as no sort at all, so it never sticks to a new search.
            {
                "value": s if outcome.query.sort == s or s != outcome.query.effective_sort else "",
                "label": sort_labels[s],
                "url": urls.sort(s),
                "current": s == outcome.query.effective_sort,
            }
            for s in SORTS
        ],
        "sort_text_param": SORT_TEXT_PARAM,
        "previous_url": urls.page(page - 1) if page > 1 else "",
        "next_url": urls.page(page + 1) if page < outcome.pages else "",
        "page_links": [
            {"number": n, "url": urls.page(n), "current": n == page}
            for n in _page_window(page, outcome.pages)
        ],
        "json_url": data_urls.page(page, format="json"),
        # Exports and the feed hold the whole search, not one page of it.
        "csv_url": data_urls.page(1, format="csv"),
        "xlsx_url": data_urls.page(1, format="xlsx"),
        "atom_url": data_urls.page(1, format="atom"),
        # The search's own URL, its parameters in a fixed order: a filtered search is a page
        # of its own (noindex), not a copy of /zoeken/.
        "canonical_url": absolute_url(urls.page(page)),
        "meta_title": (
            _("Search: %(q)s") % {"q": outcome.query.text} if outcome.query.text else _("Search")
        ),
        "suggestion_url": urls.with_text(outcome.suggestion) if outcome.suggestion else "",
        "filtered": bool(outcome.query.text or outcome.query.filters or page > 1),
    }
    return context


def _page_window(page, pages, width=2):
    numbers = {1, pages, *range(max(1, page - width), min(pages, page + width) + 1)}
    return sorted(numbers)
