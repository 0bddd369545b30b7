"""Figures for the wijk pages and the national overview: counts of experiments per (row,
theme) and the programme-wide facts of the krachtwijken data, each with its source.

Per-wijk and per-gemeente facts are read from the vocabulary records (loaded from
vocabulary/data/krachtwijken.json). The programme-wide figures (the selection of the 40 wijken,
CBS's 2006 key figures) describe all 40 wijken together and have no model: they are read from
that same JSON file, once per process, so the file stays the one source of truth. Source titles
and URLs come from the file's `sources` list.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache

from django.db.models import Count
from django.utils.formats import number_format
from django.utils.text import get_text_list
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.listing import count_per
from vocabulary.loading import read_facts
from vocabulary.models import Theme

# Which entry of the data's `sources` list backs which figure, found by a piece of its URL.
SOURCE_URL_KEYS = {
    "selection": "kst-30995-66",
    "cbs_2006": "cbs.nl/nl-nl/nieuws/2007/46",
    "list_wikipedia": "wiki/Vogelaarwijk",
    "list_announced": "lobbyen-om-op-een-negatief-lijstje",
    "list_changed": "vogelaar-blijft-bij-keuze-voor-40-wijken",
    "cbs_monitor": "71718ned",
    "cbs_areas": "85067NED",
    "coordinates": "geonames.org",
}


@dataclass(frozen=True)
class Source:
    title: str
    url: str | None


@lru_cache(maxsize=1)
def _facts() -> dict:
    return read_facts()


def sources() -> dict[str, Source]:
    """{key: Source} for every key of SOURCE_URL_KEYS (KeyError if the data lost one)."""
    found = {}
    for key, fragment in SOURCE_URL_KEYS.items():
        for item in _facts()["sources"]:
            if item.get("url") and fragment in item["url"]:
                found[key] = Source(item["titel"], item["url"])
                break
        else:
            raise KeyError(f"no source with {fragment!r} in its URL in krachtwijken.json")
    return found


def cbs_code_source_url(municipality) -> str | None:
    """A link for where a gemeente's CBS code comes from, when that source is the CBS list
    itself (the data names the source per gemeente; some codes come from elsewhere)."""
    if "Gebieden in Nederland" in municipality.cbs_code_source:
        return sources()["cbs_areas"].url
    return None


def _value(figure) -> tuple[float | int, str]:
    """(value, qualifier) from a figure that is a number or {"waarde": n, "kwalificatie": q}."""
    if isinstance(figure, dict):
        return figure["waarde"], figure.get("kwalificatie", "")
    return figure, ""


def _shown(figure, unit: str = "") -> str:
    value, qualifier = _value(figure)
    text = number_format(value, force_grouping=True) + unit
    if qualifier == "ruim":
        return _("just over %(value)s") % {"value": text}
    if qualifier == "bijna":
        return _("almost %(value)s") % {"value": text}
    return text


@dataclass
class FigureRow:
    label: str
    wijken: str
    netherlands: str | None  # None: the source gives no figure for the Netherlands


def programme_facts() -> dict:
    """What the data says about all 40 wijken together, ready for a template (in the active
    language; the labels are translated per request, the numbers come from the JSON)."""
    facts = _facts()
    selection = facts["selectie_indicatoren"]
    cbs = selection["cbs_2006_kerncijfers"]
    rows = [
        FigureRow(_("Inhabitants"), _shown(cbs["inwoners_aandachtswijken"]), None),
        FigureRow(_("Inhabitants aged 15 to 64"), _shown(cbs["inwoners_15_64"]), None),
        FigureRow(
            _("Aged 15 to 64 and working"),
            _shown(cbs["aandeel_werkend_15_64"]["wijken"], "%"),
            _shown(cbs["aandeel_werkend_15_64"]["nederland"], "%"),
        ),
        FigureRow(_("Aged 15 to 64 and without work"), _shown(cbs["zonder_werk_15_64"]), None),
        FigureRow(
            _("With a benefit (uitkering)"),
            _shown(cbs["aandeel_met_uitkering"]["wijken"], "%"),
            _shown(cbs["aandeel_met_uitkering"]["nederland"], "%"),
        ),
        FigureRow(
            _("Aged 15 to 64 with a low level of education"),
            _shown(cbs["aandeel_lager_opgeleid_15_64"]["wijken"], "%"),
            _shown(cbs["aandeel_lager_opgeleid_15_64"]["nederland"], "%"),
        ),
        FigureRow(
            _("Aged 15 to 64 of non-western origin"),
            _shown(cbs["aandeel_niet_westers_allochtoon_15_64"]["wijken"], "%"),
            _shown(cbs["aandeel_niet_westers_allochtoon_15_64"]["nederland"], "%"),
        ),
    ]
    return {
        "list_announced": dt.date.fromisoformat(facts["context"]["bekendmaking_lijst"]),
        "cbs_year": cbs["inwoners_aandachtswijken"]["jaar"],
        "cbs_rows": rows,
        "areas_compared": _shown(selection["populatie_pc_gebieden_vergeleken"]),
        "areas_selected": _shown(selection["aantal_postcodegebieden_geselecteerd"]),
        "wijken": _value(selection["aantal_wijken"])[0],
        "gemeenten": _value(selection["aantal_gemeenten"])[0],
        "indicators": _value(selection["aantal_indicatoren"])[0],
        "indicator_groups": [(g["groep"], g["aantal"]) for g in selection["indicatorgroepen"]],
        "sources": sources(),
    }


# --- counts -------------------------------------------------------------------------------


def themes_in_order():
    """The five themes of the wijkactieplannen, then health (which runs through all of
    them): the order of every table and chart of themes."""
    return list(Theme.objects.order_by("-is_main_theme", "name"))


@dataclass
class CrossTable:
    """Published pages counted per row item (a gemeente, a wijk) and per theme.

    A cell counts the distinct pages of that row with that theme, so a page with two themes
    counts under both; the row and column totals and the grand total count every page once.
    """

    rows: list
    themes: list
    cells: dict[tuple[int, int], int]
    row_totals: dict[int, int]
    theme_totals: dict[int, int]
    total: int

    @classmethod
    def count(cls, pages, rows, row_relation: str, themes=None) -> CrossTable:
        """Four grouped queries, whatever the number of rows, themes or pages. `pages` is the
        live, public queryset the listings show."""
        themes = themes if themes is not None else themes_in_order()
        grouped = (
            pages.order_by()
            .values_list(row_relation, "themes")
            .annotate(n=Count("pk", distinct=True))
        )
        cells = {
            (row, theme): n for row, theme, n in grouped if row is not None and theme is not None
        }
        return cls(
            rows=list(rows),
            themes=themes,
            cells=cells,
            row_totals=count_per(pages, row_relation),
            theme_totals=count_per(pages, "themes"),
            total=pages.count(),
        )

    def table(self) -> list[dict]:
        """[{"item", "cells": [(theme, n)], "total"}] in row order, for templates."""
        return [
            {
                "item": row,
                "cells": [(theme, self.cells.get((row.pk, theme.pk), 0)) for theme in self.themes],
                "total": self.row_totals.get(row.pk, 0),
            }
            for row in self.rows
        ]

    def theme_total_list(self) -> list[tuple]:
        return [(theme, self.theme_totals.get(theme.pk, 0)) for theme in self.themes]

    def rows_with_pages(self) -> list:
        return [row for row in self.rows if self.row_totals.get(row.pk)]


def _leaders(counted) -> tuple[list[str], int]:
    """The names that share the highest count in `counted` ([(name, n)]), in name order, and
    that count; ([], 0) when nothing has a count."""
    top = max((n for _, n in counted), default=0)
    return sorted(name for name, n in counted if n and n == top), top


def _most_experiments(table: CrossTable, each_has) -> list[str]:
    """The sentence naming the row (or every row tied) with most experiments, if any has one;
    `each_has(n)` is the sentence for when every row with experiments has as many."""
    counted = [(row.name, table.row_totals[row.pk]) for row in table.rows_with_pages()]
    names, n = _leaders(counted)
    if not names:
        return []
    if len(names) == 1:
        return [
            _("%(name)s has the most experiments (%(count)s).") % {"name": names[0], "count": n}
        ]
    if len(names) == len(counted):
        return [each_has(n)]
    return [
        ngettext(
            "%(names)s have the most experiments (%(count)s each).",
            "%(names)s have the most experiments (%(count)s each).",
            n,
        )
        % {"names": get_text_list(names, _("and")), "count": n}
    ]


def _theme_with_most_experiments(table: CrossTable) -> list[str]:
    # Experiments without a theme count in the totals but under no theme.
    names, n = _leaders([(theme.name, n) for theme, n in table.theme_total_list()])
    if not names:
        return []
    if len(names) == 1:
        sentence = ngettext(
            "The theme with most experiments is %(theme)s (%(count)s experiment).",
            "The theme with most experiments is %(theme)s (%(count)s experiments).",
            n,
        )
        return [sentence % {"theme": names[0], "count": n}]
    sentence = ngettext(
        "The themes with most experiments are %(themes)s (%(count)s experiment each).",
        "The themes with most experiments are %(themes)s (%(count)s experiments each).",
        n,
    )
    return [sentence % {"themes": get_text_list(names, _("and")), "count": n}]


def overview_summary(table: CrossTable) -> str:
    """What the chart of experiments per gemeente shows, in words (its text alternative)."""
    if not table.total:
        return _("No experiments have been published yet.")
    sentences = [
        ngettext(
            "In all %(count)s published experiment, in %(places)s of the %(all)s gemeenten.",
            "In all %(count)s published experiments, in %(places)s of the %(all)s gemeenten.",
            table.total,
        )
        % {"count": table.total, "places": len(table.rows_with_pages()), "all": len(table.rows)},
        *_most_experiments(
            table,
            lambda n: (
                ngettext(
                    "Those gemeenten have %(count)s experiment each.",
                    "Those gemeenten have %(count)s experiments each.",
                    n,
                )
                % {"count": n}
            ),
        ),
        *_theme_with_most_experiments(table),
    ]
    return " ".join(sentences)


def wijken_summary(table: CrossTable, municipality) -> str:
    """What the chart of one gemeente's experiments per wijk shows, in words."""
    if not table.total:
        return _("No experiments have been published for %(gemeente)s yet.") % {
            "gemeente": municipality.name
        }
    sentences = [
        ngettext(
            "%(gemeente)s has %(count)s published experiment; %(places)s of its %(all)s wijken have one or more.",
            "%(gemeente)s has %(count)s published experiments; %(places)s of its %(all)s wijken have one or more.",
            table.total,
        )
        % {
            "gemeente": municipality.name,
            "count": table.total,
            "places": len(table.rows_with_pages()),
            "all": len(table.rows),
        },
        *_most_experiments(
            table,
            lambda n: (
                ngettext(
                    "Those wijken have %(count)s experiment each.",
                    "Those wijken have %(count)s experiments each.",
                    n,
                )
                % {"count": n}
            ),
        ),
    ]
    return " ".join(sentences)
