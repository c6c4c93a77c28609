"""Excel workbook (.xlsx) in the interchange schema, laid out for people editing it.

Sheets: "procedures" (one row per procedure; lists of codes comma-separated, structured
lists as JSON), "channels", "components", "fees" and "steps" (one row per item, keyed by the
procedure code), and "long_texts" for the rest of any text longer than a cell may hold
(32,767 characters in Excel). Row numbers in reports are the spreadsheet's own.
"""

import json
import zipfile
from collections import defaultdict
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException

from motcua.spreadsheets import put_value

from .errors import FileFormatError
from .parse import RecordError
from .record import SCHEMA, Location

CELL_LIMIT = 32_000
FILE_SEPARATOR = " | "
# (key, kind, width). Kinds: text, number, bool, list (comma-separated), json, files.
PROCEDURE_COLUMNS = [
    ("code", "text", 14),
    ("name", "text", 60),
    ("field", "text", 30),
    ("field_code", "text", 20),
    ("levels", "list", 18),
    ("procedure_type", "text", 24),
    ("publishing_agency", "text", 24),
    ("decision_number", "text", 18),
    ("applicant_types", "list", 24),
    ("target_subjects", "text", 40),
    ("agency", "text", 40),
    ("competent_authority", "text", 30),
    ("coordinating_agency", "text", 30),
    ("receiving_address", "text", 30),
    ("owner_agency", "text", 14),
    ("implementing_agencies", "list", 20),
    ("deciding_agency", "text", 14),
    ("online_level", "text", 12),
    ("boundary_independent", "bool", 12),
    ("supplement_clock", "text", 12),
    ("time_limit_value", "number", 10),
    ("time_limit_unit", "text", 14),
    ("time_limit_text", "text", 24),
    ("fees_text", "text", 40),
    ("documents_note", "text", 40),
    ("requirements", "text", 40),
    ("result", "text", 40),
    ("steps_text", "text", 60),
    ("legal_basis_text", "text", 40),
    ("results", "json", 30),
    ("legal_basis", "json", 30),
    ("source", "json", 30),
    ("import_notes", "json", 30),
]
# sheet -> (key in the record, columns after "code")
CHILD_SHEETS = {
    "channels": (
        "channels",
        [
            ("channel", "text", 12),
            ("time_limit", "text", 24),
            ("time_limit_value", "number", 10),
            ("time_limit_unit", "text", 14),
        ],
    ),
    "components": (
        "documents",
        [
            ("order", "number", 7),
            ("case", "text", 40),
            ("name", "text", 70),
            ("originals", "number", 9),
            ("copies", "number", 9),
            ("is_mandatory", "bool", 11),
            ("form_files", "files", 40),
            ("kind", "text", 10),
            ("filing", "text", 10),
        ],
    ),
    "fees": (
        "fees",
        [
            ("order", "number", 7),
            ("name", "text", 30),
            ("amount", "number", 14),
            ("rule", "text", 50),
            ("channel", "text", 12),
            ("charged_at", "text", 12),
        ],
    ),
    "steps": (
        "steps",
        [
            ("order", "number", 7),
            ("name", "text", 30),
            ("role", "text", 18),
            ("budget_hours", "number", 12),
            ("agency", "text", 14),
            ("department", "text", 14),
            ("is_inter_agency", "bool", 14),
        ],
    ),
}
LONG_TEXTS = ("long_texts", [("sheet", "text", 12), ("column", "text", 18), ("text", "text", 80)])
CODE_COLUMN = ("code", "text", 14)


# --- writing ---------------------------------------------------------------------------


class _SheetWriter:
    def __init__(self, workbook: Workbook, title: str, columns: list, first: bool = False):
        self.sheet = workbook.active if first else workbook.create_sheet(title)
        self.sheet.title = title
        self.columns = columns
        self.row = 1
        for index, (key, _kind, width) in enumerate(columns, start=1):
            self.sheet.cell(row=1, column=index, value=key).font = Font(bold=True)
            self.sheet.column_dimensions[get_column_letter(index)].width = width
        self.sheet.freeze_panes = "A2"

    def append(self, values: list[Any]) -> None:
        self.row += 1
        for index, value in enumerate(values, start=1):
            put_value(self.sheet.cell(row=self.row, column=index), value)

    def finish(self) -> None:
        self.sheet.auto_filter.ref = self.sheet.dimensions


def write_xlsx(path: Path, records: Iterable[dict[str, Any]]) -> int:
    """Write the records (interchange dicts) to a workbook; returns how many."""
    workbook = Workbook()
    main = _SheetWriter(workbook, "procedures", PROCEDURE_COLUMNS, first=True)
    children = {
        sheet: _SheetWriter(workbook, sheet, [CODE_COLUMN, *columns])
        for sheet, (_key, columns) in CHILD_SHEETS.items()
    }
    long_texts = _SheetWriter(workbook, LONG_TEXTS[0], [CODE_COLUMN, *LONG_TEXTS[1]])
    count = 0
    for record in records:
        code = record["code"]
        main.append(_cells(record, PROCEDURE_COLUMNS, code, long_texts))
        for sheet, (key, columns) in CHILD_SHEETS.items():
            for child in record.get(key) or []:
                child = {"channel": child} if isinstance(child, str) else child
                children[sheet].append([code, *_cells(child, columns, code, None)])
        count += 1
    for writer in [main, *children.values(), long_texts]:
        writer.finish()
    workbook.save(path)
    return count


