"""The monitor's chart per goal: server-rendered SVG, like the overview's charts.

The measured values are dots joined by a solid line; the baseline is a square, the target a
diamond, and the straight path from baseline to target a dashed line, so the kinds differ in
shape and line style, not in colour alone. The SVG has role="img", is labelled and described
by elements of the page, and each point has a <title>; the numbers are in the table beside it.
"""

from __future__ import annotations

import math
from decimal import Decimal

from django.utils.formats import number_format
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from core.charts import AXIS_COLOUR, FONT_SIZE, GRID_COLOUR, PALETTE, TEXT_COLOUR

WIDTH = 520
HEIGHT = 240
LEFT = 64  # the value labels
RIGHT = 24
TOP = 16
BOTTOM = 36  # the year labels
VALUE_COLOUR = PALETTE[0]
PATH_COLOUR = PALETTE[6]
TARGET_COLOUR = PALETTE[1]


def plain_number(value) -> str:
    """A value as the Dutch write it, without trailing zeros: 12,5 and 14, not 14,00."""
    value = Decimal(value).quantize(Decimal("0.01"))
    text = format(value, "f").rstrip("0").rstrip(".")
    return number_format(Decimal(text), use_l10n=True)


def nice_step(span: Decimal, ticks: int = 4) -> Decimal:
    """A tick step of 1, 2 or 5 times a power of ten giving about `ticks` ticks."""
    if span <= 0:
        return Decimal(1)
    raw = span / ticks
    power = Decimal(10) ** math.floor(math.log10(raw))
    for factor in (1, 2, 5, 10):
        if factor * power >= raw:
            return factor * power
    return 10 * power  # pragma: no cover - the loop always returns


def goal_chart(result, *, labelledby: str, describedby: str, title: str) -> SafeString:
    """The chart of one programme.monitor.GoalMonitor."""
    goal = result.goal
    points = [(v.year, v.value) for v in result.values]
    years = [goal.baseline_year, goal.target_year] + [y for y, _v in points]
    first, last = min(years), max(years)
    numbers = [goal.baseline_value, goal.target_value] + [v for _y, v in points]
    step = nice_step(max(numbers) - min(numbers))
    low = math.floor(min(numbers) / step) * step
    high = max(low + step, math.ceil(max(numbers) / step) * step)
    plot_width = WIDTH - LEFT - RIGHT
    plot_height = HEIGHT - TOP - BOTTOM

    def x(year):
        return round(LEFT + (year - first) * plot_width / max(last - first, 1), 1)

    def y(value):
        return round(TOP + float((high - Decimal(value)) / (high - low)) * plot_height, 1)

    parts = [
        format_html(
            '<svg xmlns="http://www.w3.org/2000/svg" class="chart chart--monitor" '
            'viewBox="0 0 {w} {h}" width="{w}" height="{h}" role="img" aria-labelledby="{lb}" '
            'aria-describedby="{db}" font-size="{fs}" fill="{text}">',
            w=WIDTH,
            h=HEIGHT,
            lb=labelledby,
            db=describedby,
            fs=FONT_SIZE,
            text=TEXT_COLOUR,
        ),
        format_html("<title>{}</title>", title),
        mark_safe('<g class="chart__grid" aria-hidden="true">'),
    ]
    tick = low
    while tick <= high:
        parts.append(
            format_html(
                '<line x1="{x1}" x2="{x2}" y1="{y}" y2="{y}" stroke="{c}" stroke-width="1"/>'
                '<text x="{tx}" y="{y}" text-anchor="end" dominant-baseline="central">{v}</text>',
                x1=LEFT,
                x2=WIDTH - RIGHT,
                y=y(tick),
                c=GRID_COLOUR if tick != low else AXIS_COLOUR,
                tx=LEFT - 8,
                v=plain_number(tick),
            )
        )
        tick += step
    year_step = max(1, math.ceil((last - first) / 8))
    for year in range(first, last + 1, year_step):
        parts.append(
            format_html(
                '<text x="{x}" y="{y}" text-anchor="middle">{year}</text>',
                x=x(year),
                y=HEIGHT - BOTTOM + 20,
                year=year,
            )
        )
    parts.append(mark_safe("</g>"))

    # The straight path from baseline to target, then the baseline and the target.
    parts.append(
        format_html(
            '<line class="chart__path" x1="{x1}" y1="{y1}" x2="{x2}" y2="{y2}" stroke="{c}" '
            'stroke-width="2" stroke-dasharray="6 4"/>',
            x1=x(goal.baseline_year),
            y1=y(goal.baseline_value),
            x2=x(goal.target_year),
            y2=y(goal.target_value),
            c=PATH_COLOUR,
        )
    )
    parts.append(
        format_html(
            '<rect class="chart__baseline" x="{x}" y="{y}" width="10" height="10" fill="{c}">'
            "<title>{t}</title></rect>",
            x=x(goal.baseline_year) - 5,
            y=y(goal.baseline_value) - 5,
            c=PATH_COLOUR,
            t=_("Baseline %(year)s: %(value)s")
            % {"year": goal.baseline_year, "value": plain_number(goal.baseline_value)},
        )
    )
    tx, ty = x(goal.target_year), y(goal.target_value)
    parts.append(
        format_html(
            '<polygon class="chart__target" points="{a} {b} {c} {d}" fill="{colour}">'
            "<title>{t}</title></polygon>",
            a=f"{tx},{ty - 7}",
            b=f"{tx + 7},{ty}",
            c=f"{tx},{ty + 7}",
            d=f"{tx - 7},{ty}",
            colour=TARGET_COLOUR,
            t=_("Target %(year)s: %(value)s")
            % {"year": goal.target_year, "value": plain_number(goal.target_value)},
        )
    )

    # The measured values.
    if len(points) > 1:
        parts.append(
            format_html(
                '<polyline class="chart__values" points="{p}" fill="none" stroke="{c}" '
                'stroke-width="2"/>',
                p=" ".join(f"{x(year)},{y(value)}" for year, value in points),
                c=VALUE_COLOUR,
            )
        )
    for year, value in points:
        parts.append(
            format_html(
                '<circle class="chart__value" cx="{cx}" cy="{cy}" r="5" fill="{c}" '
                'data-year="{year}" data-value="{raw}"><title>{year}: {v}</title></circle>',
                cx=x(year),
                cy=y(value),
                c=VALUE_COLOUR,
                year=year,
                raw=value,
                v=plain_number(value),
            )
        )
    parts.append(mark_safe("</svg>"))
    return mark_safe("".join(parts))
