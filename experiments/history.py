"""The registry's memory: what a registration said when it was first published, what each
later published amendment changed, and the status timeline that follows from it.

Every version comes from a RegistryVersion row, written when a Wagtail revision went live
(see signals.py). Drafts, revisions that were never published and rejected submissions are
never recorded, so they can never show up here. Only the registry fields below are compared
and shown; technical page fields (path, latest_revision, draft_title, ...) and the contact
email address are not part of the registry's memory.

A version is frozen: besides the values (ids for vocabulary, slugs for choices) it keeps the
names and labels they had when it was published (RegistryVersion.labels), and shows those, so
renaming a wijk later does not change what a cited version says. Where a name changed since,
the version says what it is called now and links to it.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from dataclasses import dataclass, field
from functools import cached_property
from html import unescape

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.utils import formats, translation
from django.utils.html import escape, strip_tags
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import capfirst
from django.utils.translation import gettext
from wagtail.rich_text import expand_db_html

from .choices import ExperimentStatus, PartnerRole

# --- Which fields are the registry --------------------------------------------------------


@dataclass(frozen=True)
class RegistryField:
    name: str
    kind: str  # text, rich, choice, date, fk, m2m, partners
    model: str = ""  # "app_label.ModelName" for fk and m2m

    @property
    def label(self) -> str:
        if self.kind == "partners":
            return gettext("Partners")
        # Looked up by name: the models use this module (to record and show versions).
        experiment_page = apps.get_model("experiments", "ExperimentPage")
        return capfirst(experiment_page._meta.get_field(self.name).verbose_name)

    @property
    def is_text(self) -> bool:
        """Shown as a word-level diff rather than as old value → new value."""
        return self.kind in ("text", "rich", "partners")


REGISTRY_FIELDS = [
    RegistryField("title", "text"),
    RegistryField("municipality", "fk", "vocabulary.Municipality"),
    RegistryField("summary", "text"),
    RegistryField("experiment_type", "fk", "vocabulary.ExperimentType"),
    RegistryField("neighbourhoods", "m2m", "vocabulary.Neighbourhood"),
    RegistryField("themes", "m2m", "vocabulary.Theme"),
    RegistryField("status", "choice"),
    RegistryField("start_date", "date"),
    RegistryField("planned_end_date", "date"),
    RegistryField("end_date", "date"),
    RegistryField("stop_reason", "text"),
    RegistryField("target_group", "text"),
    RegistryField("problem_analysis", "rich"),
    RegistryField("goals", "rich"),
    RegistryField("activities", "rich"),
    RegistryField("mandate", "rich"),
    RegistryField("research_design", "rich"),
    RegistryField("obstacles", "rich"),
    RegistryField("request_to_government", "rich"),
    RegistryField("partners", "partners"),
    RegistryField("contact_name", "text"),
    RegistryField("contact_organisation", "text"),
]
FIELDS_BY_NAME = {f.name: f for f in REGISTRY_FIELDS}


def _iso_date(value) -> str | None:
    if not value:
        return None
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)[:10]


def _sort_order(child: dict):
    order = child.get("sort_order")
    return (order is None, order or 0)


def snapshot(content: dict) -> dict:
    """The registry fields of a page's serialised content (a revision's `content`, or
    `page.serializable_data()`), as plain JSON values that compare equal after a round trip
    through the database."""
    data = {}
    for f in REGISTRY_FIELDS:
        value = content.get(f.name)
        if f.kind == "date":
            value = _iso_date(value)
        elif f.kind == "fk":
            value = int(value) if value not in (None, "") else None
        elif f.kind == "m2m":
            value = sorted(int(v) for v in (value or []))
        elif f.kind == "partners":
            value = [
                {
                    "name": child.get("name") or "",
                    "role": child.get("role") or "",
                    "contribution": child.get("contribution") or "",
                }
                for child in sorted(value or [], key=_sort_order)
            ]
        else:
            value = value or ""
        data[f.name] = value
    return data


# --- Turning stored values into readable text ----------------------------------------------

_BLOCK_END = re.compile(r"</(?:p|h[1-6]|li|blockquote|ul|ol)\s*>|<br\s*/?>", re.IGNORECASE)
_LIST_ITEM = re.compile(r"<li\b[^>]*>", re.IGNORECASE)


def rich_text_to_plain(html: str) -> str:
    """Rich text as plain text: one line per paragraph, heading or list item."""
    text = _LIST_ITEM.sub("• ", html or "")
    text = _BLOCK_END.sub("\n", text)
    text = unescape(strip_tags(text))
    lines = (" ".join(line.split()) for line in text.splitlines())
    return "\n".join(line for line in lines if line)


_TOKEN = re.compile(r"\S+\s*")


def _marked(tag: str, tokens: list[str]) -> str:
    text = "".join(tokens)
    body = text.rstrip()
    tail = text[len(body) :]
    # Screen readers seldom announce <del> and <ins>: say it in words too.
    said = gettext("removed:") if tag == "del" else gettext("added:")
    return f'<span class="visually-hidden">{escape(said)} </span><{tag}>{escape(body)}</{tag}>{escape(tail)}'


def word_diff(old: str, new: str) -> SafeString:
    """A word-level diff of two plain texts: removed words in <del>, added words in <ins>,
    every piece of text escaped. Line breaks are kept (render with white-space: pre-line)."""
    a = _TOKEN.findall(old or "")
    b = _TOKEN.findall(new or "")
    matcher = difflib.SequenceMatcher(
        None, [t.strip() for t in a], [t.strip() for t in b], autojunk=False
    )
    out = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            out.append(escape("".join(b[j1:j2])))
            continue
        if tag in ("delete", "replace"):
            piece = _marked("del", a[i1:i2])
            out.append(piece if tag == "delete" or piece[-1:].isspace() else piece + " ")
        if tag in ("insert", "replace"):
            out.append(_marked("ins", b[j1:j2]))
    return mark_safe("".join(out))


def _vocabulary_ids(f: RegistryField, value) -> list[int]:
    if f.kind == "fk":
        return [value] if value is not None else []
    if f.kind == "m2m":
        return list(value or [])
    return []


def recorded_labels(data: dict) -> dict:
    """The names and labels of a version's values as they are now, to keep with it:
    {field: {id or slug (as text): name}}, and the partners' role labels under "partner_roles"."""
    labels: dict[str, dict[str, str]] = {}
    with translation.override(settings.LANGUAGE_CODE):
        for f in REGISTRY_FIELDS:
            value = data.get(f.name)
            ids = _vocabulary_ids(f, value)
            if ids:
                model = apps.get_model(f.model)
                labels[f.name] = {
                    str(pk): name
                    for pk, name in model.objects.filter(pk__in=ids).values_list("pk", "name")
                }
            elif f.kind == "choice" and value:
                try:
                    labels[f.name] = {value: str(ExperimentStatus(value).label)}
                except ValueError:
                    pass
            elif f.kind == "partners":
                roles = {}
                for partner in value or []:
                    try:
                        roles[partner["role"]] = str(PartnerRole(partner["role"]).label)
                    except ValueError:
                        pass
                if roles:
                    labels["partner_roles"] = roles
    return labels


