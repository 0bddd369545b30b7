"""The three questions per goal, on hand-made goals, values and prestaties (nothing saved),
and the fixed number of queries for any number of plans."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from programme.models import IndicatorValue, PlanActivity, PlanGoal
from programme.monitor import Effect, judge, monitor_plan, monitor_plans
from tests.factories import NeighbourhoodActionPlanPageFactory


def goal(direction="lager", baseline=(2007, 14), target=(2015, 8)):
    return PlanGoal(
        code="werkloosheid",
        direction=direction,
        baseline_year=baseline[0],
        baseline_value=Decimal(baseline[1]),
        target_year=target[0],
        target_value=Decimal(target[1]),
    )


def values(*pairs):
    return [IndicatorValue(year=year, value=Decimal(str(value))) for year, value in pairs]


def prestaties(*pairs):
    return [
        PlanActivity(planned_quantity=Decimal(planned), realised_quantity=realised)
        for planned, realised in pairs
    ]


def test_lower_is_better_reached_at_or_below_target():
    assert judge(goal(), values((2009, 12), (2011, 8)), []).effect == Effect.REACHED
    assert judge(goal(), values((2011, 7.5)), []).effect == Effect.REACHED


def test_lower_is_better_on_course_and_behind():
    # 2011 is half way from 2007 to 2015: 11 is exactly half way from 14 to 8 (on course),
    # 11.5 is not.
    on_course = judge(goal(), values((2011, 11)), [])
    assert (on_course.effect, on_course.progress, on_course.elapsed) == (
        Effect.ON_COURSE,
        Decimal("0.5"),
        Decimal("0.5"),
    )
    assert judge(goal(), values((2011, 11.5)), []).effect == Effect.BEHIND
    # Worse than the baseline: behind.
    assert judge(goal(), values((2009, 15)), []).effect == Effect.BEHIND


def test_higher_is_better():
    higher = goal("hoger", baseline=(2008, 60), target=(2012, 80))
    assert judge(higher, values((2010, 70)), []).effect == Effect.ON_COURSE
    assert judge(higher, values((2010, 65)), []).effect == Effect.BEHIND
    assert judge(higher, values((2012, 80)), []).effect == Effect.REACHED
    # The lower value of a higher-is-better goal is not "reached".
    assert judge(higher, values((2012, 50)), []).effect == Effect.BEHIND


def test_the_latest_value_counts_whatever_the_order():
    result = judge(goal(), values((2013, 13), (2009, 9)), [])
    assert (result.latest.year, result.effect) == (2013, Effect.BEHIND)


def test_past_the_target_year_all_time_has_elapsed():
    # 2017, after the target year 2015: 10 is two thirds of the way, not all of it.
    assert judge(goal(), values((2017, 10)), []).effect == Effect.BEHIND


def test_a_goal_without_values_after_its_baseline_has_no_data():
    assert judge(goal(), [], []).effect == Effect.NO_DATA
    assert judge(goal(), values((2007, 14), (2005, 16)), []).effect == Effect.NO_DATA


def test_prestaties_share_counts_delivered_prestaties():
    result = judge(goal(), [], prestaties((400, 400), (100, 150), (50, 10), (20, None)))
    assert (result.delivered, result.agreed, result.delivered_share) == (2, 4, Decimal("0.5"))


def test_delivered_but_not_effective_is_flagged():
    delivered = prestaties((400, 400), (100, 120), (10, 10), (10, 10), (10, 2))  # 4 of 5
    behind = judge(goal(), values((2011, 13)), delivered)
    assert behind.effect == Effect.BEHIND and behind.reconsider
    # Not delivered enough (3 of 5): the prestaties come first, nothing to reconsider yet.
    half = prestaties((400, 400), (100, 120), (10, 10), (10, 1), (10, 2))
    assert not judge(goal(), values((2011, 13)), half).reconsider
    # Delivered and on course: nothing to reconsider.
    assert not judge(goal(), values((2011, 10)), delivered).reconsider
    # Delivered and no data: nothing to judge.
    assert not judge(goal(), [], delivered).reconsider


def test_a_goal_without_prestaties_has_no_share_and_no_flag():
    result = judge(goal(), values((2011, 13)), [])
    assert (result.effect, result.delivered_share, result.reconsider) == (
        Effect.BEHIND,
        None,
        False,
    )


@pytest.mark.django_db
def test_monitor_of_plans_in_three_queries_however_many():
    plans = [NeighbourhoodActionPlanPageFactory(published=True) for _ in range(3)]
    for plan, value in zip(plans, (9, 11, 13), strict=True):
        IndicatorValue.objects.create(
            plan=plan, indicator_code="werkloosheid", year=2011, value=value, source="CBS"
        )
    with CaptureQueriesContext(connection) as one:
        monitor_plan(plans[0])
    with CaptureQueriesContext(connection) as three:
        monitors = monitor_plans(plans)
    assert len(one) == len(three) == 3
    assert [m.goals[0].effect for m in monitors] == [
        Effect.ON_COURSE,
        Effect.ON_COURSE,
        Effect.BEHIND,
    ]
    # The factory's prestatie: 250 of 400 delivered.
    assert monitors[2].goals[0].delivered_share == 0
