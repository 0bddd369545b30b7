"""Server-rendered SVG charts: no JavaScript, no chart library, nothing fetched by the browser.

A chart is an image with a text alternative: the SVG has role="img" and is labelled and
described by elements of the page (a heading and a written summary); the numbers themselves
are in the data table next to it. Each bar segment carries data-* attributes and a <title>
(shown as a tooltip) with its row, series and count.

Colours (WCAG 2.1): every bar colour has a contrast of at least 3:1 against the white page
(1.4.11, non-text contrast), segments are separated by a white gap so no two colours touch,
the stacking order is the legend's order, and text is #1a1a1a (17.4:1, 1.4.3). Contrast
against white, and the smallest colour difference (CIE76 ΔE) of the first six under simulated
colour blindness (Machado 2009): normal 41, deuteranopia 21, protanopia 13, tritanopia 15.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.charts import AXIS_COLOUR, FONT_SIZE, GRID_COLOUR, PALETTE, TEXT_COLOUR

CHAR_WIDTH = 7.6  # an estimate of the average glyph width at FONT_SIZE, for the label column
MAX_LABEL_CHARS = 28
BAR_AREA_WIDTH = 440
BAR_HEIGHT = 18
ROW_HEIGHT = 28
TOP = 8
RIGHT = 24
AXIS_SPACE = 52  # tick labels and the axis title under the bars


def colour_for(index: int) -> str:
    return PALETTE[index % len(PALETTE)]


@dataclass
class Series:
    key: str
    label: str

    colour: str = ""


@dataclass
class BarRow:
    key: str
    label: str
    counts: list[int]  # one per series, in series order


def nice_step(maximum: int, ticks: int = 5) -> int:
    """A tick step of 1, 2 or 5 times a power of ten giving about `ticks` ticks."""
    if maximum <= ticks:
        return 1
    raw = maximum / ticks
    power = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 5, 10):
        if factor * power >= raw:
            return int(factor * power)
    return int(10 * power)  # pragma: no cover - the loop always returns


def segment_title(row_label: str, series_label: str, count: int) -> str:
    return ngettext(
        "%(row)s, %(series)s: %(count)s experiment",
        "%(row)s, %(series)s: %(count)s experiments",
        count,
    ) % {"row": row_label, "series": series_label, "count": count}


def _short(label: str) -> str:
    return label if len(label) <= MAX_LABEL_CHARS else label[: MAX_LABEL_CHARS - 1] + "…"


def stacked_bar_chart(
    rows: list[BarRow],
    series: list[Series],
    *,
    labelledby: str,
    describedby: str,
    title: str,
    axis_title: str,
) -> SafeString:
    """Horizontal bars, one per row, stacked by series. `labelledby`/`describedby` are ids
    of elements of the page (a heading, a summary) that name and describe the image."""
    series = [Series(s.key, s.label, s.colour or colour_for(i)) for i, s in enumerate(series)]
    label_width = round(
        min(max((len(_short(r.label)) for r in rows), default=4), MAX_LABEL_CHARS) * CHAR_WIDTH + 16
    )
    maximum = max((sum(r.counts) for r in rows), default=0)
    step = nice_step(maximum)
    axis_max = max(step, math.ceil(maximum / step) * step)
    scale = BAR_AREA_WIDTH / axis_max
    bars_height = len(rows) * ROW_HEIGHT
    width = label_width + BAR_AREA_WIDTH + RIGHT
    height = TOP + bars_height + AXIS_SPACE
    x0 = label_width

    parts = [
        format_html(
            '<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {w} {h}" '
            'width="{w}" height="{h}" role="img" aria-labelledby="{lb}" aria-describedby="{db}" '
            'font-size="{fs}" fill="{text}">',
            w=width,
            h=height,
            lb=labelledby,
            db=describedby,
            fs=FONT_SIZE,
            text=TEXT_COLOUR,
        ),
        format_html("<title>{}</title>", title),
    ]

    # Grid lines and tick labels.
    parts.append(mark_safe('<g class="chart__grid" aria-hidden="true">'))
    for value in range(0, axis_max + 1, step):
        x = round(x0 + value * scale, 1)
        parts.append(
            format_html(
                '<line x1="{x}" x2="{x}" y1="{y1}" y2="{y2}" stroke="{c}" stroke-width="1"/>'
                '<text x="{x}" y="{ty}" text-anchor="middle">{v}</text>',
                x=x,
                y1=TOP,
                y2=TOP + bars_height,
                c=GRID_COLOUR if value else AXIS_COLOUR,
                ty=TOP + bars_height + 18,
                v=value,
            )
        )
    parts.append(mark_safe("</g>"))

    # The bars.
    parts.append(mark_safe('<g class="chart__bars">'))
    for index, row in enumerate(rows):
        y = TOP + index * ROW_HEIGHT
        bar_y = y + (ROW_HEIGHT - BAR_HEIGHT) / 2
        parts.append(
            format_html(
                '<g class="chart__row" data-row="{key}" data-sum="{sum}">'
                '<text x="{x}" y="{ty}" text-anchor="end" dominant-baseline="central">{label}</text>',
                key=row.key,
                sum=sum(row.counts),
                x=x0 - 8,
                ty=y + ROW_HEIGHT / 2,
                label=_short(row.label),
            )
        )
        left = 0
        for s, count in zip(series, row.counts, strict=True):
            if not count:
                continue
            parts.append(
                format_html(
                    '<rect class="chart__segment" x="{x}" y="{y}" width="{w}" height="{h}" fill="{fill}" '
                    'stroke="#ffffff" stroke-width="1" data-series="{series}" data-count="{count}">'
                    "<title>{title}</title></rect>",
                    x=round(x0 + left * scale, 2),
                    y=bar_y,
                    w=round(count * scale, 2),
                    h=BAR_HEIGHT,
                    fill=s.colour,
                    series=s.key,
                    count=count,
                    title=segment_title(row.label, s.label, count),
                )
            )
            left += count
        parts.append(mark_safe("</g>"))
    parts.append(mark_safe("</g>"))

    # The axis line and its title.
    parts.append(
        format_html(
            '<line x1="{x1}" x2="{x2}" y1="{y}" y2="{y}" stroke="{c}" stroke-width="1" aria-hidden="true"/>'
            '<text x="{tx}" y="{ty}" text-anchor="middle" aria-hidden="true">{t}</text></svg>',
            x1=x0,
            x2=x0 + BAR_AREA_WIDTH,
            y=TOP + bars_height,
            c=AXIS_COLOUR,
            tx=x0 + BAR_AREA_WIDTH / 2,
            ty=TOP + bars_height + 42,
            t=axis_title,
        )
    )
    return mark_safe("".join(parts))


def legend_series(themes) -> list[Series]:
    """Series for a list of themes, coloured by their place in the list (so one theme has
    the same colour in every chart that is given the same list)."""
    return [Series(theme.slug, theme.name, colour_for(i)) for i, theme in enumerate(themes)]


def experiments_chart(
    table, *, row_key, labelledby: str, describedby: str, title: str
) -> SafeString:
    """The stacked bar chart of a figures.CrossTable of experiments."""
    rows = [
        BarRow(row_key(entry["item"]), entry["item"].name, [n for _theme, n in entry["cells"]])
        for entry in table.table()
    ]
    return stacked_bar_chart(
        rows,
        legend_series(table.themes),
        labelledby=labelledby,
        describedby=describedby,
        title=title,
        axis_title=_("Experiments, counted per theme"),
    )
