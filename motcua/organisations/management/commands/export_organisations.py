"""export_organisations FILE: write the administrative units and agencies as JSON Lines or
an Excel workbook, in the format import_organisations reads back
(docs/organisations-import.md)."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from motcua.organisations.interchange.exporter import export_records
from motcua.organisations.interchange.files import (
    FORMATS,
    FileFormatError,
    format_of,
    write_records,
)


class Command(BaseCommand):
    help = (
        "Export administrative units and agencies (with aliases, departments, reception "
        "points, counters and validity) to a JSON Lines file or an Excel workbook."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--format", choices=FORMATS, help="Default: from the extension.")
        parser.add_argument(
            "--only", choices=("units", "agencies"), help="Export only units or only agencies."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        only = options["only"]
        try:
            file_format = format_of(path, options["format"])
            records = export_records(units=only != "agencies", agencies=only != "units")
            count = write_records(path, records, file_format)
        except FileFormatError as error:
            raise CommandError(error.message) from error
        self.stdout.write(
            _("Exported %(count)d records to %(file)s.") % {"count": count, "file": path}
        )
