"""JSON Lines: one JSON object per line, UTF-8. Line numbers count every line from 1."""

import json
from collections.abc import Iterable
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

from .errors import FileFormatError
from .parse import RecordError
from .record import Location, json_number


def read_jsonl(path: Path) -> list[tuple[Location, Any]]:
    """(location, object) per non-blank line; a line that is not JSON gives a RecordError
    in place of the object, so it is reported with its line number and skipped."""
    rows: list[tuple[Location, Any]] = []
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
    _check_some_json(path, rows)
    return rows


def _decode(line: str) -> Any:
    try:
        return json.loads(line)
    except json.JSONDecodeError as error:
        return RecordError(_("Not valid JSON: %(error)s.") % {"error": error.msg})


def _check_some_json(path: Path, rows: list[tuple[Location, Any]]) -> None:
    if not rows:
        raise FileFormatError(_("%(file)s has no records.") % {"file": path})
    if all(isinstance(data, RecordError) for _location, data in rows):
        raise FileFormatError(
            _("No line of %(file)s is JSON: it is not a JSON Lines file.") % {"file": path}
        )


def write_jsonl(path: Path, records: Iterable[dict[str, Any]]) -> int:
    """Write one record per line; returns how many."""
    count = 0
    with path.open("w", encoding="utf-8", newline="\n") as out:
        for record in records:
            out.write(json.dumps(record, ensure_ascii=False, default=_json_default) + "\n")
            count += 1
    return count


def _json_default(value: Any) -> Any:
    if isinstance(value, Decimal):
        return json_number(value)
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")
