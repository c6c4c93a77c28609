"""import_catalogue FILE: load procedures from JSON Lines or an Excel workbook.

Rules and repairs: docs/catalogue-import.md. The policy (one transaction, skip or refuse,
idempotent re-import) is in motcua.catalogue.interchange.importer.
"""

import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from motcua.catalogue.interchange.errors import FileFormatError
from motcua.catalogue.interchange.files import FORMATS, read_rows
from motcua.catalogue.interchange.importer import (
    ImportOptions,
    ImportRefused,
    ImportResult,
    import_records,
)
from motcua.catalogue.interchange.report import (
    report_rows,
    rule_lines,
    summary_lines,
    write_report,
)
from motcua.organisations.models import Agency

PROGRESS_EVERY = 250


class Command(BaseCommand):
    help = (
        "Import procedures from a JSON Lines file or an Excel workbook (the national portal "
        "schema or motcua's own). Bad records are reported and skipped; --strict refuses the "
        "whole file instead. Nothing is saved if the run is interrupted."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--format", choices=FORMATS, help="Default: from the extension.")
        parser.add_argument(
            "--strict", action="store_true", help="Refuse the file if any record is bad."
        )
        parser.add_argument(
            "--owner-agency", metavar="CODE", help="Agency that manages new procedures."
        )
        parser.add_argument("--dry-run", action="store_true", help="Check and count, save nothing.")
        parser.add_argument(
            "--report",
            type=Path,
            metavar="FILE",
            help="Write skipped and repaired records (.csv or .jsonl).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        started = time.monotonic()
        try:
            rows = read_rows(path, options["format"])
        except FileFormatError as error:
            raise CommandError(error.message) from error
        settings = ImportOptions(
            strict=options["strict"],
            dry_run=options["dry_run"],
            owner_agency=_owner_agency(options["owner_agency"]),
            source_name=path.name,
            progress=self._progress if options["verbosity"] >= 1 else None,
        )
        try:
            result = import_records(rows, settings)
        except ImportRefused as refused:
            self._report(refused.result, options)
            raise CommandError(str(refused)) from refused
        self._report(result, options)
        self.stdout.write(_("Done in %(seconds).1f s.") % {"seconds": time.monotonic() - started})

    def _progress(self, done: int, total: int) -> None:
        if done % PROGRESS_EVERY == 0 or done == total:
            self.stderr.write(f"{done * 100 // total:3d}% ({done}/{total})")

    def _report(self, result: ImportResult, options: dict[str, Any]) -> None:
        rows = report_rows(result)
        if options["verbosity"] >= 1:
            for row in rows:
                self.stdout.write(
                    f"{row['location']}\t{row['code']}\t{row['action']}\t{row['reason']}"
                )
        for line in summary_lines(result):
            self.stdout.write(line)
        if options["verbosity"] >= 2:
            self.stdout.write("\n".join(rule_lines(result)))
        if options["report"]:
            write_report(options["report"], rows)
            self.stdout.write(_("Report written to %(file)s.") % {"file": options["report"]})


def _owner_agency(code: str | None) -> Agency | None:
    if not code:
        return None
    agency = Agency.objects.filter(code=code).first()
    if agency is None:
        raise CommandError(_("Unknown agency code %(code)s.") % {"code": code})
    return agency
