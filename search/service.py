"""The search service: from a URL's query string to everything the page and the JSON show.

It checks the input (unknown facet values, odd pages and sorts become notices), expands the
text with the thesaurus, asks the configured engine, falls back to the database engine when
Elasticsearch does not answer, and turns the engine's ids and counts into cards and facets
read from the database index (so both engines show identical cards).
"""

import datetime
import logging
from dataclasses import dataclass, field
from functools import cached_property
from math import ceil

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from core.kinds import kind_label
from experiments.choices import ExperimentStatus
from programme.choices import BarrierStatus

from .documents import registered_page_ids
from .engines import configured_engine, database_engine
from .engines.base import SearchUnavailable
from .engines.breaker import breaker
from .facets import FACETS, FACETS_BY_KEY, recognition_scale, value_labels
from .highlight import snippet
from .models import SearchDocument
from .query import MAX_RESULT_WINDOW, SearchQuery, parse_params
from .records import SearchRecord, as_json
from .shortcuts import shortcuts as named_pages
from .suggest import suggestion as suggest_words
from .thesaurus import load_thesaurus

MAX_PAGE_SIZE = 1000

logger = logging.getLogger(__name__)


@dataclass
class FacetValue:
    value: str
    label: str
    count: int
    selected: bool


@dataclass
class FacetGroup:
    key: str
    param: str
    label: str
    values: list[FacetValue]

    @property
    def selected(self):
        return [v for v in self.values if v.selected]


@dataclass
class ResultCard:
    page_id: int
    type: str
    type_label: str
    title: str
    url: str
    summary: str
    date: datetime.date | None
    registration_number: str
    municipalities: list[str]
    neighbourhoods: list[str]
    themes: list[str]
    status: str
    status_label: str
    recognition: str
    centre: str
    results_expected: bool = False
    ministry: str = ""  # a barrier's: responsible ministry, its state of affairs
    barrier_status: str = ""
    barrier_status_label: str = ""
    document: dict = field(default_factory=dict, repr=False)  # the stored search document
    clauses: list = field(default_factory=list, repr=False)

    @cached_property
    def snippet(self) -> str:
        # Made only when shown (a page or JSON of 20 cards), not for the 1,000-card pages
        # exports and feeds read.
        return snippet([self.summary, self.document.get("body", "")], self.clauses)


@dataclass
class SearchOutcome:
    query: SearchQuery
    total: int
    cards: list[ResultCard]
    facets: list[FacetGroup]
    notices: list[str]
    engine: str = ""
    fallback: bool = False
    pages: int = 0
    capped: bool = False  # more results than can be paged through
    clauses: list = field(default_factory=list, repr=False)
    thesaurus: dict = field(default_factory=dict, repr=False)

    # The suggestion and the "direct naar …" links are looked up only when shown (the search
    # page, its JSON, the API's lists), not for the exports, feeds and alert digests that read
    # the same search 1,000 cards at a time.

    @cached_property
    def suggestion(self) -> str:
        """ "Bedoelde u …?" from the database index's vocabulary, whichever engine answered,
        so it is the same on both."""
        return suggest_words(self.query.text, self.thesaurus) if self.clauses else ""

    @cached_property
    def shortcuts(self) -> list:
        """ "Direct naar …" links to the pages the text names (search.shortcuts)."""
        return named_pages(self.query.text) if self.clauses else []


def check_filters(query: SearchQuery) -> None:
    """Drop facet values the vocabulary does not know, each with a notice."""
    for key, values in list(query.filters.items()):
        known = value_labels(key, values)
        unknown = [v for v in values if v not in known]
        for value in unknown:
            query.notices.append(
                _("The filter %(facet)s has no value “%(value)s”; it has been ignored.")
                % {"facet": FACETS_BY_KEY[key].label, "value": value[:60]}
            )
        kept = [v for v in values if v in known]
        if kept:
            query.filters[key] = kept
        else:
            del query.filters[key]


