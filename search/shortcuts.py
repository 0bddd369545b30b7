""""Direct naar …": a search that names a gemeente, wijk, experiment type or knowledge centre
shows a link to that page above the results (the wijk page for "Crooswijk").

The pages are the site's (website/), which sits above search/: it tells search/ how to reach
them with `register_destination`, so imports still point down."""

from dataclasses import dataclass

from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _

from vocabulary.models import ExperimentType, KnowledgeCentre, Municipality, Neighbourhood

from .text import words

CACHE_KEY = "search:shortcuts:v1"
MAX_SHORTCUTS = 3
# kind -> (what the link calls it, the vocabulary model)
KINDS = {
    "municipality": (_("municipality"), Municipality),
    "neighbourhood": (_("neighbourhood"), Neighbourhood),
    "experiment_type": (_("experiment type"), ExperimentType),
    "centre": (_("knowledge centre"), KnowledgeCentre),
}
_destinations = {}  # kind -> function(item) -> url or None, registered by the site (website.apps)


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
        names += [n.strip() for n in item.alternative_names.split(",") if n.strip()]
    return names


def _lookup() -> dict[tuple[str, ...], list[tuple[str, int]]]:
    """Folded words of every name → (kind, id) of the items with that name."""
    lookup = cache.get(CACHE_KEY)
    if lookup is None:
        lookup = {}
        for kind, (_label, model) in KINDS.items():
            for item in model.objects.all():
                for name in _names(kind, item):
                    key = tuple(words(name))
                    if key and (kind, item.pk) not in lookup.get(key, []):
                        lookup.setdefault(key, []).append((kind, item.pk))
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
            key = tuple(found_words[i:i + size])
            if key in lookup:
                named.extend(lookup[key])
                i += size
                break
        else:
            i += 1
    result = []
    for kind, pk in dict.fromkeys(named):
        label, model = KINDS[kind]
        item = model.objects.filter(pk=pk).first()
        url = _destinations[kind](item) if item is not None and kind in _destinations else None
        if url:
            name = f"{item.name} ({item.municipality.name})" if kind == "neighbourhood" else item.name
            result.append(Shortcut(kind, str(label), name, url))
        if len(result) == MAX_SHORTCUTS:
            break
    return result


def clear_cache(**kwargs):
    cache.delete(CACHE_KEY)


for _model in (Municipality, Neighbourhood, ExperimentType, KnowledgeCentre):
    post_save.connect(clear_cache, sender=_model, dispatch_uid=f"shortcuts-{_model.__name__}")
    post_delete.connect(clear_cache, sender=_model, dispatch_uid=f"shortcuts-del-{_model.__name__}")
