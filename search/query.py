"""A search as the site understands it: text, facet filters, sort and page, parsed from a
URL's query string with every odd input turned into a notice instead of an error."""

import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from .facets import FACETS
from .text import STOP_WORDS, analyse_word, term, words

PAGE_SIZE = 20
MAX_QUERY_LENGTH = 500  # characters; longer queries are cut (with a notice)
MAX_CLAUSES = 20
# Elasticsearch answers at most 10,000 hits by paging (index.max_result_window); the
# database engine keeps the same limit so both behave alike.
MAX_RESULT_WINDOW = 10_000
# relevance, the item's own date (newest first), or first publication on the site (newest first)
SORTS = ("relevantie", "datum", "gepubliceerd")
SORT_TEXT_PARAM = "sortq"  # the text a sort chosen in the form belongs to
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
    pinned: list[int] = field(
        default_factory=list
    )  # page ids ranked first (a registration named in the text)

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

    @property
    def registration_numbers(self) -> list[str]:
        """Registration numbers in the text, written the registry's way (KW-2011-0007)."""
        return list(
            dict.fromkeys(
                f"KW-{m.group(1)}-{int(m.group(2)):04d}"
                for m in REGISTRATION_RE.finditer(self.text)
            )
        )

    @property
    def only_stop_words(self) -> bool:
        """Text of nothing but words too common to search for ("de", "van het")."""
        found = words(self.text)
        return bool(found) and not self.clauses() and all(w in STOP_WORDS for w in found)


# Straight quotes and the typographic ones people paste (“…”, „…”, «…»).
_QUOTES = str.maketrans({"“": '"', "”": '"', "„": '"', "«": '"', "»": '"'})
_PHRASE_RE = re.compile(r'"([^"]*)"')
# KW-2011-0007, kw 2011 0007, KW20110007: a registration number, searched as that phrase.
REGISTRATION_RE = re.compile(r"\bKW[\s_-]*((?:19|20)\d\d)[\s_-]*(\d{1,4})\b", re.IGNORECASE)


def parse_text(text: str, thesaurus=None) -> list[list[list[str]]]:
    thesaurus = thesaurus or {}
    text = REGISTRATION_RE.sub(
        lambda m: f' "kw {m.group(1)} {int(m.group(2)):04d}" ', text.translate(_QUOTES)
    )
    clauses: list[list[list[str]]] = []
    position = 0
    loose: list[str] = []

    def add_loose(fragment):
        loose.extend(w for w in words_keeping_operators(fragment) if w)

    for match in _PHRASE_RE.finditer(text):
        add_loose(text[position : match.start()])
        position = match.end()
        phrase = words(match.group(1))
        if phrase:
            # A phrase that is a thesaurus entry finds its synonyms too ("voortijdig schoolverlaten").
            synonyms = thesaurus.get(tuple(term(w) for w in phrase))
            clauses.append([list(alt) for alt in synonyms] if synonyms else [phrase])
    # An unbalanced quote is just dropped.
    add_loose(text[position:].replace('"', " "))
    clauses.extend(_expand(loose, thesaurus))
    return clauses[:MAX_CLAUSES]


def words_keeping_operators(fragment: str) -> list[str]:
    # Upper-case AND/OR/NOT are search-engine operators people type out of habit: ignored.
    return [w for raw in fragment.split() if raw not in OPERATOR_WORDS for w in words(raw)]


def _expand(loose: list[str], thesaurus) -> list[list[list[str]]]:
    """Loose words as clauses, with the thesaurus' longest matching entry at each position
    (compared by terms: inflected forms count) expanded to its whole synonym group."""
    clauses = []
    longest = max((len(k) for k in thesaurus), default=0)
    loose_terms = [term(w) for w in loose] if thesaurus else []
    i = 0
    while i < len(loose):
        for size in range(min(longest, len(loose) - i), 0, -1):
            key = tuple(loose_terms[i : i + size])
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
        notices.append(
            _("Your search text was too long and has been shortened to %(n)d characters.")
            % {"n": MAX_QUERY_LENGTH}
        )
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
    # The form says which text its sort was chosen for: a new text starts with the usual
    # order (relevance), never with the date order of the search before it.
    if SORT_TEXT_PARAM in params and " ".join(params[SORT_TEXT_PARAM].split()) != text:
        sort = ""
    raw_page = params.get("page", "1").replace("\x00", "").strip() or "1"
    try:
        page = int(raw_page)
    except ValueError:
        page = 1
        notices.append(
            _("“%(page)s” is not a page number; showing the first page.") % {"page": raw_page[:20]}
        )
    if page < 1:
        notices.append(_("Pages are numbered from 1; showing the first page."))
        page = 1
    return SearchQuery(text=text, filters=filters, sort=sort, page=page, notices=notices)


@dataclass(frozen=True)
class Alternative:
    """One way a clause can match, in analysed terms (search.text), for the engines:
    "term"   — the term, as a word or as a compound part;
    "phrase" — the terms as words, in this order, side by side;
    "parts"  — every part of a compound query word, each as a word or a part, anywhere
               ("buurtbudget" also finds "budget voor de buurt")."""

    kind: str
    terms: tuple[str, ...]


def match_plan(clauses) -> list[list[Alternative]]:
    """The clauses as both engines match them: each a list of alternatives."""
    plan = []
    for clause in clauses:
        alternatives = []
        for alternative in clause:
            analysed = [analyse_word(w) for w in alternative]
            if len(analysed) > 1:
                alternatives.append(Alternative("phrase", tuple(a.term for a in analysed)))
            elif analysed:
                alternatives.append(Alternative("term", (analysed[0].term,)))
                if analysed[0].split:
                    alternatives.append(Alternative("parts", analysed[0].split))
        alternatives = list(dict.fromkeys(alternatives))
        if alternatives:
            plan.append(alternatives)
    return plan


def plan_terms(plan) -> tuple[set[str], set[str]]:
    """The terms a plan looks for: (found as words or parts, found only as whole words). The
    highlighter marks what they match."""
    loose, exact = set(), set()
    for clause in plan:
        for alternative in clause:
            (exact if alternative.kind == "phrase" else loose).update(alternative.terms)
    return loose, exact
