"""The registry half of the demo corpus: the 40 experiments of experiments.yaml, written by
hand, published the way an editor publishes them.

Every experiment is made as a draft and published through Wagtail revisions on the days its
entry gives, with the clock set to that day: the site's own page_published handler
(experiments/signals.py) then gives the registration number on first publication and records
each published amendment as a RegistryVersion, so the public history shows what was known on
each day. Experiments are registered in order of their first publication, so their numbers
follow it (KW-<year>-<seq>).

An entry holds the fields as they stand on the demo date; its amendments say what each one
changed (`was`: the earlier values; `added`: paragraphs or partners that were new), so the
versions before it are found by undoing the amendments, newest first. Starting and ending are
amendments too: on the start date the status becomes running, shortly after the end date
completed or stopped (`start_note` and `end_note` explain them).
"""

import datetime as dt
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from unittest import mock

import yaml
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from wagtail.documents import get_document_model

from demo.pdf import text_pdf
from experiments.choices import ExperimentStatus
from experiments.history import REGISTRY_FIELDS
from experiments.models import (
    ExperimentDocument,
    ExperimentPage,
    ExperimentPartner,
    MunicipalityExperimentsPage,
)
from vocabulary.models import ExperimentType, Municipality, Neighbourhood, Theme

EXPERIMENTS_FILE = Path(__file__).with_name("experiments.yaml")
DEMO_DATE = dt.date(2012, 3, 1)  # the corpus is written as things stood on this day
# The registry's own list of fields (experiments/history.py) says which hold rich text; the
# corpus writes each of them as paragraphs. The contact is written apart (see make).
RICH_FIELDS = tuple(f.name for f in REGISTRY_FIELDS if f.kind == "rich")
TEXT_FIELDS = ("title", "summary", "target_group", "stop_reason")
# An end is reported to the registry a little after the last day of the experiment.
END_REPORTED_AFTER = dt.timedelta(days=12)

S = ExperimentStatus


def entries() -> list[dict]:
    """The experiments of experiments.yaml, in order of first publication."""
    with EXPERIMENTS_FILE.open(encoding="utf-8") as f:
        return sorted(yaml.safe_load(f), key=lambda e: e["published"])


@dataclass
class Published:
    """One publication of an experiment: its day, the editor's explanation, its fields."""

    day: dt.date
    note: str
    state: dict
    documents: list[dict] = field(default_factory=list)


def amendments(entry: dict) -> list[dict]:
    """The entry's amendments, oldest first, with its start and end among them."""
    found = [dict(a) for a in entry.get("amendments", [])]
    status = entry["status"]
    if status != S.PREPARING and entry["start"] > entry["published"]:
        found.append(
            {
                "date": entry["start"],
                "note": entry.get("start_note", "Het experiment is van start gegaan."),
                "was": {"status": S.PREPARING},
            }
        )
    if status in (S.COMPLETED, S.STOPPED):
        was = {"status": S.RUNNING, "end": None}
        if status == S.STOPPED:
            was["stop_reason"] = ""
        found.append(
            {
                "date": min(entry["end"] + END_REPORTED_AFTER, DEMO_DATE - dt.timedelta(days=1)),
                "note": entry.get(
                    "end_note",
                    "Het experiment is afgerond."
                    if status == S.COMPLETED
                    else "Het experiment is gestopt.",
                ),
                "was": was,
                "added": entry.get("end_added", {}),
            }
        )
    return sorted(found, key=lambda a: a["date"])


def undo(state: dict, amendment: dict) -> dict:
    """The fields as they were before `amendment`."""
    before = {**state, **amendment.get("was", {})}
    for name, added in amendment.get("added", {}).items():
        if name == "partners":
            before["partners"] = [p for p in before["partners"] if p["name"] not in added]
        else:
            before[name] = before[name][: -int(added)]
    return before


