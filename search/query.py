"""A search as the site understands it: text, facet filters, sort and page, parsed from a
URL's query string with every odd input turned into a notice instead of an error."""

import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from .facets import FACETS
from .text import STOP_WORDS, words

PAGE_SIZE = 20
MAX_QUERY_LENGTH = 500  # characters; longer queries are cut (with a notice)
MAX_CLAUSES = 20
# Elasticsearch answers at most 10,000 hits by paging (index.max_result_window); the
# database engine keeps the same limit so both behave alike.
MAX_RESULT_WINDOW = 10_000
# relevance, the item's own date (newest first), or first publication on the site (newest first)
SORTS = ("relevantie", "datum", "gepubliceerd")
MAX_VALUES_PER_FACET = 50
OPERATOR_WORDS = {"AND", "OR", "NOT"}


@dataclass
class SearchQuery:
    text: str = ""
    filters: dict[str, list[str]] = field(default_factory=dict)  # facet key -> values
    sort: str = ""  # "" means the default: relevance with text, newest first without
    page: int = 1
    page_size: int = PAGE_SIZE
    notices: list[str] = field(default_factory=list)

    @property
    def effective_sort(self) -> str:
        if self.sort in SORTS:
            return self.sort if self.clauses() or self.sort != "relevantie" else "datum"
        return "relevantie" if self.clauses() else "datum"

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.page_size

    def clauses(self, thesaurus=None) -> list[list[list[str]]]:
        """The text as clauses that must all match. Each clause lists alternatives (a word,
        a phrase, or a synonym of either); each alternative is a list of folded words
        (more than one: a phrase)."""
        return parse_text(self.text, thesaurus)



_PHRASE_RE = re.compile(r'"([^"]*)"')


def parse_text(text: str, thesaurus=None) -> list[list[list[str]]]:
    thesaurus = thesaurus or {}
    clauses: list[list[list[str]]] = []
    position = 0
    loose: list[str] = []

    def add_loose(fragment):
        loose.extend(w for w in words_keeping_operators(fragment) if w)

    for match in _PHRASE_RE.finditer(text):
        add_loose(text[position:match.start()])
        position = match.end()
        phrase = words(match.group(1))
        if phrase:
            clauses.append([phrase])
    # An unbalanced quote is just dropped.
    add_loose(text[position:].replace('"', " "))
    clauses.extend(_expand(loose, thesaurus))
    return clauses[:MAX_CLAUSES]


def words_keeping_operators(fragment: str) -> list[str]:
    # Upper-case AND/OR/NOT are search-engine operators people type out of habit: ignored.
    return [w for raw in fragment.split() if raw not in OPERATOR_WORDS for w in words(raw)]


def _expand(loose: list[str], thesaurus) -> list[list[list[str]]]:
    """Loose words as clauses, with the thesaurus' longest matching term at each position
    expanded to its whole synonym group."""
    clauses = []
    longest = max((len(k) for k in thesaurus), default=0)
    i = 0
    while i < len(loose):
        for size in range(min(longest, len(loose) - i), 0, -1):
            key = tuple(loose[i:i + size])
            if key in thesaurus:
                clauses.append([list(alt) for alt in thesaurus[key]])
                i += size
                break
        else:
            if loose[i] not in STOP_WORDS:
                clauses.append([[loose[i]]])
            i += 1
    return clauses


def parse_params(params) -> SearchQuery:
    """A SearchQuery from a QueryDict. Unknown facet values are the caller's to check (they
    need the vocabulary); everything else is checked here."""
    notices = []
    # PostgreSQL cannot store or compare text with NUL characters: they never reach a query.
    text = " ".join(params.get("q", "").replace("\x00", " ").split())
    if len(text) > MAX_QUERY_LENGTH:
        text = text[:MAX_QUERY_LENGTH]
        notices.append(_("Your search text was too long and has been shortened to %(n)d characters.")
                       % {"n": MAX_QUERY_LENGTH})
    filters = {}
    for facet in FACETS:
        values = [v.replace("\x00", "").strip() for v in params.getlist(facet.param)]
        values = [v for v in values if v]
        values = list(dict.fromkeys(v[:100] for v in values))[:MAX_VALUES_PER_FACET]
        if values:
            filters[facet.key] = values
    sort = params.get("sort", "")
    if sort and sort not in SORTS:
        notices.append(_("Unknown sort order; results are sorted the usual way."))
        sort = ""
    raw_page = params.get("page", "1").replace("\x00", "").strip() or "1"
    try:
        page = int(raw_page)
    except ValueError:
        page = 1
        notices.append(_("“%(page)s” is not a page number; showing the first page.") % {"page": raw_page[:20]})
    if page < 1:
        notices.append(_("Pages are numbered from 1; showing the first page."))
        page = 1
    return SearchQuery(text=text, filters=filters, sort=sort, page=page, notices=notices)
