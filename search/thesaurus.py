"""The editors' thesaurus as a lookup: the analysed terms of a word or phrase → the folded
words of every entry of its group (so "gezinscoaches" finds the group of "gezinscoach").

Both engines expand the query with it, so an edit in the admin counts at once, without
rebuilding an index. Cached; saving or deleting a synonym group clears the cache."""

from django.core.cache import cache

from .models import Synonym
from .text import term, words

CACHE_KEY = "search:thesaurus:v2"

# The groups the demo content starts with (`load_demo`), as a practitioner would expect them.
DEMO_GROUPS = [
    ("gezinscoach, gezinsmanager, gezinsregisseur", "Eén hulpverlener voor het hele gezin"),
    ("VSV, voortijdig schoolverlaten, schooluitval", ""),
    ("woningcorporatie, woningbouwcorporatie, woningbouwvereniging", ""),
    ("wijkagent, buurtagent, buurtregisseur", ""),
    ("schuldhulpverlening, schuldhulp, schuldsanering", ""),
    ("VVE, voor- en vroegschoolse educatie, vroeg- en voorschoolse educatie", ""),
    ("buurtbudget, wijkbudget, bewonersbudget", ""),
    ("jongerenwerk, jeugdwerk", ""),
    ("achter de voordeur, huisbezoek", "De aanpak van gezinscoaches en wijkteams"),
]


def term_key(folded_words) -> tuple[str, ...]:
    return tuple(term(w) for w in folded_words)


def build_thesaurus(groups) -> dict[tuple[str, ...], list[tuple[str, ...]]]:
    """The lookup of groups, each a list of words or phrases that mean the same."""
    thesaurus = {}
    for group in groups:
        entries = list(dict.fromkeys(e for e in (tuple(words(t)) for t in group) if e))
        for entry in entries:
            # An entry in two groups gets the alternatives of both.
            alternatives = thesaurus.setdefault(term_key(entry), [])
            alternatives.extend(e for e in entries if e not in alternatives)
    return thesaurus


def load_thesaurus() -> dict[tuple[str, ...], list[tuple[str, ...]]]:
    """The editors' thesaurus (the Synonym groups in the admin)."""
    thesaurus = cache.get(CACHE_KEY)
    if thesaurus is None:
        thesaurus = build_thesaurus(group.term_list() for group in Synonym.objects.all())
        cache.set(CACHE_KEY, thesaurus, 3600)
    return thesaurus


def load_demo_thesaurus() -> int:
    """Add the demo groups that are not there yet (matched on their text); returns how many."""
    existing = {group.terms for group in Synonym.objects.all()}
    missing = [(terms, note) for terms, note in DEMO_GROUPS if terms not in existing]
    for terms, note in missing:
        Synonym.objects.create(terms=terms, note=note)
    return len(missing)


def clear_thesaurus_cache(**kwargs):
    cache.delete(CACHE_KEY)