class Lookups:
    """The vocabulary records versions point at, as they are now, fetched once per model: for
    values recorded without their names, and to say what a renamed item is called now."""

    def __init__(self, snapshots: list[dict]):
        wanted: dict[str, set[int]] = {}
        for f in REGISTRY_FIELDS:
            if f.kind in ("fk", "m2m"):
                ids = wanted.setdefault(f.model, set())
                for data in snapshots:
                    ids.update(_vocabulary_ids(f, data.get(f.name)))
        self.objects: dict[str, dict[int, object]] = {}
        for label, ids in wanted.items():
            model = apps.get_model(label)
            queryset = model.objects.filter(pk__in=ids)
            if label == "vocabulary.Neighbourhood":
                queryset = queryset.select_related(
                    "municipality"
                )  # a wijk's URL names its gemeente
            self.objects[label] = {obj.pk: obj for obj in queryset} if ids else {}

    def current(self, model: str, pk):
        return self.objects.get(model, {}).get(pk)

    def name(self, model: str, pk, recorded: dict | None = None) -> str:
        """The name recorded with the version, else the current one."""
        name = (recorded or {}).get(str(pk))
        if name:
            return name
        current = self.current(model, pk)
        return current.name if current is not None else gettext("(removed from the vocabulary)")


def display_text(f: RegistryField, value, lookups: Lookups, labels: dict | None = None) -> str:
    """A stored value as the text a reader sees (labels, names, formatted dates), with the
    names and labels recorded in `labels` (RegistryVersion.labels) where it has them."""
    labels = labels or {}
    if f.kind == "rich":
        return rich_text_to_plain(value)
    if f.kind == "choice":
        recorded = labels.get(f.name, {}).get(value or "")
        if recorded:
            return recorded
        try:
            return str(ExperimentStatus(value).label)
        except ValueError:
            return value or ""
    if f.kind == "date":
        return formats.date_format(dt.date.fromisoformat(value), "j F Y") if value else ""
    if f.kind == "fk":
        return lookups.name(f.model, value, labels.get(f.name)) if value is not None else ""
    if f.kind == "m2m":
        return ", ".join(
            sorted(lookups.name(f.model, pk, labels.get(f.name)) for pk in value or [])
        )
    if f.kind == "partners":
        roles = labels.get("partner_roles", {})
        lines = []
        for partner in value or []:
            role = roles.get(partner["role"])
            if not role:
                try:
                    role = str(PartnerRole(partner["role"]).label)
                except ValueError:
                    role = partner["role"]
            line = f"{partner['name']} ({role})" if role else partner["name"]
            if partner.get("contribution"):
                line += f": {partner['contribution']}"
            lines.append(line)
        return "\n".join(lines)
    return value or ""


