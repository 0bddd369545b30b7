"""The monitor's three questions, per goal of a plan: is the effect there, are the prestaties
delivered, and should the plan be reconsidered?

The rules (the same words are on the plan page and in the README, so a reader can check them):

- effect, from the goal's values after its baseline year, judged at the latest of them:
  "bereikt" when that value is at or past the target in the goal's direction; "op koers" when
  the progress made from the baseline towards the target is at least the share of the time
  from baseline year to target year that has passed by that value's year; "achter" otherwise;
  "geen gegevens" when there is no value after the baseline year.
- prestaties: the share of the goal's prestaties (the plan's prestaties naming its code) that
  are delivered, a prestatie being delivered when what is delivered so far is at least what
  was agreed. The share counts prestaties, it does not weigh quantities: prestaties of one
  goal are counted in different units (homes, pupils, trajecten).
- reconsider ("bijstellen?"): when at least RECONSIDER_SHARE of the goal's prestaties are
  delivered and the effect is still "achter": doing what was agreed does not bring the goal.

Everything is computed from rows loaded in a fixed number of queries (goals with their theme,
prestaties, values), for one plan or for any number of plans.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _

from .models import IndicatorValue, PlanActivity, PlanGoal

RECONSIDER_SHARE = Decimal("0.8")


class Effect(models.TextChoices):
    REACHED = "bereikt", _("reached")
    ON_COURSE = "op-koers", _("on course")
    BEHIND = "achter", _("behind")
    NO_DATA = "geen-gegevens", _("no data")


@dataclass
class GoalMonitor:
    goal: PlanGoal
    values: list[IndicatorValue]  # every value of the goal's indicator, by year
    activities: list[PlanActivity]
    effect: str = Effect.NO_DATA
    latest: IndicatorValue | None = None
    progress: Decimal | None = None  # share of the way from baseline to target, at `latest`
    elapsed: Decimal | None = None  # share of the time from baseline to target year, at `latest`
    delivered: int = 0
    reconsider: bool = False

    @property
    def effect_label(self):
        return Effect(self.effect).label

    @property
    def agreed(self) -> int:
        return len(self.activities)

    @property
    def delivered_share(self) -> Decimal | None:
        return Decimal(self.delivered) / self.agreed if self.activities else None

    def path_value(self, year: int) -> Decimal:
        """The value the straight line from baseline to target gives for `year`."""
        goal = self.goal
        if goal.target_year == goal.baseline_year:
            return goal.target_value
        step = (goal.target_value - goal.baseline_value) / (goal.target_year - goal.baseline_year)
        return goal.baseline_value + step * (year - goal.baseline_year)


@dataclass
class PlanMonitor:
    plan: object
    goals: list[GoalMonitor] = field(default_factory=list)

    def count(self, effect: str) -> int:
        return sum(1 for g in self.goals if g.effect == effect)


def is_delivered(activity: PlanActivity) -> bool:
    return (
        activity.realised_quantity is not None
        and activity.realised_quantity >= activity.planned_quantity
    )


def judge(goal: PlanGoal, values: list[IndicatorValue], activities: list[PlanActivity]):
    """The three answers for one goal, from its values (any order) and its prestaties."""
    values = sorted(values, key=lambda v: v.year)
    result = GoalMonitor(goal=goal, values=values, activities=activities)
    result.delivered = sum(1 for a in activities if is_delivered(a))
    later = [v for v in values if v.year > goal.baseline_year]
    if later:
        latest = result.latest = later[-1]
        sign = 1 if goal.direction == "hoger" else -1
        distance = (goal.target_value - goal.baseline_value) * sign
        if (latest.value - goal.target_value) * sign >= 0:
            result.effect = Effect.REACHED
        else:
            span = goal.target_year - goal.baseline_year
            result.elapsed = (
                min(Decimal(latest.year - goal.baseline_year) / span, Decimal(1))
                if span > 0
                else Decimal(1)
            )
            # A target at or behind the baseline (distance <= 0) and not reached: no progress.
            result.progress = (
                (latest.value - goal.baseline_value) * sign / distance if distance > 0 else None
            )
            on_course = result.progress is not None and result.progress >= result.elapsed
            result.effect = Effect.ON_COURSE if on_course else Effect.BEHIND
    share = result.delivered_share
    result.reconsider = (
        result.effect == Effect.BEHIND and share is not None and share >= RECONSIDER_SHARE
    )
    return result


def monitor_plans(plans) -> list[PlanMonitor]:
    """The monitor of each plan of `plans` (pages or ids of NeighbourhoodActionPlanPage), in
    three queries however many plans and goals."""
    plans = list(plans)
    ids = [getattr(p, "pk", p) for p in plans]
    goals = defaultdict(list)
    for goal in PlanGoal.objects.filter(page_id__in=ids).select_related("theme"):
        goals[goal.page_id].append(goal)
    activities = defaultdict(list)
    for activity in PlanActivity.objects.filter(page_id__in=ids):
        activities[activity.page_id, activity.goal_code].append(activity)
    values = defaultdict(list)
    for value in IndicatorValue.objects.filter(plan_id__in=ids):
        values[value.plan_id, value.indicator_code].append(value)
    return [
        PlanMonitor(
            plan=plan,
            goals=[
                judge(goal, values[pk, goal.code], activities[pk, goal.code]) for goal in goals[pk]
            ],
        )
        for plan, pk in zip(plans, ids, strict=True)
    ]


def monitor_plan(plan) -> PlanMonitor:
    return monitor_plans([plan])[0]
