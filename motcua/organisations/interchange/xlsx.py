"""The organisation tree as an Excel workbook (.xlsx), laid out for people editing it.

One sheet per kind of row: "units" and "agencies" (one row each, the keys of the JSON
record), and "aliases", "departments", "reception_points", "counters", each row naming its
agency by code in the "agency" column (a counter also names its reception point). Row
numbers in reports are the spreadsheet's own. Every text is written as text, never as a
formula (motcua.spreadsheets.put_value).
"""

import zipfile
from collections.abc import Iterable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException

from motcua.spreadsheets import put_value

from .files import FileFormatError, Location, RecordError, Rows

TEXT, BOOL, DATE, NUMBER = "text", "bool", "date", "number"
DATE_FORMAT = "yyyy-mm-dd"

SHEETS: dict[str, list[tuple[str, str, int]]] = {
    "units": [
        ("code", TEXT, 10),
        ("name", TEXT, 32),
        ("kind", TEXT, 16),
        ("division_type", TEXT, 14),
        ("parent", TEXT, 10),
        ("is_legacy", BOOL, 10),
        ("valid_from", DATE, 12),
        ("valid_until", DATE, 12),
        ("successor", TEXT, 10),
        ("legal_basis", TEXT, 32),
    ],
    "agencies": [
        ("code", TEXT, 16),
        ("name", TEXT, 40),
        ("short_name", TEXT, 20),
        ("kind", TEXT, 20),
        ("parent", TEXT, 16),
        ("unit", TEXT, 10),
        ("address", TEXT, 32),
        ("phone", TEXT, 14),
        ("email", TEXT, 24),
        ("is_active", BOOL, 10),
        ("valid_from", DATE, 12),
        ("valid_until", DATE, 12),
        ("successor", TEXT, 16),
        ("legal_basis", TEXT, 32),
    ],
    "aliases": [("agency", TEXT, 16), ("code", TEXT, 18), ("note", TEXT, 32)],
    "departments": [
        ("agency", TEXT, 16),
        ("code", TEXT, 12),
        ("name", TEXT, 40),
        ("is_active", BOOL, 10),
    ],
    "reception_points": [
        ("agency", TEXT, 16),
        ("name", TEXT, 40),
        ("address", TEXT, 32),
        ("unit", TEXT, 10),
        ("is_active", BOOL, 10),
    ],
    "counters": [
        ("agency", TEXT, 16),
        ("reception_point", TEXT, 40),
        ("number", NUMBER, 8),
        ("name", TEXT, 20),
        ("is_active", BOOL, 10),
    ],
}
MAIN_KEYS = {"units": "code", "agencies": "code"}


# --- writing ---------------------------------------------------------------------------


class _SheetWriter:
    def __init__(self, workbook: Workbook, title: str, first: bool = False):
        self.sheet = workbook.active if first else workbook.create_sheet(title)
        self.sheet.title = title
        self.columns = SHEETS[title]
        self.row = 1
        for index, (key, _kind, width) in enumerate(self.columns, start=1):
            self.sheet.cell(row=1, column=index, value=key).font = Font(bold=True)
            self.sheet.column_dimensions[get_column_letter(index)].width = width
        self.sheet.freeze_panes = "A2"

    def append(self, data: dict[str, Any]) -> None:
        self.row += 1
        for index, (key, kind, _width) in enumerate(self.columns, start=1):
            value = data.get(key)
            cell = put_value(self.sheet.cell(row=self.row, column=index), value)
            if kind == DATE and isinstance(value, date):
                cell.number_format = DATE_FORMAT

    def finish(self) -> None:
        self.sheet.auto_filter.ref = self.sheet.dimensions


def write_xlsx(path: Path, records: Iterable[dict[str, Any]]) -> int:
    """Write the records (interchange dicts) to a workbook; returns how many."""
    workbook = Workbook()
    writers = {
        title: _SheetWriter(workbook, title, first=index == 0) for index, title in enumerate(SHEETS)
    }
    count = 0
    for record in records:
        if record.get("type") == "unit":
            writers["units"].append(record)
        else:
            _append_agency(writers, record)
        count += 1
    for writer in writers.values():
        writer.finish()
    workbook.save(path)
    return count


def _append_agency(writers: dict[str, _SheetWriter], record: dict[str, Any]) -> None:
    code = record["code"]
    writers["agencies"].append(record)
    for alias in record.get("aliases") or []:
        writers["aliases"].append({"agency": code, **alias})
    for department in record.get("departments") or []:
        writers["departments"].append({"agency": code, **department})
    for point in record.get("reception_points") or []:
        writers["reception_points"].append({"agency": code, **point})
        for counter in point.get("counters") or []:
            writers["counters"].append(
                {"agency": code, "reception_point": point["name"], **counter}
            )