def publications(entry: dict) -> list[Published]:
    """Every publication of the experiment, the first registration first."""
    current = {
        key: entry.get(key)
        for key in (*TEXT_FIELDS, *RICH_FIELDS, "status", "start", "planned_end", "end")
    }
    current["partners"] = entry.get("partners", [])
    for name in RICH_FIELDS:
        current[name] = list(current[name] or [])
    steps = amendments(entry)
    states = [current]
    for amendment in reversed(steps):
        states.insert(0, undo(states[0], amendment))
    result = [Published(entry["published"], "", states[0])]
    result += [Published(a["date"], a["note"], s) for a, s in zip(steps, states[1:], strict=True)]
    # A document is attached from the first publication on or after its date (or with a
    # publication of its own when none falls after it).
    for document in entry.get("documents", []):
        target = next((p for p in result if p.day >= document["date"]), None)
        if target is None:
            target = Published(document["date"], result[-1].note, result[-1].state)
            result.append(target)
        target.documents.append(document)
    return result


@contextmanager
def clock_at(day: dt.date):
    """Let Wagtail and the registry see `day`, 10:00, as now: revisions, publication dates,
    log entries and the registration's date all carry the day the entry gives. (Wagtail reads
    the clock when it publishes; it has no way to publish as of another day.)"""
    moment = timezone.make_aware(dt.datetime.combine(day, dt.time(10)))
    with mock.patch("django.utils.timezone.now", return_value=moment):
        yield


def paragraphs_html(paragraphs: list[str]) -> str:
    return "".join(f"<p>{p}</p>" for p in paragraphs)


class RegistryLoader:
    def __init__(self):
        self.parents = {
            p.municipality.slug: p
            for p in MunicipalityExperimentsPage.objects.select_related("municipality")
        }
        self.municipalities = {m.slug: m for m in Municipality.objects.all()}
        self.neighbourhoods = {
            (n.municipality.slug, n.slug): n
            for n in Neighbourhood.objects.select_related("municipality")
        }
        self.themes = {t.slug: t for t in Theme.objects.all()}
        self.types = {t.slug: t for t in ExperimentType.objects.all()}

    def load(self) -> int:
        existing = set(ExperimentPage.objects.values_list("slug", flat=True))
        made = 0
        for entry in entries():
            if entry["key"] in existing:
                continue
            with transaction.atomic():
                self.make(entry)
            made += 1
        return made

    def apply(self, page: ExperimentPage, entry: dict, published: Published, attached: list):
        state = published.state
        for name in TEXT_FIELDS:
            setattr(page, name, (state[name] or "").strip())
        for name in RICH_FIELDS:
            setattr(page, name, paragraphs_html(state[name]))
        page.status = state["status"]
        page.start_date = state["start"]
        page.planned_end_date = state["planned_end"]
        page.end_date = state["end"]
        page.change_note = published.note.strip()
        page.partners = [
            ExperimentPartner(
                name=p["name"], role=p["role"], contribution=p.get("contribution", "")
            )
            for p in state["partners"]
        ]
        for document in published.documents:
            attached.append(self.document(entry, document))
        page.documents = [ExperimentDocument(document=d) for d in attached]

    def document(self, entry: dict, spec: dict):
        Document = get_document_model()
        with clock_at(spec["date"]):
            document = Document(title=spec["title"])
            document.file.save(
                f"{entry['key']}-{slugify(spec['title'])}.pdf",
                ContentFile(text_pdf(spec["title"], spec["paragraphs"])),
                save=False,
            )
            document.save()
        return document

    def make(self, entry: dict) -> None:
        gemeente = entry["gemeente"]
        page = ExperimentPage(slug=entry["key"], municipality=self.municipalities[gemeente])
        page.experiment_type = self.types[entry["type"]]
        page.neighbourhoods = [self.neighbourhoods[(gemeente, w)] for w in entry["wijken"]]
        page.themes = [self.themes[t] for t in entry["themes"]]
        contact = entry["contact"]
        page.contact_name = contact["name"]
        page.contact_organisation = contact["organisation"]
        page.contact_email = contact["email"]
        attached: list = []
        for number, published in enumerate(publications(entry)):
            with clock_at(published.day):
                self.apply(page, entry, published, attached)
                if number == 0:
                    page.live = False
                    self.parents[gemeente].add_child(instance=page)
                    page.tags.add(*entry.get("tags", []))
                page.save_revision().publish()
            page = ExperimentPage.objects.get(pk=page.pk)
