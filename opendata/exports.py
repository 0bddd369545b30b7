"""Any search result as a spreadsheet: `/zoeken/?...&format=csv` and `format=xlsx`.

The export holds the whole result of the search, not one page of it: the search service is
asked page after page (1,000 results a page) up to the 10,000 results a search can be paged
through; beyond that a last row says the export is incomplete. The file is written while the
pages are read, a page at a time: CSV is streamed to the client row by row, Excel is written
by openpyxl's write-only workbook into a temporary file that is then streamed. Memory and
queries stay the same per 1,000 rows, whatever the size of the export.

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
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.http import FileResponse, StreamingHttpResponse
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
    """A search's results on their way into a file: `batches` reads them a search page at a
    time, as the file is written. The total and the search's notices are known from the first
    page on (they go into the response's headers); what was written, once it has been."""

    total: int = 0  # results of the search (may be more than the rows)
    notices: list[str] = field(default_factory=list)  # the search's own (an ignored filter, ...)
    written: int = 0
    batches: Iterator[list[dict]] = iter(())

    @property
    def truncated(self) -> bool:
        return self.total > self.written

    def trailing_notices(self) -> list[str]:
        """What the reader of the file must know: said in rows after the data."""
        return [*self.notices, *([self.truncation_notice()] if self.truncated else [])]

    def truncation_notice(self) -> str:
        return gettext(
            "Only the first %(rows)s of %(total)s results are in this file; add a filter to "
            "export the rest."
        ) % {"rows": _number(self.written), "total": _number(self.total)}


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
    as rows keyed by column. `absolute_url(path)` turns a page's path into a full URL. The
    first page is searched now; the others when `batches` gets to them."""
    max_rows = MAX_EXPORT_ROWS if max_rows is None else max_rows
    params = params.copy()
    for name in ("format", "page"):
        params.pop(name, None)
    params["page"] = "1"
    first = search(params, page_size=EXPORT_PAGE_SIZE)
    export = Export(total=first.total, notices=[str(n) for n in first.notices])
    export.batches = _batches(export, params, first, absolute_url, max_rows)
    return export


def _batches(export, params, outcome, absolute_url, max_rows):
    number = 1
    while outcome.query.page == number:  # else asked past the end: the service showed another
        rows = _rows(outcome.cards[: max_rows - export.written], absolute_url)
        export.written += len(rows)
        yield rows
        if number >= outcome.pages or export.written >= max_rows:
            return
        number += 1
        params["page"] = str(number)
        outcome = search(params, page_size=EXPORT_PAGE_SIZE)


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


def csv_chunks(export: Export) -> Iterator[bytes]:
    """The CSV file in pieces, one per search page: UTF-8 with a byte order mark (so Excel
    reads the accents right), `;` between fields: the list separator of a Dutch Excel, which
    opens the file into columns on a double click (a `,` file opens as one column there).
    Every CSV reader can be told the delimiter."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")

    def taken() -> bytes:
        text = out.getvalue()
        out.seek(0)
        out.truncate()
        return text.encode("utf-8")

    out.write("\ufeff")
    writer.writerow([str(capfirst(c.label)) for c in COLUMNS])
    yield taken()
    for rows in export.batches:
        writer.writerows([_cell_text(row[c.key]) for c in COLUMNS] for row in rows)
        yield taken()
    for notice in export.trailing_notices():
        writer.writerow([escape_formula(notice)] + [""] * (len(COLUMNS) - 1))
    yield taken()


def write_xlsx(export: Export, out, source_url: str = "") -> None:
    """The Excel file, into the binary file `out`: openpyxl's write-only workbook, which keeps
    no row in memory once written."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(str(gettext("Results"))[:31])
    bold = Font(bold=True)

    def text_cell(worksheet, value: str, font=None):
        cell = WriteOnlyCell(worksheet, value=escape_formula(ILLEGAL_CHARACTERS_RE.sub("", value)))
        cell.data_type = "s"  # a string, never a formula, whatever openpyxl guessed
        if font:
            cell.font = font
        return cell

    # Widths and frozen header go before the first row (write-only sheets write as they go).
    for n, column in enumerate(COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(n)].width = column.width
    sheet.freeze_panes = "A2"
    sheet.append([text_cell(sheet, str(capfirst(column.label)), bold) for column in COLUMNS])
    for rows in export.batches:
        for row in rows:
            cells = []
            for column in COLUMNS:
                value = row[column.key]
                if value in (None, ""):
                    cells.append(None)
                elif column.key in DATE_COLUMNS and isinstance(value, dt.date):
                    cell = WriteOnlyCell(sheet, value=value)
                    cell.number_format = "yyyy-mm-dd"
                    cells.append(cell)
                else:
                    cell = text_cell(sheet, str(value))
                    if column.key == "url":
                        cell.hyperlink = str(value)
                    cells.append(cell)
            sheet.append(cells)
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(COLUMNS))}{max(1, export.written + 1)}"
    for notice in export.trailing_notices():
        sheet.append([text_cell(sheet, notice)])

    info = workbook.create_sheet(str(gettext("About this file"))[:31])
    info.column_dimensions["A"].width = 24
    info.column_dimensions["B"].width = 100
    facts = [
        (gettext("Source"), source_url),
        (gettext("Exported on"), timezone.localtime().strftime("%Y-%m-%d %H:%M")),
        (gettext("Results of the search"), str(export.total)),
        (gettext("Rows in this file"), str(export.written)),
        (
            gettext("Licence"),
            gettext("The metadata may be reused under CC BY 4.0: %(url)s")
            % {"url": DATA_LICENCE_URL},
        ),
    ]
    facts += [(gettext("Note"), notice) for notice in export.trailing_notices()]
    for label, value in facts:
        info.append([text_cell(info, str(label), bold), text_cell(info, str(value))])
    workbook.save(out)


CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def export_response(request, file_format: str) -> StreamingHttpResponse:
    """The response for `format=csv` or `format=xlsx` on a search URL, streamed."""
    params = request.GET.copy()
    params.pop("format", None)
    params.pop("page", None)
    export = collect(params, absolute_url)
    filename = f"kennisloket-zoekresultaten-{timezone.localdate().isoformat()}.{file_format}"
    if file_format == "xlsx":
        # A zip file is complete only at its end: written whole (row by row, into a
        # temporary file rather than memory), then streamed from there.
        source = absolute_url(request.path + (f"?{params.urlencode()}" if params else ""))
        out = tempfile.TemporaryFile()
        write_xlsx(export, out, source_url=source)
        out.seek(0)
        response = FileResponse(
            out, content_type=CONTENT_TYPES["xlsx"], as_attachment=True, filename=filename
        )
    else:
        response = StreamingHttpResponse(csv_chunks(export), content_type=CONTENT_TYPES["csv"])
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Robots-Tag"] = "noindex"
    response["X-Total-Count"] = str(export.total)
    return response
