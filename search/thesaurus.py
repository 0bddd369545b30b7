"""The editors' thesaurus as a lookup: folded words of a term → every term of its group.

Both engines expand the query with it, so an edit in the admin counts at once, without
rebuilding an index. Cached; saving or deleting a synonym group clears the cache."""

from django.core.cache import cache

from .text import words

CACHE_KEY = "search:thesaurus:v1"


def load_thesaurus() -> dict[tuple[str, ...], list[tuple[str, ...]]]:
    thesaurus = cache.get(CACHE_KEY)
    if thesaurus is None:
        from .models import Synonym

        thesaurus = {}
        for group in Synonym.objects.all():
            terms = [tuple(words(t)) for t in group.term_list()]
            terms = list(dict.fromkeys(t for t in terms if t))
            for term in terms:
                # A term in two groups gets the alternatives of both.
                alternatives = thesaurus.setdefault(term, [])
                alternatives.extend(t for t in terms if t not in alternatives)
        cache.set(CACHE_KEY, thesaurus, 3600)
    return thesaurus


def clear_thesaurus_cache(**kwargs):
    cache.delete(CACHE_KEY)
