"""{% plan_monitor plan %}: per goal of a wijkactieplan its chart, the three answers and the
share of prestaties delivered (templates/programme/includes/plan_monitor.html, after `{% load monitor_tags %}`). The page
showing it loads css/figures.css (the charts' and tables' styles)."""

from django import template
from django.utils.translation import gettext as _

from programme.charts import goal_chart
from programme.charts import plain_number as _plain_number
from programme.monitor import RECONSIDER_SHARE, monitor_plan

register = template.Library()


@register.inclusion_tag("programme/includes/plan_monitor.html")
def plan_monitor(plan, heading_level=2):
    """`heading_level`: the level of the monitor's heading (its goals one below)."""
    monitor = monitor_plan(plan)
    goals = []
    for index, result in enumerate(monitor.goals, start=1):
        ident = f"monitor-{plan.pk}-{index}"
        goals.append(
            {
                "result": result,
                "id": ident,
                "chart": goal_chart(
                    result,
                    labelledby=f"{ident}-heading",
                    describedby=f"{ident}-summary",
                    title=_("Monitor: %(goal)s") % {"goal": result.goal.goal},
                ),
                "years": [(value, result.path_value(value.year)) for value in result.values],
            }
        )
    return {
        "plan": plan,
        "goals": goals,
        "heading_level": heading_level,
        "goal_heading_level": heading_level + 1,
        "reconsider_percent": int(RECONSIDER_SHARE * 100),
    }


@register.filter
def plain_number(value):
    return _plain_number(value)


@register.filter
def percentage(share):
    """0.5 → "50%": a share of prestaties, rounded to whole percents."""
    return f"{round(share * 100)}%"
