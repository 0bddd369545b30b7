"""Reading a file of indicator values (CSV or XLSX) for one plan: every row checked, every
error named with its row, and nothing taken from a file with any error.

Columns (the header row, in any order, any case): indicator (a goal's code), jaar, waarde,
bron, and optionally toelichting. A value may use a decimal comma (12,5; 1.234,5). The file
passes the site's upload rules first (security.uploads: its bytes must be what its extension
says, at most WAGTAILDOCS_MAX_UPLOAD_SIZE)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import re
import zipfile
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from security.uploads import content_matches_extension

from .models import IndicatorValue

REQUIRED_COLUMNS = ("indicator", "jaar", "waarde", "bron")
COLUMNS = REQUIRED_COLUMNS + ("toelichting",)
FIRST_YEAR = 1990  # before the first wijkenaanpak: a typing error, not a measurement
LARGEST_VALUE = Decimal("1e12")
AMBIGUOUS_POINT = re.compile(
    r"-?\d{1,3}(\.\d{3})+"
)  # 1.234 or 12.345.678, without a comma  # what IndicatorValue.value holds (14 digits, 2 decimals)


@dataclass
class ImportRow:
    line: int  # the row's number in the file, the header being row 1
    indicator_code: str
    year: int
    value: Decimal
    source: str
    note: str
    existing: IndicatorValue | None = None  # the value it replaces

    def as_list(self):
        return [self.indicator_code, self.year, str(self.value), self.source, self.note]


class FileRefused(Exception):
    """The file as a whole cannot be read (its kind, size or columns); the message says why."""


def _cells_from_csv(file) -> list[list[str]]:
    data = file.read()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    # The header row decides: Dutch spreadsheets write ";" (their decimal comma takes ",").
    header = text.split("\n", 1)[0]
    delimiter = next((d for d in (";", "\t") if d in header), ",")
    return [list(row) for row in csv.reader(io.StringIO(text), delimiter=delimiter)]


def _cells_from_xlsx(file) -> list[list]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(file, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise FileRefused(_("The Excel file cannot be read.")) from exc
    sheet = workbook.worksheets[0]
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    workbook.close()
    return rows


def _text(cell) -> str:
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        cell = int(cell)
    return str(cell).strip()


def parse_number(cell) -> Decimal | None:
    """12,5 and 12.5 and 1.234,5 (a Dutch thousands point) and a spreadsheet's number."""
    if isinstance(cell, int | float) and not isinstance(cell, bool):
        return Decimal(str(cell))
    text = _text(cell).replace(" ", "")
    if "," in text:
        text = text.replace(".", "").replace(",", ".")
    try:
        number = Decimal(text)
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def read_cells(upload) -> list[list]:
    name = os.path.basename(upload.name or "")
    extension = os.path.splitext(name)[1].lower().lstrip(".")
    if extension not in ("csv", "xlsx"):
        raise FileRefused(_("“%(name)s” is not a CSV or Excel (xlsx) file.") % {"name": name})
    if upload.size > settings.WAGTAILDOCS_MAX_UPLOAD_SIZE:
        raise FileRefused(
            _("“%(name)s” is larger than %(size)s.")
            % {"name": name, "size": filesizeformat(settings.WAGTAILDOCS_MAX_UPLOAD_SIZE)}
        )
    if not content_matches_extension(upload, extension):
        raise FileRefused(
            _("The content of “%(name)s” is not that of a CSV or Excel (xlsx) file.")
            % {"name": name}
        )
    upload.seek(0)
    return _cells_from_csv(upload) if extension == "csv" else _cells_from_xlsx(upload)