def _cells(data: dict, columns: list, code: str, long_texts: _SheetWriter | None) -> list:
    """Cell values of one row. In the procedures sheet (`long_texts` given) a text too long
    for a cell continues in the long_texts sheet."""
    cells = []
    for key, kind, _width in columns:
        value = _to_cell(data.get(key), kind)
        if long_texts and isinstance(value, str) and len(value) > CELL_LIMIT:
            for start in range(CELL_LIMIT, len(value), CELL_LIMIT):
                long_texts.append([code, "procedures", key, value[start : start + CELL_LIMIT]])
            value = value[:CELL_LIMIT]
        cells.append(value)
    return cells


def _to_cell(value: Any, kind: str) -> Any:
    if kind == "list":
        return ", ".join(str(item) for item in value or []) or None
    if kind == "files":
        return FILE_SEPARATOR.join(str(item) for item in value or []) or None
    if kind == "json":
        return None if value is None else json.dumps(value, ensure_ascii=False)
    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub("", value) or None
    return value


# --- reading ---------------------------------------------------------------------------


def read_xlsx(path: Path) -> list[tuple[Location, Any]]:
    """(location, record dict) per procedures row; child rows are attached by code, and a
    child row whose code has no procedure row is returned as an error of its own."""
    workbook = _open(path)
    if "procedures" not in workbook.sheetnames:
        raise FileFormatError(_("%(file)s has no sheet named procedures.") % {"file": path})
    long_texts = _long_texts(workbook)
    procedures = list(_sheet_rows(workbook["procedures"], path))
    if not procedures:
        raise FileFormatError(_("%(file)s has no records.") % {"file": path})
    codes = {str(values.get("code") or "").strip() for _row, values in procedures}
    children, orphans = _children(workbook, codes, path)
    rows = [
        (Location(row, "procedures"), _procedure(values, children, long_texts))
        for row, values in procedures
    ]
    workbook.close()
    return rows + orphans


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
    rows = sheet.iter_rows(values_only=True)
    header = [str(cell or "").strip().lower() for cell in next(rows, ())]
    if "code" not in header:
        raise FileFormatError(
            _("Sheet %(sheet)s of %(file)s has no code column.")
            % {"sheet": sheet.title, "file": path}
        )
    for number, row in enumerate(rows, start=2):
        if any(cell is not None and str(cell).strip() for cell in row):
            yield number, dict(zip(header, row, strict=False))


def _long_texts(workbook: Any) -> dict[tuple[str, str, str], str]:
    parts: dict[tuple[str, str, str], str] = defaultdict(str)
    if LONG_TEXTS[0] in workbook.sheetnames:
        for _row, values in _sheet_rows(workbook[LONG_TEXTS[0]], Path(LONG_TEXTS[0])):
            key = (str(values.get("code")), str(values.get("sheet")), str(values.get("column")))
            parts[key] += str(values.get("text") or "")
    return parts


def _children(
    workbook: Any, codes: set[str], path: Path
) -> tuple[dict[tuple[str, str], list[dict]], list[tuple[Location, Any]]]:
    children: dict[tuple[str, str], list[dict]] = defaultdict(list)
    orphans: list[tuple[Location, Any]] = []
    for sheet, (key, columns) in CHILD_SHEETS.items():
        if sheet not in workbook.sheetnames:
            continue
        for row, values in _sheet_rows(workbook[sheet], path):
            code = str(values.get("code") or "").strip()
            if code not in codes:
                error = RecordError(_("No procedure with code %(code)s.") % {"code": code})
                orphans.append((Location(row, sheet), error))
                continue
            child = _from_cells(values, columns, code, sheet, {})
            children[(key, code)].append({**child, "_row": f"{sheet} row {row}"})
    return children, orphans


def _procedure(values: dict, children: dict, long_texts: dict) -> Any:
    code = str(values.get("code") or "").strip()
    try:
        cells = _from_cells(values, PROCEDURE_COLUMNS, code, "procedures", long_texts)
    except RecordError as error:
        return error
    data = {"schema": SCHEMA, **cells}
    for key, _columns in CHILD_SHEETS.values():
        data[key] = [_drop_blank_time(child) for child in children.get((key, code), [])]
    return data


def _from_cells(values: dict, columns: list, code: str, sheet: str, long_texts: dict) -> dict:
    data = {}
    for key, kind, _width in columns:
        value = values.get(key)
        if isinstance(value, str) and (code, sheet, key) in long_texts:
            value += long_texts[(code, sheet, key)]
        data[key] = _from_cell(value, kind, key)
    return data


def _from_cell(value: Any, kind: str, key: str) -> Any:
    if value is None or (isinstance(value, str) and not value.strip() and kind != "text"):
        return [] if kind in {"list", "files"} else None
    if kind == "list":
        return [item.strip() for item in str(value).split(",") if item.strip()]
    if kind == "files":
        return [item.strip() for item in str(value).split(FILE_SEPARATOR.strip()) if item.strip()]
    if kind == "json":
        try:
            return json.loads(value)
        except (TypeError, json.JSONDecodeError) as error:
            raise RecordError(_("%(key)s: not valid JSON.") % {"key": key}) from error
    if kind == "text" and not isinstance(value, str):
        return str(value)
    return value


def _drop_blank_time(child: dict) -> dict:
    """A channel row with no time at all is just the channel."""
    if "time_limit" in child and not any(
        child.get(key) not in (None, "")
        for key in ("time_limit", "time_limit_value", "time_limit_unit")
    ):
        return {key: value for key, value in child.items() if not key.startswith("time_limit")}
    return child
