"""The national monitor (/wijkactieplannen/monitor/): every wijk × every theme, each cell the
effect answers of that wijk's plan goals on that theme, in a fixed number of queries."""

from collections import Counter, defaultdict

from django.utils.translation import gettext_lazy as _

from vocabulary.models import Neighbourhood, Theme

from .models import NeighbourhoodActionPlanPage
from .monitor import RECONSIDER_SHARE, Effect, monitor_plans

# The order of the counts in a cell: the good news first, "no data" last.
EFFECT_ORDER = [Effect.REACHED, Effect.ON_COURSE, Effect.BEHIND, Effect.NO_DATA]


def national_monitor(page, request):
    themes = list(Theme.objects.order_by("-is_main_theme", "name"))
    neighbourhoods = list(
        Neighbourhood.objects.filter(is_krachtwijk=True)
        .select_related("municipality")
        .order_by("municipality__name", "name")
    )
    plans = list(
        NeighbourhoodActionPlanPage.objects.live()
        .public()
        .prefetch_related("neighbourhoods")
        .order_by("title")
    )
    # (wijk id, theme id) → effects of the goals on that theme of the plans for that wijk
    effects = defaultdict(Counter)
    plans_of = defaultdict(list)
    for monitor in monitor_plans(plans):
        for neighbourhood in monitor.plan.neighbourhoods.all():
            plans_of[neighbourhood.pk].append(monitor.plan)
            for result in monitor.goals:
                effects[neighbourhood.pk, result.goal.theme_id][result.effect] += 1
    rows = [
        {
            "neighbourhood": neighbourhood,
            "plans": plans_of[neighbourhood.pk],
            "cells": [
                (
                    theme,
                    [
                        (effect, Effect(effect).label, effects[neighbourhood.pk, theme.pk][effect])
                        for effect in EFFECT_ORDER
                        if effects[neighbourhood.pk, theme.pk][effect]
                    ],
                )
                for theme in themes
            ],
        }
        for neighbourhood in neighbourhoods
    ]
    return page.render(
        request,
        template="programme/national_monitor.html",
        context_overrides={
            "themes": themes,
            "rows": rows,
            "with_plan": sum(1 for row in rows if row["plans"]),
            "reconsider_percent": int(RECONSIDER_SHARE * 100),
            "crumbs": [(_("Monitor of all wijken"), None)],
        },
    )
