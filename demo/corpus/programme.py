"""The programme's loop in the demo corpus (programme.yaml): wijkactieplannen, charters, the
monitor's indicator values, the barrier register, the Rijk's remarks on plans and visitatie
reports, loaded after the registry, whose experiments they link to by slug.

Plans, charters and barrier entries are published through Wagtail revisions on the days
the YAML gives, with the clock set to that day (registry.clock_at), so their public history
shows real versions:

- a plan or charter entry holds its fields as they stand on the demo date; its amendments
  say what each changed (`was`: earlier values of its fields; `added`: how many of the last
  prestaties or commitments came with it; `renamed`: partners renamed by it, new name: old),
  and the versions before are found by undoing them,
  newest first, as for the experiments;
- a barrier entry is published as received (status "ontvangen") on `received_on`; each of its
  `steps` is a later publication with the status and the answer as they then stood;
- a version links the experiments and plans of its entry that were published by its day,
  so a registration raised after an answer joins the entry with the next step.

Indicator values are measurements, not revisions: they are stored with their plan, each with
its goal's source. Remarks and visitatie reports are plain records. Loading twice changes
nothing: pages are found by slug, remarks by plan and date, reports by gemeente and year.
"""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction

from experiments.models import ExperimentPage
from places.models import BarrierIndexPage
from programme.choices import BarrierStatus
from programme.models import (
    BarrierPage,
    CharterCommitment,
    CharterPage,
    CharterSignatory,
    IndicatorValue,
    Ministry,
    MunicipalityProgrammePage,
    NeighbourhoodActionPlanPage,
    PlanActivity,
    PlanAnnotation,
    PlanGoal,
    VisitationReport,
)
from vocabulary.models import Municipality, Neighbourhood, Theme

from .knowledge import html, one_line, pdf_document, read
from .registry import clock_at, entries


@dataclass
class Version:
    """One publication of a plan or charter: its day, the change note, its fields."""

    day: dt.date
    note: str
    state: dict


def versions(entry: dict, rows: str) -> list[Version]:
    """Every publication of a plan or charter entry, the first first; `rows` names the child
    rows an amendment may add (activities or commitments)."""
    current = {**entry, rows: list(entry.get(rows, []))}
    steps = sorted(entry.get("amendments", []), key=lambda a: a["date"])
    states = [current]
    for amendment in reversed(steps):
        before = {**states[0], **amendment.get("was", {})}
        added = amendment.get("added", {}).get(rows, 0)
        if added:
            before[rows] = before[rows][:-added]
        renamed = amendment.get("renamed", {})
        before[rows] = [
            {**row, "partner": renamed.get(row.get("partner"), row.get("partner", ""))}
            for row in before[rows]
        ]
        states.insert(0, before)
    result = [Version(entry["published"], "", states[0])]
    result += [
        Version(a["date"], one_line(a["note"]), s) for a, s in zip(steps, states[1:], strict=True)
    ]
    return result


def data() -> dict:
    return read("programme")