@dataclass
class Renamed:
    """A vocabulary item a version names differently from how it is called now."""

    recorded: str
    current: object  # the record as it is now (None: removed from the vocabulary)


# --- Versions, amendments and changes ------------------------------------------------------


class AboutAField:
    """What a change or a shown value says of its registry field, for the templates."""

    field: RegistryField

    @property
    def label(self) -> str:
        return self.field.label

    @property
    def name(self) -> str:
        return self.field.name


@dataclass
class Change(AboutAField):
    field: RegistryField
    old: str
    new: str
    diff: SafeString | None = None
    layout_only: bool = False  # rich text whose words are the same: only the markup changed
    old_value: object = None  # the stored values: a status slug, an ISO date, ...
    new_value: object = None

    @property
    def is_text(self) -> bool:
        return self.field.is_text

    @property
    def kind(self) -> str:
        return self.field.kind


@dataclass
class FieldValue(AboutAField):
    field: RegistryField
    text: str
    html: SafeString | None = None  # rich text, rendered
    raw: str = ""  # the stored value of a status or a date (a slug, an ISO date)
    renamed: list[Renamed] = field(default_factory=list)


@dataclass
class Version:
    number: int
    published_at: dt.datetime
    data: dict
    lookups: Lookups = field(repr=False)
    labels: dict = field(default_factory=dict)  # names and labels as recorded at publication
    note: str = ""  # the editor's explanation of this amendment
    changes: list[Change] = field(default_factory=list)

    @property
    def is_original(self) -> bool:
        return self.number == 1

    @property
    def status(self) -> str:
        return self.data.get("status") or ""

    def values(self) -> list[FieldValue]:
        """The version's registry fields that have a value, ready to show read-only."""
        shown = []
        for f in REGISTRY_FIELDS:
            value = self.data.get(f.name)
            text = display_text(f, value, self.lookups, self.labels)
            if not text:
                continue
            html = mark_safe(expand_db_html(value)) if f.kind == "rich" else None
            raw = value if f.kind in ("choice", "date") else ""
            shown.append(FieldValue(f, text, html, raw, self.renamed(f, value)))
        return shown

    def renamed(self, f: RegistryField, value) -> list[Renamed]:
        """The items of a vocabulary field whose recorded name is not their name today."""
        recorded = self.labels.get(f.name, {})
        found = []
        for pk in _vocabulary_ids(f, value):
            name = recorded.get(str(pk))
            current = self.lookups.current(f.model, pk)
            if name and (current is None or current.name != name):
                found.append(Renamed(name, current))
        return found