def read_values(upload, plan, codes) -> tuple[list[ImportRow], list[str]]:
    """The rows of `upload` for `plan` (its goals' indicator codes: `codes`) and the errors,
    each a Dutch sentence naming its row. Raises FileRefused for a file that cannot be read."""
    cells = read_cells(upload)
    cells = [row for row in cells if any(_text(c) for c in row)]
    if not cells:
        raise FileRefused(_("The file is empty."))
    header = [_text(c).lower() for c in cells[0]]
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    unknown = [c for c in header if c and c not in COLUMNS]
    if missing or unknown:
        parts = []
        if missing:
            parts.append(_("missing columns: %(columns)s") % {"columns": ", ".join(missing)})
        if unknown:
            parts.append(_("unknown columns: %(columns)s") % {"columns": ", ".join(unknown)})
        raise FileRefused(
            _("The first row must name the columns %(columns)s (%(problems)s).")
            % {"columns": ", ".join(COLUMNS), "problems": "; ".join(parts)}
        )
    position = {name: header.index(name) for name in COLUMNS if name in header}
    this_year = dt.date.today().year
    rows, errors, seen = [], [], {}
    for line, raw in enumerate(cells[1:], start=2):

        def cell(name, raw=raw):
            index = position.get(name)
            return raw[index] if index is not None and index < len(raw) else None

        row_errors = []
        for name in REQUIRED_COLUMNS:
            if not _text(cell(name)):
                row_errors.append(_("the cell “%(column)s” is empty") % {"column": name})
        code = _text(cell("indicator"))
        if code and code not in codes:
            row_errors.append(
                _("the indicator “%(code)s” is not one of this plan's goals (%(codes)s)")
                % {"code": code, "codes": ", ".join(sorted(codes))}
            )
        year = None
        if _text(cell("jaar")):
            number = parse_number(cell("jaar"))
            if number is None or number != number.to_integral_value():
                row_errors.append(
                    _("the year “%(year)s” is not a year") % {"year": _text(cell("jaar"))}
                )
            elif not FIRST_YEAR <= number <= this_year:
                row_errors.append(
                    _("the year %(year)s is not between %(first)s and %(last)s")
                    % {"year": int(number), "first": FIRST_YEAR, "last": this_year}
                )
            else:
                year = int(number)
        value = None
        if _text(cell("waarde")):
            value = parse_number(cell("waarde"))
            text = _text(cell("waarde"))
            if value is None or abs(value) >= LARGEST_VALUE:
                row_errors.append(_("the value “%(value)s” is not a number") % {"value": text})
                value = None
            elif isinstance(cell("waarde"), str) and AMBIGUOUS_POINT.fullmatch(text):
                # 1.234 is a thousand and some in Dutch, one and a bit in English: ask.
                row_errors.append(
                    _(
                        "the value “%(value)s” can be read two ways: write a decimal comma "
                        "(1,234) or leave out the thousands point (1234)"
                    )
                    % {"value": text}
                )
                value = None
            elif value != value.quantize(Decimal("0.01")):
                row_errors.append(
                    _("the value “%(value)s” has more than two decimals") % {"value": text}
                )
                value = None
        source, note = _text(cell("bron")), _text(cell("toelichting"))
        if len(source) > 200:
            row_errors.append(_("the source is longer than 200 characters"))
        if len(note) > 500:
            row_errors.append(_("the note is longer than 500 characters"))
        if code and year is not None:
            if (code, year) in seen:
                row_errors.append(
                    _("%(code)s %(year)s is in the file twice (also in row %(line)s)")
                    % {"code": code, "year": year, "line": seen[code, year]}
                )
            else:
                seen[code, year] = line
        if row_errors:
            errors.append(
                _("Row %(line)s: %(errors)s.") % {"line": line, "errors": "; ".join(row_errors)}
            )
        else:
            rows.append(ImportRow(line, code, year, value.quantize(Decimal("0.01")), source, note))
    if not rows and not errors:
        raise FileRefused(_("The file has no rows below its header."))
    existing = {(v.indicator_code, v.year): v for v in IndicatorValue.objects.filter(plan=plan)}
    for row in rows:
        row.existing = existing.get((row.indicator_code, row.year))
    return rows, errors
