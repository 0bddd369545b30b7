"""What a barrier entry's public page shows besides its fields: who raises it, grouped by
gemeente, and its status history read from the page's published revisions."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.utils import timezone
from wagtail.models import PageLogEntry

from experiments.models import ExperimentPage

from .choices import BarrierStatus


@dataclass
class RaisingMunicipality:
    municipality: object
    experiments: list = field(default_factory=list)
    action_plans: list = field(default_factory=list)


@dataclass
class RaisedBy:
    municipalities: list[RaisingMunicipality]
    # Withdrawn registrations that raised it: listed by number (a reader may cite one), but
    # not counted, since the gemeente took the registration back.
    withdrawn: list

    @property
    def municipality_count(self) -> int:
        return len(self.municipalities)


def raised_by(page) -> RaisedBy:
    """Every live, public registration and plan that raises `page`, per gemeente (each
    gemeente once however many of its registrations and plans raise it), in four queries."""
    groups: dict[int, RaisingMunicipality] = {}

    def group_of(item) -> RaisingMunicipality:
        return groups.setdefault(
            item.municipality_id, RaisingMunicipality(municipality=item.municipality)
        )

    from .models import NeighbourhoodActionPlanPage  # the models import this module

    # Read the ids from the relations themselves: in a preview they hold unsaved choices.
    experiments = ExperimentPage.objects.filter(
        pk__in=[e.pk for e in page.experiments.all()]
    ).select_related("municipality", "registration")
    for experiment in experiments.live().public().not_withdrawn().order_by("title"):
        group_of(experiment).experiments.append(experiment)
    plans = NeighbourhoodActionPlanPage.objects.filter(
        pk__in=[p.pk for p in page.action_plans.all()]
    )
    for plan in plans.live().public().select_related("municipality").order_by("title"):
        group_of(plan).action_plans.append(plan)
    # A withdrawn registration that was private stays unknown, as in the withdrawals list.
    withdrawn = (
        experiments.filter(registration__withdrawn_at__isnull=False)
        .filter(pk__in=ExperimentPage.objects.public().values("pk"))
        .order_by("registration__number")
    )
    return RaisedBy(
        municipalities=sorted(groups.values(), key=lambda g: g.municipality.name),
        withdrawn=list(withdrawn),
    )


@dataclass(frozen=True)
class StatusChange:
    published_on: dt.date
    status: str
    status_label: str
    answered_on: dt.date | None
    answer_event: str  # "given" (the first answer), "changed", or "" (the answer stayed)


def status_history(page) -> list[StatusChange]:
    """One step per published revision that changed the status or the answer, oldest first.
    Read from Wagtail's publish log (one query), so drafts never show."""
    steps: list[StatusChange] = []
    if page.pk is None:  # a preview of an entry never saved: nothing published yet
        return steps
    previous = {"status": None, "answer": ""}
    entries = (
        PageLogEntry.objects.filter(page=page, action="wagtail.publish", revision__isnull=False)
        .select_related("revision")
        .order_by("timestamp", "pk")
    )
    for entry in entries:
        content = entry.revision.content
        status, answer = content.get("status"), content.get("answer") or ""
        if status == previous["status"] and answer == previous["answer"]:
            continue
        answered_on = content.get("answered_on")
        steps.append(
            StatusChange(
                published_on=timezone.localdate(entry.timestamp),
                status=status,
                status_label=BarrierStatus(status).label if status in BarrierStatus else status,
                answered_on=dt.date.fromisoformat(answered_on) if answered_on else None,
                answer_event=(
                    ""
                    if answer == previous["answer"] or not answer
                    else "changed"
                    if previous["answer"]
                    else "given"
                ),
            )
        )
        previous = {"status": status, "answer": answer}
    return steps