def changes_between(
    old: dict, new: dict, lookups: Lookups, old_labels=None, new_labels=None
) -> list[Change]:
    changes = []
    for f in REGISTRY_FIELDS:
        before, after = old.get(f.name), new.get(f.name)
        if before == after or (f.name == "municipality" and before is None):
            # (Versions recorded before the gemeente was part of the record have none.)
            continue
        old_text = display_text(f, before, lookups, old_labels)
        new_text = display_text(f, after, lookups, new_labels)
        change = Change(f, old_text, new_text, old_value=before, new_value=after)
        if f.is_text:
            change.diff = word_diff(old_text, new_text)
            change.layout_only = old_text == new_text
        changes.append(change)
    return changes


@dataclass
class TimelineStep:
    status: str
    label: str
    state: str  # done, current, upcoming
    date: dt.date | None = None
    date_is_planned: bool = False
    recorded_on: dt.datetime | None = None  # the publication that first showed this status


class RegistryHistory:
    """The public history of one registration."""

    def __init__(self, page, registration, records):
        self.page = page
        self.registration = registration
        self.records = records

    @classmethod
    def for_page(cls, page) -> RegistryHistory:
        try:
            registration = page.registration
        except ObjectDoesNotExist:
            registration = None
        records = list(registration.versions.order_by("number")) if registration is not None else []
        return cls(page, registration, records)

    @cached_property
    def versions(self) -> list[Version]:
        if self.registration is None:
            return []
        snapshots = [(r.number, r.published_at, r.data, r.labels, r.note) for r in self.records]
        if not snapshots:
            # Registered before versions were recorded: the page as it stands is all we know.
            snapshots = [
                (
                    1,
                    self.registration.registered_at,
                    snapshot(self.page.serializable_data()),
                    {},
                    "",
                )
            ]
        lookups = Lookups([data for _n, _at, data, _l, _note in snapshots])
        versions = []
        for number, published_at, data, labels, note in snapshots:
            version = Version(number, published_at, data, lookups, labels=labels or {}, note=note)
            if versions:
                previous = versions[-1]
                version.changes = changes_between(
                    previous.data, data, lookups, previous.labels, version.labels
                )
            versions.append(version)
        return versions

    @property
    def registered_at(self):
        return self.registration.registered_at if self.registration else None

    @property
    def original(self) -> Version | None:
        return self.versions[0] if self.versions else None

    @property
    def amendments(self) -> list[Version]:
        return self.versions[1:]

    def version(self, number: int) -> Version | None:
        for version in self.versions:
            if version.number == number:
                return version
        return None

    @cached_property
    def timeline(self) -> list[TimelineStep]:
        S = ExperimentStatus
        page = self.page
        first_recorded = {}
        for version in self.versions:
            first_recorded.setdefault(version.status, version.published_at)
        end_status = S.STOPPED if page.status == S.STOPPED else S.COMPLETED
        order = {S.PREPARING: 0, S.RUNNING: 1, S.COMPLETED: 2, S.STOPPED: 2}
        current = order.get(page.status, 0)

        def state(position):
            return (
                "done" if position < current else "current" if position == current else "upcoming"
            )

        steps = [
            TimelineStep(
                S.PREPARING,
                S.PREPARING.label,
                state(0),
                recorded_on=first_recorded.get(S.PREPARING),
            ),
            TimelineStep(
                S.RUNNING,
                S.RUNNING.label,
                state(1),
                date=page.start_date,
                date_is_planned=current < 1,
                recorded_on=first_recorded.get(S.RUNNING),
            ),
        ]
        if current == 2:
            steps.append(
                TimelineStep(
                    end_status,
                    end_status.label,
                    "current",
                    date=page.end_date,
                    recorded_on=first_recorded.get(end_status),
                )
            )
        else:
            steps.append(
                TimelineStep(
                    S.COMPLETED,
                    S.COMPLETED.label,
                    "upcoming",
                    date=page.planned_end_date,
                    date_is_planned=True,
                )
            )
        return steps