# --- reading ---------------------------------------------------------------------------


def read_xlsx(path: Path) -> Rows:
    """(location, record dict) per units and agencies row, children attached to their
    agency; a child row that names no agency of the sheet is an error of its own."""
    workbook = _open(path)
    if not {"units", "agencies"} & set(workbook.sheetnames):
        raise FileFormatError(_("%(file)s has no sheet named units or agencies.") % {"file": path})
    sheets = {
        title: list(_sheet_rows(workbook[title], path))
        for title in SHEETS
        if title in workbook.sheetnames
    }
    workbook.close()
    units = [(Location(row, "units"), values) for row, values in sheets.get("units", [])]
    agencies: dict[str, tuple[Location, dict[str, Any]]] = {}
    for row, values in sheets.get("agencies", []):
        code = _text(values.get("code"))
        agencies.setdefault(code, (Location(row, "agencies"), values))
    orphans = _attach_children(sheets, agencies)
    rows: Rows = units + [
        (location, values) for location, values in _in_row_order(sheets, agencies)
    ]
    if not rows and not orphans:
        raise FileFormatError(_("%(file)s has no records.") % {"file": path})
    return rows + orphans


def _in_row_order(sheets: dict, agencies: dict) -> Iterator[tuple[Location, dict[str, Any]]]:
    """Every agencies row, a repeated code included (the importer reports it)."""
    for row, values in sheets.get("agencies", []):
        location, first = agencies[_text(values.get("code"))]
        yield Location(row, "agencies"), first if location.line == row else values


def _attach_children(sheets: dict, agencies: dict) -> Rows:
    orphans: Rows = []
    points: dict[tuple[str, str], dict[str, Any]] = {}
    for title, key in (
        ("aliases", "aliases"),
        ("departments", "departments"),
        ("reception_points", "reception_points"),
    ):
        for row, values in sheets.get(title, []):
            agency = _text(values.pop("agency", None))
            if agency not in agencies:
                orphans.append((Location(row, title), _no_agency(agency)))
                continue
            child = {**values, "_row": str(Location(row, title))}
            agencies[agency][1].setdefault(key, []).append(child)
            if title == "reception_points":
                child.setdefault("counters", [])
                points.setdefault((agency, _text(values.get("name"))), child)
    for row, values in sheets.get("counters", []):
        agency = _text(values.pop("agency", None))
        point = _text(values.pop("reception_point", None))
        if (agency, point) not in points:
            reason = (
                _no_agency(agency)
                if agency not in agencies
                else RecordError(
                    _(
                        "Agency %(agency)s has no reception point named “%(point)s” in the "
                        "reception_points sheet."
                    )
                    % {"agency": agency, "point": point}
                )
            )
            orphans.append((Location(row, "counters"), reason))
            continue
        points[(agency, point)]["counters"].append(
            {**values, "_row": str(Location(row, "counters"))}
        )
    return orphans


def _no_agency(code: str) -> RecordError:
    return RecordError(_("No agency with code %(code)s in the agencies sheet.") % {"code": code})


def _open(path: Path) -> Any:
    try:
        return load_workbook(path, read_only=True, data_only=True)
    except PermissionError:
        raise
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError) as error:
        raise FileFormatError(
            _("%(file)s is not an Excel workbook (.xlsx): %(error)s")
            % {"file": path, "error": error}
        ) from error


def _sheet_rows(sheet: Any, path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    """(row number, {column: value}) for the columns of the sheet's header that motcua
    knows; an empty boolean cell is left out (the default, or what is stored, stays)."""
    rows = sheet.iter_rows(values_only=True)
    header = [str(cell or "").strip().lower() for cell in next(rows, ())]
    known = {key: kind for key, kind, _width in SHEETS[sheet.title]}
    needed = MAIN_KEYS.get(sheet.title, "agency")
    if needed not in header:
        raise FileFormatError(
            _("Sheet %(sheet)s of %(file)s has no %(column)s column.")
            % {"sheet": sheet.title, "file": path, "column": needed}
        )
    for number, row in enumerate(rows, start=2):
        if not any(cell is not None and str(cell).strip() for cell in row):
            continue
        values = {}
        for key, cell in zip(header, row, strict=False):
            if key not in known or (cell in (None, "") and known[key] == BOOL):
                continue
            values[key] = "" if cell is None and known[key] == TEXT else cell
        yield number, values


def _text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return "" if value is None else str(value).strip()
