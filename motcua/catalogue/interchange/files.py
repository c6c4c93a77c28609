"""Which reader or writer a file needs: by --format, else by the file's extension."""

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

from .errors import FileFormatError
from .jsonl import read_jsonl, write_jsonl
from .record import Location
from .xlsx import read_xlsx, write_xlsx

FORMATS = ("jsonl", "xlsx")
EXTENSIONS = {".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "jsonl", ".xlsx": "xlsx"}


def format_of(path: Path, given: str | None) -> str:
    if given:
        return given
    try:
        return EXTENSIONS[path.suffix.lower()]
    except KeyError:
        raise FileFormatError(
            _("Cannot tell the format of %(file)s from its extension; give --format jsonl or xlsx.")
            % {"file": path}
        ) from None


def read_rows(path: Path, file_format: str | None = None) -> list[tuple[Location, Any]]:
    """(location, record dict or RecordError) for every record of the file."""
    if not path.is_file():
        raise FileFormatError(_("No such file: %(file)s") % {"file": path})
    file_format = format_of(path, file_format)
    reader = read_xlsx if file_format == "xlsx" else read_jsonl
    try:
        return reader(path)
    except PermissionError as error:
        raise FileFormatError(
            _("Cannot read %(file)s: %(error)s") % {"file": path, "error": error}
        ) from error


def write_records(
    path: Path, records: Iterable[dict[str, Any]], file_format: str | None = None
) -> int:
    """Write to FILE.part, then rename: an interrupted export leaves no half-written file."""
    writer = write_xlsx if format_of(path, file_format) == "xlsx" else write_jsonl
    partial = path.with_name(path.name + ".part")
    try:
        count = writer(partial, records)
        partial.replace(path)
        return count
    except OSError as error:
        raise FileFormatError(
            _("Cannot write %(file)s: %(error)s") % {"file": path, "error": error}
        ) from error
    finally:
        partial.unlink(missing_ok=True)
