"""Any search result as a spreadsheet: `/zoeken/?...&format=csv` and `format=xlsx`.

The export holds the whole result of the search, not one page of it: the search service is
asked page after page (1,000 results a page) up to the 10,000 results a search can be paged
through; beyond that a last row says the export is incomplete.

Rows come from the search documents (what the result cards show) plus the experiments' dates,
read from the pages in one query per 1,000 rows. Only published, public pages are in the
search index, so only they can appear here; contact email addresses are not in it at all.

Cells that a spreadsheet would run as a formula (a value starting with =, +, -, @, a tab or a
carriage return) get a leading apostrophe, in CSV and in Excel alike; in Excel every text cell
is also stored as a string cell, never as a formula.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass, field

from django.http import HttpResponse
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from pydantic import Field

from core.absolute_urls import DATA_LICENCE_URL, absolute_url
from experiments.models import ExperimentPage
from search.query import MAX_RESULT_WINDOW
from search.records import Record
from search.service import search

EXPORT_PAGE_SIZE = 1000
MAX_EXPORT_ROWS = MAX_RESULT_WINDOW  # 10,000: what a search can be paged through


def _column(label, width: int):
    # The header (lazy; translated when the file is written) and the Excel width in characters.
    return Field(title=label, json_schema_extra={"width": width})


class ExportRow(Record):
    """One result as a row of the file: its columns, in order."""

    registration_number: str = _column(_("Registration number"), 16)
    title: str = _column(_("Title"), 50)
    type: str = _column(_("Type"), 14)
    municipality: str = _column(_("Municipality"), 16)
    neighbourhoods: str = _column(_("Wijken"), 30)
    themes: str = _column(_("Themes"), 30)
    experiment_type: str = _column(_("Experiment type"), 20)
    status: str = _column(_("Status"), 14)
    start_date: dt.date | None = _column(_("Start date"), 12)
    planned_end_date: dt.date | None = _column(_("Planned end date"), 12)
    end_date: dt.date | None = _column(_("Actual end date"), 12)
    recognition_level: str = _column(_("Recognition level"), 20)
    knowledge_centre: str = _column(_("Knowledge centre"), 20)
    ministry: str = _column(_("Ministry"), 30)
    date: dt.date | None = _column(_("Date"), 12)
    summary: str = _column(_("Summary"), 60)
    url: str = _column(_("URL"), 50)


@dataclass(frozen=True)
class Column:
    key: str
    label: str  # lazy; translated when the file is written
    width: int


COLUMNS = [
    Column(key, field.title, field.json_schema_extra["width"])
    for key, field in ExportRow.model_fields.items()
]
DATE_COLUMNS = {key for key, field in ExportRow.model_fields.items() if field.annotation is not str}


# --- Formula injection ---------------------------------------------------------------------

# What makes Excel, LibreOffice or Google Sheets read a cell as a formula (OWASP "CSV
# injection"); the full-width forms are read as formulas by some spreadsheet programs too.
FORMULA_STARTS = ("=", "+", "-", "@", "＝", "＋", "－", "＠")
CONTROL_STARTS = ("\t", "\r", "\n")


def escape_formula(value: str) -> str:
    """`value` made safe to put in a spreadsheet cell: a leading apostrophe when a spreadsheet
    would otherwise start a formula (also after leading spaces)."""
    if not value:
        return value
    if value.startswith(CONTROL_STARTS) or value.lstrip().startswith(FORMULA_STARTS):
        return "'" + value
    return value


# --- Collecting the rows -------------------------------------------------------------------


@dataclass
class Export:
    rows: list[dict] = field(default_factory=list)
    total: int = 0  # results of the search (may be more than the rows)
    notices: list[str] = field(default_factory=list)  # the search's own (an ignored filter, ...)

    @property
    def truncated(self) -> bool:
        return self.total > len(self.rows)

    def trailing_notices(self) -> list[str]:
        """What the reader of the file must know: said in rows after the data."""
        return [*self.notices, *([self.truncation_notice()] if self.truncated else [])]

    def truncation_notice(self) -> str:
        return gettext(
            "Only the first %(rows)s of %(total)s results are in this file; add a filter to "
            "export the rest."
        ) % {"rows": _number(len(self.rows)), "total": _number(self.total)}


def _number(n: int) -> str:
    return f"{n:,}".replace(",", ".")


def _date(value):
    if not value:
        return None
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def collect(params, absolute_url, max_rows: int | None = None) -> Export:
    """Every result of the search `params` describes (up to `max_rows`), in the search's order,
    as rows keyed by column. `absolute_url(path)` turns a page's path into a full URL."""
    max_rows = MAX_EXPORT_ROWS if max_rows is None else max_rows
    params = params.copy()
    for name in ("format", "page"):
        params.pop(name, None)
    export = Export()
    number = 1
    while True:
        params["page"] = str(number)
        outcome = search(params, page_size=EXPORT_PAGE_SIZE)
        export.total = outcome.total
        if number == 1:
            export.notices = [str(n) for n in outcome.notices]
        if outcome.query.page != number:  # asked past the end: the service showed another page
            break
        export.rows += _rows(outcome.cards, absolute_url)
        if number >= outcome.pages or len(export.rows) >= max_rows:
            break
        number += 1
    del export.rows[max_rows:]
    return export


