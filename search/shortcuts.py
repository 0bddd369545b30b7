""" "Direct naar …": a search that names a gemeente, wijk, experiment type or knowledge centre
shows a link to that page above the results (the wijk page for "Crooswijk").

The pages are the site's (places/ and website/), which sit above search/: they tell search/
how to reach them with `register_destination`, so imports still point down. Names, labels and
addresses are cached together, so a search costs no query; a change to the vocabulary or to a
page's publication or place clears them."""

from dataclasses import dataclass

from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _
from wagtail.signals import page_published, page_unpublished, post_page_move

from vocabulary.models import ExperimentType, KnowledgeCentre, Municipality, Neighbourhood

from .text import words

CACHE_KEY = "search:shortcuts:v2"
MAX_SHORTCUTS = 3
# Words that only say where in a town a wijk lies. Many gemeenten have an "Oost" or a
# "Zuidwest", so a wijk name of nothing but these ("Oost", "Zuidoost", "Oud Zuid") counts only
# next to its gemeente's name ("Amsterdam Oost", "oost amsterdam"), never on its own.
GENERIC_WORDS = frozenset(
    "noord oost zuid west noordoost noordwest zuidoost zuidwest centrum midden binnenstad "
    "oud oude nieuw nieuwe".split()
)
# kind -> (what the link calls it, the vocabulary model)
KINDS = {
    "municipality": (_("municipality"), Municipality),
    "neighbourhood": (_("neighbourhood"), Neighbourhood),
    "experiment_type": (_("experiment type"), ExperimentType),
    "centre": (_("knowledge centre"), KnowledgeCentre),
}
_destinations = {}  # kind -> function(item) -> url or None, registered by places.apps, website.apps


def register_destination(kind: str, url_for) -> None:
    """`url_for(item)` gives the page of a vocabulary item of `kind`, or None."""
    _destinations[kind] = url_for


@dataclass
class Shortcut:
    kind: str
    kind_label: str
    label: str
    url: str


def _names(kind, item) -> list[str]:
    names = [item.name]
    if kind == "centre":
        names.append(item.abbreviation)
    if kind == "neighbourhood":
        names += item.alternative_name_list
    return names


def _keys(kind, item):
    """The folded words of each of the item's names, as a text must contain them."""
    for name in _names(kind, item):
        key = tuple(words(name))
        if kind == "neighbourhood" and key and set(key) <= GENERIC_WORDS:
            town = tuple(words(item.municipality.name))
            yield from (town + key, key + town)
        elif key:
            yield key


def _lookup() -> dict[tuple[str, ...], list[tuple[str, str, str]]]:
    """Folded words of every name → (kind, label, url) of the items with that name."""
    lookup = cache.get(CACHE_KEY)
    if lookup is None:
        lookup = {}
        for kind, (_label, model) in KINDS.items():
            url_for = _destinations.get(kind)
            if url_for is None:
                continue
            items = (
                model.objects.select_related("municipality")
                if kind == "neighbourhood"
                else model.objects.all()
            )
            for item in items:
                url = url_for(item)
                if not url:
                    continue
                label = (
                    f"{item.name} ({item.municipality.name})"
                    if kind == "neighbourhood"
                    else item.name
                )
                for key in _keys(kind, item):
                    entries = lookup.setdefault(key, [])
                    if (kind, label, url) not in entries:
                        entries.append((kind, label, url))
        cache.set(CACHE_KEY, lookup, 3600)
    return lookup


def shortcuts(text: str) -> list[Shortcut]:
    """Pages the text names, longest names first, at most a few."""
    found_words = words(text)
    if not found_words or not _destinations:
        return []
    lookup = _lookup()
    longest = max((len(k) for k in lookup), default=0)
    named, i = [], 0
    while i < len(found_words):
        for size in range(min(longest, len(found_words) - i), 0, -1):
            key = tuple(found_words[i : i + size])
            if key in lookup:
                named.extend(lookup[key])
                i += size
                break
        else:
            i += 1
    return [
        Shortcut(kind, str(KINDS[kind][0]), label, url)
        for kind, label, url in list(dict.fromkeys(named))[:MAX_SHORTCUTS]
    ]


def clear_cache(**kwargs):
    cache.delete(CACHE_KEY)


for _model in (Municipality, Neighbourhood, ExperimentType, KnowledgeCentre):
    post_save.connect(clear_cache, sender=_model, dispatch_uid=f"shortcuts-{_model.__name__}")
    post_delete.connect(clear_cache, sender=_model, dispatch_uid=f"shortcuts-del-{_model.__name__}")
# The addresses are pages': one published, unpublished or moved may be a destination.
for _name, _signal in [
    ("published", page_published),
    ("unpublished", page_unpublished),
    ("moved", post_page_move),
]:
    _signal.connect(clear_cache, dispatch_uid=f"shortcuts-page-{_name}")
