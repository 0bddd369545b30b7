"""The complete data dump (`manage.py export_dump`): every published, public content item as
one JSON object per line (JSON lines).

Each object has `type` (experiment, praktijk, evaluatie, kennisproduct, wijkactieplan,
charter, belemmering, bijeenkomst, as in the search),
`id`, `url` and the item's public fields; experiments also their registration number and
their registry history (every published version, what changed, the version's URL). Links to
other items (an experiment's evaluations, an evaluation's experiments) only ever point at
published, public items. Vocabulary is given as {slug, name}.

What is listed here is what is exported: a field is public because its record below names
it, never because it exists (each item is checked against its record as it is written).
Contact email addresses, questions of the question desk and alert subscribers are never
part of it.

Queries: a fixed number per chunk of 500 items, whatever their contents.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from typing import Literal

from django.core.serializers.json import DjangoJSONEncoder
from wagtail.models import Site

from agenda.models import EventPage
from core.kinds import CONTENT_KINDS, kind_of
from experiments.history import REGISTRY_FIELDS, rich_text_to_plain
from experiments.models import ExperimentPage
from kennisbank.models import EvaluationPage, ExpertisePage, PracticePage
from kennisbank.recognition import live_evaluations, recognition_level
from programme.models import BarrierPage, CharterPage, NeighbourhoodActionPlanPage
from search.documents import by_pk_in_chunks, raising_pages
from search.facets import neighbourhood_key
from search.records import Record

CHUNK_SIZE = 500


# --- The records -----------------------------------------------------------------------------
# Dates and times stay Python values here: the JSON encoder writes them, as it always has;
# amounts and measurements are numbers (floats).


class Term(Record):
    slug: str
    name: str


class CentreTerm(Term):
    abbreviation: str


class Wijk(Record):
    slug: str  # <gemeente>-<wijk>, as the search's wijk filter
    name: str
    municipality: str  # its gemeente's slug


class Ref(Record):
    """A link to another public item."""

    type: str
    id: int
    title: str
    url: str | None


class ExperimentRef(Ref):
    registration_number: str | None


class File(Record):
    title: str
    url: str


class Partner(Record):
    name: str
    role: str
    contribution: str


class HistoryEntry(Record):
    version: int
    published_at: dt.datetime
    kind: Literal["registration", "amendment"]
    changed_fields: list[str]
    url: str | None


class Item(Record):
    type: str
    id: int
    url: str | None
    title: str
    slug: str
    summary: str
    search_description: str
    first_published_at: dt.datetime | None
    last_published_at: dt.datetime | None
    tags: list[str]


class ExperimentItem(Item):
    registration_number: str | None
    registered_at: dt.datetime | None
    municipality: Term | None
    neighbourhoods: list[Wijk]
    themes: list[Term]
    experiment_type: Term | None
    status: str
    start_date: dt.date | None
    planned_end_date: dt.date | None
    end_date: dt.date | None
    stop_reason: str
    target_group: str
    problem_analysis: str  # rich text, as plain text
    goals: str
    activities: str
    mandate: str
    research_design: str
    obstacles: str
    request_to_government: str
    partners: list[Partner]
    # The contact person and organisation are on the public page; the email address is not.
    contact_name: str
    contact_organisation: str
    documents: list[File]
    recognition_level: Term | None
    evaluations: list[Ref]
    practices: list[Ref]
    history: list[HistoryEntry]


class PracticeItem(Item):
    municipality: Term | None
    neighbourhoods: list[Wijk]
    themes: list[Term]
    experiment_type: Term | None
    recognition_level: Term | None
    source_experiment: ExperimentRef | None
    period: str
    problem: str
    approach: str
    results: str
    success_conditions: str
    costs: str
    contact_name: str
    contact_organisation: str
    document: File | None
    evaluations: list[Ref]


class EvaluationItem(Item):
    kind: str
    method: str
    evaluator: str
    knowledge_centre: CentreTerm | None
    publication_date: dt.date | None
    themes: list[Term]
    recognition_level: Term | None
    findings: str
    report: File | None
    experiments: list[ExperimentRef]
    practices: list[Ref]


class ExpertiseItem(Item):
    kind: str
    knowledge_centre: CentreTerm
    authors: str
    publication_date: dt.date | None
    themes: list[Term]
    experiment_types: list[Term]
    body: str  # the text of its blocks, one per line
    document: File | None


class IndicatorValueItem(Record):
    year: int
    value: float
    source: str
    note: str  # who entered it is not public


class PlanActivityItem(Record):
    description: str
    partner: str
    partner_role: str
    unit: str
    planned_quantity: float
    realised_quantity: float | None
    budget: float | None


class PlanGoalItem(Record):
    code: str
    theme: Term
    goal: str
    indicator: str
    unit: str
    direction: str
    baseline_year: int
    baseline_value: float
    target_year: int
    target_value: float
    source: str
    values: list[IndicatorValueItem]
    activities: list[PlanActivityItem]


class ActionPlanItem(Item):
    municipality: Term
    neighbourhoods: list[Wijk]
    adopted_on: dt.date | None
    period_start: int
    period_end: int
    problem_analysis: str
    residents_budget: float | None
    residents_budget_note: str
    requests_to_government: str
    goals: list[PlanGoalItem]
    experiments: list[ExperimentRef]


class SignatoryItem(Record):
    party: str
    name: str
    function: str
    organisation: str


class CommitmentItem(Record):
    party: str
    partner: str
    theme: Term
    commitment: str
    goal_code: str


class CharterItem(Item):
    municipality: Term
    signed_on: dt.date
    signatories: list[SignatoryItem]
    commitments: list[CommitmentItem]


class BarrierItem(Item):
    kind: str
    ministry: Term
    regulation: str
    description: str
    themes: list[Term]
    received_on: dt.date
    status: str
    answer: str
    answered_on: dt.date | None
    experiments: list[ExperimentRef]  # the public registrations and plans that raise it
    action_plans: list[Ref]


class PresentationItem(Record):
    title: str
    speaker: str
    document: File


class EventItem(Item):
    kind: str
    status: str
    cancellation_reason: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    venue: str
    address: str
    online: bool
    municipality: Term | None
    neighbourhoods: list[Wijk]
    themes: list[Term]
    knowledge_centre: CentreTerm | None
    programme: str
    capacity: int | None
    report: str
    presentations: list[PresentationItem]
    knowledge: list[Ref]  # what the kennisbank holds from it
    # Nothing of who registered: registrations are personal data.


def _number(value):
    return float(value) if value is not None else None


class Dumper:
    def __init__(self, base_url: str | None = None):
        # "https://kennisloket.example.nl": every URL starts with it; None: the Wagtail site's.
        self.base_url = base_url.rstrip("/") if base_url else None
        site = Site.objects.filter(is_default_site=True).first()
        self.root = self.base_url or (site.root_url if site else "")
        self.public_ids = set()
        for kind in CONTENT_KINDS:
            self.public_ids.update(kind.model.objects.live().public().values_list("pk", flat=True))

    # --- helpers --------------------------------------------------------------------------

    def url(self, page) -> str | None:
        parts = page.get_url_parts()
        if parts is None:
            return None
        _site_id, root_url, path = parts
        return (self.base_url or root_url) + path

    def absolute(self, url: str) -> str:
        return url if url.startswith(("http://", "https://")) else self.root + url

    def ref(self, page) -> dict:
        """A link to another public item."""
        ref = {
            "type": kind_of(page).key,
            "id": page.pk,
            "title": page.title,
            "url": self.url(page),
        }
        if isinstance(page, ExperimentPage):
            ref["registration_number"] = page.registration_number or None
        return ref

    def refs(self, pages) -> list[dict]:
        return [self.ref(p) for p in sorted(pages, key=lambda p: p.pk) if p.pk in self.public_ids]

    @staticmethod
    def term(item, **extra) -> dict | None:
        return {"slug": item.slug, "name": item.name, **extra} if item is not None else None

    def terms(self, items) -> list[dict]:
        return [self.term(i) for i in sorted(items, key=lambda i: i.slug)]

    @staticmethod
    def wijken(page) -> list[dict]:
        return sorted(
            (
                {"slug": neighbourhood_key(n), "name": n.name, "municipality": n.municipality.slug}
                for n in page.neighbourhoods.all()
            ),
            key=lambda w: w["slug"],
        )

    def document(self, document) -> dict | None:
        if document is None:
            return None
        return {"title": document.title, "url": self.absolute(document.url)}

    @staticmethod
    def text(html: str) -> str:
        return rich_text_to_plain(html or "")

    def common(self, page) -> dict:
        return {
            "type": kind_of(page).key,
            "id": page.pk,
            "url": self.url(page),
            "title": page.title,
            "slug": page.slug,
            "summary": page.summary,
            "search_description": page.search_description,
            "first_published_at": page.first_published_at,
            "last_published_at": page.last_published_at,
            # The programme's pages have no tags.
            "tags": sorted(t.name for t in page.tags.all()) if hasattr(page, "tags") else [],
        }

    # --- per type -------------------------------------------------------------------------

    def experiment(self, page) -> dict:
        registration = getattr(page, "registration", None)
        data = self.common(page)
        data.update(
            {
                "registration_number": registration.number if registration else None,
                "registered_at": registration.registered_at if registration else None,
                "municipality": self.term(page.municipality),
                "neighbourhoods": self.wijken(page),
                "themes": self.terms(page.themes.all()),
                "experiment_type": self.term(page.experiment_type),
                "status": page.status,
                "start_date": page.start_date,
                "planned_end_date": page.planned_end_date,
                "end_date": page.end_date,
                "stop_reason": page.stop_reason,
                "target_group": page.target_group,
                **{
                    name: self.text(getattr(page, name))
                    for name in (
                        "problem_analysis",
                        "goals",
                        "activities",
                        "mandate",
                        "research_design",
                        "obstacles",
                        "request_to_government",
                    )
                },
                "partners": [
                    {"name": p.name, "role": p.role, "contribution": p.contribution}
                    for p in page.partners.all()
                ],
                # The contact person and organisation are on the public page; the email address is not exported.
                "contact_name": page.contact_name,
                "contact_organisation": page.contact_organisation,
                "documents": [
                    {"title": d.display_title, "url": self.absolute(d.document.url)}
                    for d in page.documents.all()
                ],
                "recognition_level": self.term(recognition_level(page)),
                "evaluations": self.refs(page.live_evaluations),
                "practices": self.refs(page.practices.all()),
                "history": self.history(page, registration),
            }
        )
        return data

    def history(self, page, registration) -> list[dict]:
        if registration is None:
            return []
        url = self.url(page)
        versions, previous = [], None
        for version in sorted(registration.versions.all(), key=lambda v: v.number):
            changed = (
                [
                    f.name
                    for f in REGISTRY_FIELDS
                    if previous.get(f.name) != version.data.get(f.name)
                ]
                if previous is not None
                else []
            )
            versions.append(
                {
                    "version": version.number,
                    "published_at": version.published_at,
                    "kind": "registration" if version.number == 1 else "amendment",
                    "changed_fields": changed,
                    "url": f"{url}versies/{version.number}/" if url else None,
                }
            )
            previous = version.data
        return versions

    def practice(self, page) -> dict:
        data = self.common(page)
        source = page.source_experiment
        data.update(
            {
                "municipality": self.term(page.municipality),
                "neighbourhoods": self.wijken(page),
                "themes": self.terms(page.themes.all()),
                "experiment_type": self.term(page.experiment_type),
                "recognition_level": self.term(page.recognition_level),
                "source_experiment": self.ref(source)
                if source is not None and source.pk in self.public_ids
                else None,
                "period": page.period,
                **{
                    name: self.text(getattr(page, name))
                    for name in (
                        "problem",
                        "approach",
                        "results",
                        "success_conditions",
                        "costs",
                    )
                },
                "contact_name": page.contact_name,
                "contact_organisation": page.contact_organisation,
                "document": self.document(page.document),
                "evaluations": self.refs(page.evaluations.all()),
            }
        )
        return data

    def evaluation(self, page) -> dict:
        data = self.common(page)
        centre = page.knowledge_centre
        data.update(
            {
                "kind": page.kind,
                "method": page.method,
                "evaluator": page.evaluator,
                "knowledge_centre": self.term(centre, abbreviation=centre.abbreviation)
                if centre
                else None,
                "publication_date": page.publication_date,
                "themes": self.terms(page.themes.all()),
                "recognition_level": self.term(page.recognition_level),
                "findings": self.text(page.findings),
                "report": self.document(page.report),
                "experiments": self.refs(page.experiments.all()),
                "practices": self.refs(page.practices.all()),
            }
        )
        return data

    def expertise(self, page) -> dict:
        data = self.common(page)
        centre = page.knowledge_centre
        data.update(
            {
                "kind": page.kind,
                "knowledge_centre": self.term(centre, abbreviation=centre.abbreviation),
                "authors": page.authors,
                "publication_date": page.publication_date,
                "themes": self.terms(page.themes.all()),
                "experiment_types": self.terms(page.experiment_types.all()),
                "body": self.stream_text(page.body),
                "document": self.document(page.document),
            }
        )
        return data

    def stream_text(self, body) -> str:
        parts = []
        for block in body or []:
            kind, value = block.block_type, block.value
            if kind == "paragraph":
                parts.append(self.text(value.source))
            elif kind in ("heading", "quote"):
                parts.append(str(value))
            elif kind == "document" and value is not None:
                parts.append(value.title)
        return "\n".join(p for p in parts if p)

    def action_plan(self, page) -> dict:
        values = {}
        for value in page.indicator_values.all():
            values.setdefault(value.indicator_code, []).append(
                {
                    "year": value.year,
                    "value": float(value.value),
                    "source": value.source,
                    "note": value.note,
                }
            )
        activities = {}
        for a in page.activities.all():
            activities.setdefault(a.goal_code, []).append(
                {
                    "description": a.description,
                    "partner": a.partner,
                    "partner_role": a.partner_role,
                    "unit": a.unit,
                    "planned_quantity": float(a.planned_quantity),
                    "realised_quantity": _number(a.realised_quantity),
                    "budget": _number(a.budget),
                }
            )
        data = self.common(page)
        data.update(
            {
                "municipality": self.term(page.municipality),
                "neighbourhoods": self.wijken(page),
                "adopted_on": page.adopted_on,
                "period_start": page.period_start,
                "period_end": page.period_end,
                "problem_analysis": self.text(page.problem_analysis),
                "residents_budget": _number(page.residents_budget),
                "residents_budget_note": page.residents_budget_note,
                "requests_to_government": self.text(page.requests_to_government),
                "goals": [
                    {
                        "code": g.code,
                        "theme": self.term(g.theme),
                        "goal": g.goal,
                        "indicator": g.indicator,
                        "unit": g.unit,
                        "direction": g.direction,
                        "baseline_year": g.baseline_year,
                        "baseline_value": float(g.baseline_value),
                        "target_year": g.target_year,
                        "target_value": float(g.target_value),
                        "source": g.source,
                        "values": sorted(values.get(g.code, []), key=lambda v: v["year"]),
                        "activities": activities.get(g.code, []),
                    }
                    for g in page.goals.all()
                ],
                "experiments": self.refs(page.experiments.all()),
            }
        )
        return data

    def charter(self, page) -> dict:
        data = self.common(page)
        data.update(
            {
                "municipality": self.term(page.municipality),
                "signed_on": page.signed_on,
                "signatories": [
                    {
                        "party": s.party,
                        "name": s.name,
                        "function": s.function,
                        "organisation": s.organisation,
                    }
                    for s in page.signatories.all()
                ],
                "commitments": [
                    {
                        "party": c.party,
                        "partner": c.partner,
                        "theme": self.term(c.theme),
                        "commitment": c.commitment,
                        "goal_code": c.goal_code,
                    }
                    for c in page.commitments.all()
                ],
            }
        )
        return data

    def barrier(self, page) -> dict:
        raised_by = raising_pages(page)
        data = self.common(page)
        data.update(
            {
                "kind": page.kind,
                "ministry": self.term(page.ministry),
                "regulation": page.regulation,
                "description": self.text(page.description),
                "themes": self.terms(page.themes.all()),
                "received_on": page.received_on,
                "status": page.status,
                "answer": self.text(page.answer),
                "answered_on": page.answered_on,
                "experiments": self.refs(p for p in raised_by if isinstance(p, ExperimentPage)),
                "action_plans": self.refs(
                    p for p in raised_by if isinstance(p, NeighbourhoodActionPlanPage)
                ),
            }
        )
        return data

    def event(self, page) -> dict:
        data = self.common(page)
        centre = page.organiser
        data.update(
            {
                "kind": page.kind,
                "status": page.status,
                "cancellation_reason": page.cancellation_reason,
                "starts_at": page.starts_at,
                "ends_at": page.ends_at,
                "venue": page.venue,
                "address": page.address,
                "online": page.online,
                "municipality": self.term(page.municipality),
                "neighbourhoods": self.wijken(page),
                "themes": self.terms(page.themes.all()),
                "knowledge_centre": self.term(centre, abbreviation=centre.abbreviation)
                if centre
                else None,
                "programme": self.text(page.programme),
                "capacity": page.capacity,
                "report": self.text(page.report),
                "presentations": [
                    {"title": p.title, "speaker": p.speaker, "document": self.document(p.document)}
                    for p in page.presentations.all()
                ],
                "knowledge": self.refs(link.page.specific for link in page.knowledge_links.all()),
            }
        )
        return data

    # --- querysets ------------------------------------------------------------------------

    def querysets(self):
        return [
            (
                self.experiment,
                ExperimentItem,
                ExperimentPage.objects.live()
                .public()
                .select_related(
                    "municipality",
                    "experiment_type",
                    "registration",
                )
                .prefetch_related(
                    "neighbourhoods__municipality",
                    "themes",
                    "tags",
                    "partners",
                    "documents__document",
                    "registration__versions",
                    "practices",
                    live_evaluations(),
                ),
            ),
            (
                self.practice,
                PracticeItem,
                PracticePage.objects.live()
                .public()
                .select_related(
                    "municipality",
                    "experiment_type",
                    "recognition_level",
                    "source_experiment__registration",
                    "document",
                )
                .prefetch_related("neighbourhoods__municipality", "themes", "tags", "evaluations"),
            ),
            (
                self.evaluation,
                EvaluationItem,
                EvaluationPage.objects.live()
                .public()
                .select_related(
                    "knowledge_centre",
                    "recognition_level",
                    "report",
                )
                .prefetch_related("themes", "tags", "experiments__registration", "practices"),
            ),
            (
                self.expertise,
                ExpertiseItem,
                ExpertisePage.objects.live()
                .public()
                .select_related(
                    "knowledge_centre",
                    "document",
                )
                .prefetch_related("themes", "experiment_types", "tags"),
            ),
            (
                self.action_plan,
                ActionPlanItem,
                NeighbourhoodActionPlanPage.objects.live()
                .public()
                .select_related("municipality")
                .prefetch_related(
                    "neighbourhoods__municipality",
                    "goals__theme",
                    "activities",
                    "indicator_values",
                    "experiments__registration",
                ),
            ),
            (
                self.charter,
                CharterItem,
                CharterPage.objects.live()
                .public()
                .select_related("municipality")
                .prefetch_related("signatories", "commitments__theme"),
            ),
            (
                self.barrier,
                BarrierItem,
                BarrierPage.objects.live()
                .public()
                .select_related("ministry")
                .prefetch_related("themes"),
            ),
            (
                self.event,
                EventItem,
                EventPage.objects.live()
                .public()
                .select_related("municipality", "organiser")
                .prefetch_related(
                    "themes",
                    "neighbourhoods__municipality",
                    "presentations__document",
                    "knowledge_links__page",
                ),
            ),
        ]

    def items(self) -> Iterator[dict]:
        for serialise, record, queryset in self.querysets():
            for page in by_pk_in_chunks(queryset, CHUNK_SIZE):
                yield record.model_validate(serialise(page)).model_dump()


def dump_lines(base_url: str | None = None) -> Iterator[str]:
    """The dump, one JSON text (without newline) per public item."""
    for item in Dumper(base_url).items():
        yield json.dumps(item, cls=DjangoJSONEncoder, ensure_ascii=False, separators=(",", ":"))