def search(params, page_size: int | None = None, engine=None, thesaurus=None) -> SearchOutcome:
    """Run the search a query string describes. `page_size` (for the API and exports; the page
    uses 20) is capped at MAX_PAGE_SIZE. `engine` and `thesaurus` (the relevance set's)
    override the configured engine and the editors' thesaurus."""
    query = parse_params(params)
    if page_size is not None:
        query.page_size = max(1, min(int(page_size), MAX_PAGE_SIZE))
    check_filters(query)
    max_page = MAX_RESULT_WINDOW // query.page_size
    if query.page > max_page:
        query.notices.append(
            _("Only the first %(n)s results can be paged through; showing the last page that can.")
            % {"n": f"{MAX_RESULT_WINDOW:,}".replace(",", ".")}
        )
        query.page = max_page
    if query.only_stop_words:
        # "de" would match every page: say so instead of listing everything.
        query.notices.append(
            _(
                "“%(text)s” has only words that are too common to search for. Add a more "
                "specific word, or put words in quotes to search for an exact phrase."
            )
            % {"text": query.text[:60]}
        )
        return SearchOutcome(
            query=query,
            total=0,
            cards=[],
            facets=[],
            notices=query.notices,
            engine=(engine or configured_engine()).name,
            pages=1,
        )
    thesaurus = load_thesaurus() if thesaurus is None else thesaurus
    clauses = query.clauses(thesaurus)
    if clauses and query.registration_numbers:
        query.pinned = registered_page_ids(query.registration_numbers)

    engine, fallback = engine or configured_engine(), False

    def from_the_database(query):
        nonlocal engine, fallback
        engine, fallback = database_engine(), True
        query.notices.append(
            _(
                "The search engine cannot be reached at the moment. These results come from a "
                "simpler search in the database; the order may differ."
            )
        )
        return engine.search(query, clauses)

    def ask(query):
        if engine.name == "database":
            return engine.search(query, clauses)
        if breaker.is_open(engine.url):  # it failed a moment ago: nobody waits for it again yet
            return from_the_database(query)
        try:
            answer = engine.search(query, clauses)
        except SearchUnavailable as error:
            breaker.failed(engine.url, str(error), settings.ELASTICSEARCH_RETRY_AFTER, "a search")
            return from_the_database(query)
        breaker.succeeded(engine.url)
        return answer

    result = ask(query)
    # Past the 10,000-result window no page can be asked for: the last page is the last full
    # one inside it (else a client following "next" would be sent back and forth).
    pages = max(1, min(ceil(result.total / query.page_size), MAX_RESULT_WINDOW // query.page_size))
    if result.total and query.page > pages:
        query.notices.append(
            _("Page %(asked)d does not exist; this is the last page, %(last)d.")
            % {"asked": query.page, "last": pages}
        )
        query.page = pages
        result = ask(query)

    cards = _cards(result.hits, clauses)
    return SearchOutcome(
        query=query,
        total=result.total,
        cards=cards,
        facets=_facets(query, result.facet_counts),
        notices=query.notices,
        engine=engine.name,
        fallback=fallback,
        pages=pages,
        capped=result.total > MAX_RESULT_WINDOW,
        clauses=clauses,
        thesaurus=thesaurus,
    )


def _cards(hits, clauses) -> list[ResultCard]:
    documents = {
        doc.page_id: doc.data
        for doc in SearchDocument.objects.filter(page_id__in=[h.page_id for h in hits])
    }
    today = timezone.localdate().isoformat()
    # A hit indexed in Elasticsearch but gone from the database meanwhile has no card.
    return [
        card_of(documents[hit.page_id], clauses, today) for hit in hits if hit.page_id in documents
    ]


def card_of(doc: dict, clauses=None, today: str | None = None) -> ResultCard:
    """The card of one stored search document (`SearchDocument.data`)."""
    today = today or timezone.localdate().isoformat()
    names = doc.get("names", {})
    status = (doc["facets"].get("status") or [""])[0]
    barrier_status = (doc["facets"].get("barrier_status") or [""])[0]
    return ResultCard(
        page_id=doc["page_id"],
        type=doc["type"],
        type_label=kind_label(doc["type"]),
        title=doc["title"],
        url=doc["url"],
        summary=doc["summary"],
        clauses=clauses or [],
        date=datetime.date.fromisoformat(doc["date"]) if doc.get("date") else None,
        registration_number=doc.get("registration_number", ""),
        municipalities=names.get("municipality", []),
        neighbourhoods=names.get("neighbourhood", []),
        themes=names.get("theme", []),
        status=status,
        status_label=str(dict(ExperimentStatus.choices).get(status, "")),
        recognition=", ".join(names.get("recognition", [])),
        centre=(names.get("centre") or [""])[0],
        document=doc,
        results_expected=bool(
            doc.get("results_due") and not doc.get("has_evaluation") and doc["results_due"] < today
        ),
        ministry=(names.get("ministry") or [""])[0],
        barrier_status=barrier_status,
        barrier_status_label=str(dict(BarrierStatus.choices).get(barrier_status, "")),
    )


def _facets(query, counts) -> list[FacetGroup]:
    groups = []
    for facet in FACETS:
        facet_counts = dict(counts.get(facet.key, {}))
        selected = query.filters.get(facet.key, [])
        for value in selected:
            facet_counts.setdefault(value, 0)  # a chosen value stays visible, even at 0
        labels = value_labels(facet.key, facet_counts)
        values = [
            FacetValue(value=v, label=labels.get(v, v), count=n, selected=v in selected)
            for v, n in facet_counts.items()
            if v in labels
        ]
        if facet.key == "year":
            values.sort(key=lambda v: v.value, reverse=True)
        elif facet.key == "recognition":  # a scale: its own order, whatever the counts
            scale = recognition_scale()
            values.sort(key=lambda v: scale[v.value])
        else:
            values.sort(key=lambda v: (-v.count, v.label.lower()))
        if values:
            groups.append(FacetGroup(facet.key, facet.param, str(facet.label), values))
    return groups


def outcome_as_json(outcome: SearchOutcome, build_url) -> dict:
    """The JSON form of a search (`format=json`). `build_url(page=n)` gives a page's URL."""
    query = outcome.query
    data = {
        "query": {
            "q": query.text,
            "filters": {FACETS_BY_KEY[k].param: v for k, v in query.filters.items()},
            "sort": query.effective_sort,
            "page": query.page,
            "page_size": query.page_size,
        },
        "total": outcome.total,
        "pages": outcome.pages,
        "engine": outcome.engine,
        "notices": [str(n) for n in outcome.notices],
        "suggestion": outcome.suggestion,
        "next": build_url(page=query.page + 1) if query.page < outcome.pages else None,
        "previous": build_url(page=query.page - 1) if query.page > 1 else None,
        "results": [
            {
                "id": card.page_id,
                "type": card.type,
                "title": card.title,
                "url": card.url,
                "summary": card.summary,
                "snippet": str(card.snippet),
                "date": card.date.isoformat() if card.date else None,
                "registration_number": card.registration_number or None,
                "municipalities": card.municipalities,
                "neighbourhoods": card.neighbourhoods,
                "themes": card.themes,
                "status": card.status or None,
                "status_label": card.status_label or None,
                "recognition_level": card.recognition or None,
                "knowledge_centre": card.centre or None,
                "results_expected": card.results_expected,
            }
            for card in outcome.cards
        ],
        "facets": facets_as_json(outcome.facets),
    }
    return as_json(SearchRecord, data)


def facets_as_json(facets) -> list[dict]:
    """Facet groups as the search JSON and the API give them (described by FacetRecord)."""
    return [
        {
            "param": group.param,
            "label": group.label,
            "values": [
                {"value": v.value, "label": v.label, "count": v.count, "selected": v.selected}
                for v in group.values
            ],
        }
        for group in facets
    ]
