"""What the catalogue's and the organisations' import/export files share (catalogue/interchange,
organisations/interchange): the errors, telling a file's format, reading it with a clear error,
and writing it whole or not at all. Each app keeps its own records, locations and readers."""

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

FORMATS = ("jsonl", "xlsx")
EXTENSIONS = {".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "jsonl", ".xlsx": "xlsx"}


class RecordError(Exception):
    """A record that cannot be imported; `reason` says why, in the active language."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


class FileFormatError(Exception):
    """A file that cannot be read at all (missing, wrong format, no records)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def format_of(path: Path, given: str | None) -> str:
    """--format when given, else the file's extension."""
    if given:
        return given
    try:
        return EXTENSIONS[path.suffix.lower()]
    except KeyError:
        raise FileFormatError(
            _("Cannot tell the format of %(file)s from its extension; give --format jsonl or xlsx.")
            % {"file": path}
        ) from None


def read_file(path: Path, readers: dict[str, Callable[[Path], Any]], given: str | None) -> Any:
    """The file read by the reader of its format (`readers`: format -> reader), with a missing
    or unreadable file said as a FileFormatError."""
    if not path.is_file():
        raise FileFormatError(_("No such file: %(file)s") % {"file": path})
    reader = readers[format_of(path, given)]
    try:
        return reader(path)
    except PermissionError as error:
        raise FileFormatError(
            _("Cannot read %(file)s: %(error)s") % {"file": path, "error": error}
        ) from error


Writer = Callable[[Path, Iterable[dict[str, Any]]], int]


def write_file(
    path: Path, records: Iterable[dict[str, Any]], writers: dict[str, Writer], given: str | None
) -> int:
    """Write with the writer of the file's format to FILE.part, then rename: an interrupted
    export leaves no half-written file; the number of records written."""
    writer = writers[format_of(path, given)]
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
