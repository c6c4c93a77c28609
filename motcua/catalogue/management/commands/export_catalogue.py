"""export_catalogue FILE: write the published catalogue as JSON Lines or an Excel workbook,
in the schema `import_catalogue` reads back (docs/catalogue-import.md)."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from motcua.catalogue.interchange.errors import FileFormatError
from motcua.catalogue.interchange.exporter import export_records
from motcua.catalogue.interchange.files import FORMATS, format_of, write_records
from motcua.catalogue.models import Procedure


class Command(BaseCommand):
    help = "Export published procedures to a JSON Lines file or an Excel workbook."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--format", choices=FORMATS, help="Default: from the extension.")
        parser.add_argument(
            "--code",
            action="append",
            default=[],
            help="Only this procedure code (repeat, or separate with commas).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        codes = [c.strip() for value in options["code"] for c in value.split(",") if c.strip()]
        _check_codes(codes)
        try:
            file_format = format_of(path, options["format"])
            count = write_records(path, export_records(codes or None), file_format)
        except FileFormatError as error:
            raise CommandError(error.message) from error
        self.stdout.write(
            _("Exported %(count)d procedures to %(file)s.") % {"count": count, "file": path}
        )


def _check_codes(codes: list[str]) -> None:
    """Every requested code must be a published procedure, or the export would be silently short."""
    found = set(Procedure.objects.published().filter(code__in=codes).values_list("code", flat=True))
    missing = [code for code in codes if code not in found]
    if missing:
        raise CommandError(
            _("No published procedure with code %(codes)s.") % {"codes": ", ".join(missing)}
        )