class ProgrammeLoader:
    def __init__(self, stdout=None):
        self.stdout = stdout
        self.created = {"wijkactieplan": 0, "charter": 0, "belemmering": 0}
        self.sections = {
            p.municipality.slug: p
            for p in MunicipalityProgrammePage.objects.select_related("municipality")
        }
        self.municipalities = {m.slug: m for m in Municipality.objects.all()}
        self.neighbourhoods = {
            (n.municipality.slug, n.slug): n
            for n in Neighbourhood.objects.select_related("municipality")
        }
        self.themes = {t.slug: t for t in Theme.objects.all()}
        self.ministries = {m.slug: m for m in Ministry.objects.all()}
        # When each experiment of the registry was first published: a version links only
        # what was public on its day.
        self.experiment_published = {e["key"]: e["published"] for e in entries()}
        self.plan_published: dict[str, dt.date] = {}

    def load(self) -> dict[str, int]:
        corpus = data()
        for entry in corpus["plans"]:
            self.plan_published[entry["key"]] = entry["published"]
            with transaction.atomic():
                self.created["wijkactieplan"] += self.make_plan(entry)
        for entry in corpus["charters"]:
            with transaction.atomic():
                self.created["charter"] += self.make_charter(entry)
        for entry in corpus["barriers"]:
            with transaction.atomic():
                self.created["belemmering"] += self.make_barrier(entry)
        with transaction.atomic():
            for remark in corpus["annotations"]:
                self.make_annotation(remark)
            for report in corpus["visitations"]:
                self.make_visitation(report)
        if self.stdout is not None:
            parts = ", ".join(f"{kind}: {n}" for kind, n in self.created.items())
            self.stdout.write(f"Programme corpus: {parts} new.")
        return self.created

    def experiments(self, slugs: list[str], day: dt.date) -> list[ExperimentPage]:
        public = [s for s in slugs if self.experiment_published[s] <= day]
        return list(ExperimentPage.objects.filter(slug__in=public))

    @staticmethod
    def publish(page, parent, day: dt.date, first: bool):
        """Publish `page` as of `day`; the first time it is added to the tree as a draft
        first, as an editor's would be. Returns the page as stored."""
        with clock_at(day):
            if first:
                page.live = False
                parent.add_child(instance=page)
            page.save_revision().publish()
        return type(page).objects.get(pk=page.pk)

    # --- wijkactieplannen ------------------------------------------------------------------

    def make_plan(self, entry: dict) -> bool:
        if NeighbourhoodActionPlanPage.objects.filter(slug=entry["key"]).exists():
            return False
        gemeente = entry["gemeente"]
        page = NeighbourhoodActionPlanPage(slug=entry["key"])
        page.neighbourhoods = [self.neighbourhoods[(gemeente, w)] for w in entry["wijken"]]
        for number, version in enumerate(versions(entry, "activities")):
            state = version.state
            page.title = state["title"]
            page.summary = one_line(state["summary"])
            page.adopted_on = state["adopted_on"]
            page.period_start = state.get("period_start", 2008)
            page.period_end = state.get("period_end", 2017)
            page.problem_analysis = html(state["problem_analysis"])
            page.residents_budget = state.get("residents_budget")
            page.residents_budget_note = one_line(state.get("residents_budget_note", ""))
            page.requests_to_government = html(state.get("requests"))
            page.goals = [self.goal(g) for g in state["goals"]]
            page.activities = [self.activity(a) for a in state["activities"]]
            page.experiments = self.experiments(state.get("experiments", []), version.day)
            page.change_note = version.note
            page = self.publish(page, self.sections[gemeente], version.day, first=number == 0)
        IndicatorValue.objects.bulk_create(
            IndicatorValue(
                plan=page,
                indicator_code=goal["code"],
                year=year,
                value=Decimal(str(value)),
                source=goal["source"],
            )
            for goal in entry["goals"]
            for year, value in goal.get("values", {}).items()
        )
        return True

    def goal(self, goal: dict) -> PlanGoal:
        return PlanGoal(
            theme=self.themes[goal["theme"]],
            goal=goal["goal"],
            code=goal["code"],
            indicator=goal["indicator"],
            unit=goal["unit"],
            direction=goal["direction"],
            baseline_year=goal["baseline"][0],
            baseline_value=Decimal(str(goal["baseline"][1])),
            target_year=goal["target"][0],
            target_value=Decimal(str(goal["target"][1])),
            source=goal["source"],
        )

    @staticmethod
    def activity(activity: dict) -> PlanActivity:
        return PlanActivity(
            goal_code=activity["goal"],
            description=activity["description"],
            partner=activity["partner"],
            partner_role=activity.get("role", ""),
            unit=activity["unit"],
            planned_quantity=Decimal(str(activity["planned"])),
            realised_quantity=Decimal(str(activity["realised"])),
            budget=activity.get("budget"),
        )

    # --- charters --------------------------------------------------------------------------

    def make_charter(self, entry: dict) -> bool:
        if CharterPage.objects.filter(slug=entry["key"]).exists():
            return False
        page = CharterPage(slug=entry["key"])
        for number, version in enumerate(versions(entry, "commitments")):
            state = version.state
            page.title = state["title"]
            page.summary = one_line(state["summary"])
            page.signed_on = state["signed_on"]
            page.signatories = [
                CharterSignatory(
                    party=s["party"],
                    name=s["name"],
                    function=s["function"],
                    organisation=s.get("organisation", ""),
                )
                for s in state["signatories"]
            ]
            page.commitments = [
                CharterCommitment(
                    party=c["party"],
                    partner=c.get("partner", ""),
                    theme=self.themes[c["theme"]],
                    commitment=c["commitment"],
                    goal_code=c.get("goal", ""),
                )
                for c in state["commitments"]
            ]
            page.change_note = version.note
            page = self.publish(
                page, self.sections[entry["gemeente"]], version.day, first=number == 0
            )
        return True

    # --- the barrier register --------------------------------------------------------------

    def make_barrier(self, entry: dict) -> bool:
        if BarrierPage.objects.filter(slug=entry["key"]).exists():
            return False
        parent = BarrierIndexPage.objects.get()
        page = BarrierPage(
            slug=entry["key"],
            title=entry["title"],
            kind=entry["kind"],
            ministry=self.ministries[entry["ministry"]],
            regulation=entry.get("regulation", ""),
            summary=one_line(entry["summary"]),
            received_on=entry["received_on"],
        )
        page.themes = [self.themes[t] for t in entry["themes"]]
        received = {"date": entry["received_on"], "status": BarrierStatus.RECEIVED}
        for number, step in enumerate([received, *entry.get("steps", [])]):
            page.status = step["status"]
            if step.get("answer"):
                page.answer = html(step["answer"])
                page.answered_on = step["date"]
            page.experiments = self.experiments(entry.get("experiments", []), step["date"])
            page.action_plans = list(
                NeighbourhoodActionPlanPage.objects.filter(
                    slug__in=[
                        p for p in entry.get("plans", []) if self.plan_published[p] <= step["date"]
                    ]
                )
            )
            page = self.publish(page, parent, step["date"], first=number == 0)
        return True

    # --- remarks and visitaties ------------------------------------------------------------

    @staticmethod
    def make_annotation(remark: dict) -> None:
        PlanAnnotation.objects.get_or_create(
            plan=NeighbourhoodActionPlanPage.objects.get(slug=remark["plan"]),
            written_on=remark["written_on"],
            author=remark["author"],
            defaults={"text": one_line(remark["text"])},
        )

    def make_visitation(self, report: dict) -> None:
        municipality = self.municipalities[report["gemeente"]]
        if VisitationReport.objects.filter(municipality=municipality, year=report["year"]).exists():
            return
        with clock_at(report["published_on"]):
            document = pdf_document(report["title"], report["paragraphs"])
        VisitationReport.objects.create(
            municipality=municipality,
            year=report["year"],
            title=report["title"],
            committee=report["committee"],
            summary=one_line(report["summary"]),
            published_on=report["published_on"],
            document=document,
        )


def load(stdout=None) -> dict[str, int]:
    """Load the programme half of the corpus (after the registry); returns how many pages of
    each kind were created."""
    return ProgrammeLoader(stdout=stdout).load()
