"""Which reader or writer a file needs: by --format, else by the file's extension."""

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from motcua.interchange import FORMATS, format_of, read_file, write_file

from .jsonl import read_jsonl, write_jsonl
from .record import Location
from .xlsx import read_xlsx, write_xlsx

__all__ = ["FORMATS", "format_of", "read_rows", "write_records"]


def read_rows(path: Path, file_format: str | None = None) -> list[tuple[Location, Any]]:
    """(location, record dict or RecordError) for every record of the file."""
    return read_file(path, {"jsonl": read_jsonl, "xlsx": read_xlsx}, file_format)


def write_records(
    path: Path, records: Iterable[dict[str, Any]], file_format: str | None = None
) -> int:
    """Write to FILE.part, then rename: an interrupted export leaves no half-written file."""
    return write_file(path, records, {"jsonl": write_jsonl, "xlsx": write_xlsx}, file_format)
