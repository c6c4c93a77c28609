"""Locations, errors, JSON Lines, and which reader or writer a file needs."""

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

from motcua.interchange import (
    FORMATS,
    FileFormatError,
    RecordError,
    format_of,
    read_file,
    write_file,
)

__all__ = [
    "FORMATS", "FileFormatError", "Location", "RecordError", "Rows", "format_of", "read_jsonl",
    "read_rows", "write_jsonl", "write_records",
]  # fmt: skip


@dataclass(frozen=True)
class Location:
    """Where a record came from: a JSON Lines line, or a row of a workbook sheet."""

    line: int
    sheet: str = ""

    def __str__(self) -> str:
        if self.sheet:
            return _("%(sheet)s row %(row)d") % {"sheet": self.sheet, "row": self.line}
        return _("line %(line)d") % {"line": self.line}


Rows = list[tuple[Location, Any]]


def read_rows(path: Path, file_format: str | None = None) -> Rows:
    """(location, record dict or RecordError) for every record of the file."""
    from .xlsx import read_xlsx

    return read_file(path, {"jsonl": read_jsonl, "xlsx": read_xlsx}, file_format)


def write_records(
    path: Path, records: Iterable[dict[str, Any]], file_format: str | None = None
) -> int:
    """Write to FILE.part, then rename: an interrupted export leaves no half-written file."""
    from .xlsx import write_xlsx

    return write_file(path, records, {"jsonl": write_jsonl, "xlsx": write_xlsx}, file_format)


# --- JSON Lines ----------------------------------------------------------------------------


def read_jsonl(path: Path) -> Rows:
    """(location, object) per non-blank line, numbered from 1 over every line; a line that is
    not JSON gives a RecordError in its place, reported with its line number."""
    rows: Rows = []
    try:
        with path.open(encoding="utf-8-sig") as lines:
            for number, line in enumerate(lines, start=1):
                if line.strip():
                    rows.append((Location(number), _decode(line)))
    except UnicodeDecodeError as error:
        raise FileFormatError(
            _("%(file)s is not UTF-8 text, so not JSON Lines (%(error)s).")
            % {"file": path, "error": error.reason}
        ) from error
    if not rows:
        raise FileFormatError(_("%(file)s has no records.") % {"file": path})
    if all(isinstance(data, RecordError) for _location, data in rows):
        raise FileFormatError(
            _("No line of %(file)s is JSON: it is not a JSON Lines file.") % {"file": path}
        )
    return rows


def _decode(line: str) -> Any:
    try:
        return json.loads(line)
    except json.JSONDecodeError as error:
        return RecordError(_("Not valid JSON: %(error)s.") % {"error": error.msg})


def write_jsonl(path: Path, records: Iterable[dict[str, Any]]) -> int:
    count = 0
    with path.open("w", encoding="utf-8", newline="\n") as out:
        for record in records:
            out.write(json.dumps(record, ensure_ascii=False, default=_json_default) + "\n")
            count += 1
    return count


def _json_default(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")
