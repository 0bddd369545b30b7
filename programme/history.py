"""The public history of a wijkactieplan or charter: one entry per published version, read
from Wagtail's publish log (drafts and rejected submissions never show), with the editor's
explanation (change_note) and the parts of the page that changed since the version before.

Registrations keep a richer, frozen registry (experiments/history.py) because they are cited
by number; plans and charters are agreements that change by mutual consent, and a reader
needs to see when, why and in which parts."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.text import capfirst
from wagtail.models import PageLogEntry

# The child rows compared without their own bookkeeping (ids, order, the page they hang on).
_ROW_NOISE = {"pk", "id", "sort_order", "page"}


@dataclass
class PublishedVersion:
    number: int
    published_on: dt.date
    note: str
    changed: list[str] = field(default_factory=list)

    @property
    def is_first(self) -> bool:
        return self.number == 1


def _rows(content: dict, name: str) -> list[dict]:
    rows = sorted(content.get(name) or [], key=lambda row: row.get("sort_order") or 0)
    return [{k: v for k, v in row.items() if k not in _ROW_NOISE} for row in rows]


def _normalised(value):
    if isinstance(value, list):
        return sorted(str(v) for v in value)
    return "" if value is None else str(value)


def published_history(page, fields: list[str], children: list[str]) -> list[PublishedVersion]:
    """Oldest first. `fields` are model fields and `children` child relations whose changes a
    reader should see; a version that changed none of them (a republish) still shows, with
    its note, because the publication itself is a fact."""
    model = type(page)
    labels = {name: capfirst(model._meta.get_field(name).verbose_name) for name in fields}
    for name in children:
        related = model._meta.get_field(name).related_model
        labels[name] = capfirst(related._meta.verbose_name_plural)
    entries = (
        PageLogEntry.objects.filter(page=page, action="wagtail.publish", revision__isnull=False)
        .select_related("revision")
        .order_by("timestamp", "pk")
    )
    versions: list[PublishedVersion] = []
    previous = None
    for entry in entries:
        content = entry.revision.content
        changed = []
        if previous is not None:
            changed = [
                labels[name]
                for name in fields
                if _normalised(content.get(name)) != _normalised(previous.get(name))
            ] + [labels[name] for name in children if _rows(content, name) != _rows(previous, name)]
        versions.append(
            PublishedVersion(
                number=len(versions) + 1,
                published_on=timezone.localdate(entry.timestamp),
                note=(content.get("change_note") or "").strip() if previous else "",
                changed=changed,
            )
        )
        previous = content
    return versions