def _rows(cards, absolute_url) -> list[dict]:
    """Rows for one page of result cards: one query, whatever the number of cards."""
    experiment_ids = [card.page_id for card in cards if card.type == "experiment"]
    dates = (
        {
            pk: (start, planned, end)
            for pk, start, planned, end in ExperimentPage.objects.filter(
                pk__in=experiment_ids
            ).values_list("pk", "start_date", "planned_end_date", "end_date")
        }
        if experiment_ids
        else {}
    )
    rows = []
    for card in cards:
        names = card.document.get("names", {})
        start, planned, end = dates.get(card.page_id, (None, None, None))
        row = ExportRow.model_validate(
            {
                "registration_number": card.registration_number,
                "title": card.title,
                "type": card.type_label,
                "municipality": ", ".join(card.municipalities),
                "neighbourhoods": ", ".join(card.neighbourhoods),
                "themes": ", ".join(card.themes),
                "experiment_type": ", ".join(names.get("experiment_type", [])),
                # An experiment's status, or a barrier's state of affairs.
                "status": card.status_label or card.barrier_status_label,
                "start_date": _date(start),
                "planned_end_date": _date(planned),
                "end_date": _date(end),
                "recognition_level": card.recognition,
                "knowledge_centre": card.centre,
                "ministry": card.ministry,
                "date": _date(card.date),
                "summary": card.summary,
                "url": absolute_url(card.url),
            }
        )
        rows.append(row.model_dump())
    return rows


# --- Writing the files ---------------------------------------------------------------------


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    return escape_formula(str(value))


def write_csv(export: Export) -> bytes:
    """UTF-8 with a byte order mark (so Excel reads the accents right), `;` between fields:
    the list separator of a Dutch Excel, which opens the file into columns on a double click
    (a `,` file opens as one column there). Every CSV reader can be told the delimiter."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow([str(capfirst(c.label)) for c in COLUMNS])
    for row in export.rows:
        writer.writerow([_cell_text(row[c.key]) for c in COLUMNS])
    for notice in export.trailing_notices():
        writer.writerow([escape_formula(notice)] + [""] * (len(COLUMNS) - 1))
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def write_xlsx(export: Export, source_url: str = "") -> bytes:
    from openpyxl import Workbook
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    def text_cell(cell, value: str):
        cell.value = escape_formula(ILLEGAL_CHARACTERS_RE.sub("", value))
        cell.data_type = "s"  # a string, never a formula, whatever openpyxl guessed

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = str(gettext("Results"))[:31]
    bold = Font(bold=True)
    for n, column in enumerate(COLUMNS, start=1):
        cell = sheet.cell(row=1, column=n)
        text_cell(cell, str(capfirst(column.label)))
        cell.font = bold
        sheet.column_dimensions[get_column_letter(n)].width = column.width
    for r, row in enumerate(export.rows, start=2):
        for n, column in enumerate(COLUMNS, start=1):
            value = row[column.key]
            cell = sheet.cell(row=r, column=n)
            if value in (None, ""):
                continue
            if column.key in DATE_COLUMNS and isinstance(value, dt.date):
                cell.value = value
                cell.number_format = "yyyy-mm-dd"
            else:
                text_cell(cell, str(value))
                if column.key == "url":
                    cell.hyperlink = str(value)
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(COLUMNS))}{max(1, len(export.rows) + 1)}"
    for n, notice in enumerate(export.trailing_notices()):
        text_cell(sheet.cell(row=len(export.rows) + 2 + n, column=1), notice)

    info = workbook.create_sheet(str(gettext("About this file"))[:31])
    facts = [
        (gettext("Source"), source_url),
        (gettext("Exported on"), timezone.localtime().strftime("%Y-%m-%d %H:%M")),
        (gettext("Results of the search"), str(export.total)),
        (gettext("Rows in this file"), str(len(export.rows))),
        (
            gettext("Licence"),
            gettext("The metadata may be reused under CC BY 4.0: %(url)s")
            % {"url": DATA_LICENCE_URL},
        ),
    ]
    facts += [(gettext("Note"), notice) for notice in export.trailing_notices()]
    for r, (label, value) in enumerate(facts, start=1):
        text_cell(info.cell(row=r, column=1), str(label))
        info.cell(row=r, column=1).font = bold
        text_cell(info.cell(row=r, column=2), str(value))
    info.column_dimensions["A"].width = 24
    info.column_dimensions["B"].width = 100

    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def export_response(request, file_format: str) -> HttpResponse:
    """The response for `format=csv` or `format=xlsx` on a search URL."""
    params = request.GET.copy()
    params.pop("format", None)
    params.pop("page", None)
    export = collect(params, absolute_url)
    if file_format == "xlsx":
        source = absolute_url(request.path + (f"?{params.urlencode()}" if params else ""))
        body = write_xlsx(export, source_url=source)
    else:
        body = write_csv(export)
    response = HttpResponse(body, content_type=CONTENT_TYPES[file_format])
    filename = f"kennisloket-zoekresultaten-{timezone.localdate().isoformat()}.{file_format}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Robots-Tag"] = "noindex"
    response["X-Total-Count"] = str(export.total)
    return response
