"""import_organisations FILE: load administrative units and agencies (with their aliases,
departments, reception points and counters) from JSON Lines or an Excel workbook.

Format and rules: docs/organisations-import.md. The policy (validate all, one transaction,
skip or refuse, unchanged rows left alone) is in motcua.organisations.interchange.importer.
"""

import csv
import time
from dataclasses import asdict
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from motcua.organisations.interchange.files import FORMATS, FileFormatError, read_rows
from motcua.organisations.interchange.importer import (
    ImportOptions,
    ImportRefused,
    ImportResult,
    import_records,
)

PROGRESS_EVERY = 500
REPORT_COLUMNS = ["location", "type", "code", "action", "reason"]


class Command(BaseCommand):
    help = (
        "Import administrative units and agencies (codes, old codes, kinds, parents, units, "
        "departments, reception points, counters, validity) from JSON Lines or an Excel "
        "workbook. Bad records are reported with their line and skipped; --strict refuses "
        "the whole file instead. One transaction: an interrupted run changes nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--format", choices=FORMATS, help="Default: from the extension.")
        parser.add_argument(
            "--strict", action="store_true", help="Refuse the file if any record is bad."
        )
        parser.add_argument("--dry-run", action="store_true", help="Check and count, save nothing.")
        parser.add_argument(
            "--report", type=Path, metavar="FILE", help="Write every record's outcome (CSV)."
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
        verbosity = options["verbosity"]
        for outcome in result.outcomes:
            if outcome.action == "skipped" and verbosity >= 1 or verbosity >= 2:
                self.stdout.write(
                    f"{outcome.location}\t{outcome.type}\t{outcome.code}\t"
                    f"{_action(outcome.action)}\t{outcome.reason}"
                )
        for line in summary_lines(result):
            self.stdout.write(line)
        if options["report"]:
            with options["report"].open("w", encoding="utf-8", newline="") as out:
                writer = csv.DictWriter(out, fieldnames=REPORT_COLUMNS)
                writer.writeheader()
                for outcome in result.outcomes:
                    row = asdict(outcome)
                    row["location"] = str(outcome.location)
                    writer.writerow(row)
            self.stdout.write(_("Report written to %(file)s.") % {"file": options["report"]})


def summary_lines(result: ImportResult) -> list[str]:
    lines = []
    for record_type, label in (("unit", _("units")), ("agency", _("agencies"))):
        lines.append(
            _("%(what)s: created %(created)d, updated %(updated)d, unchanged %(unchanged)d")
            % {
                "what": label,
                "created": result.count("created", record_type),
                "updated": result.count("updated", record_type),
                "unchanged": result.count("unchanged", record_type),
            }
        )
    lines.append(_("skipped: %(count)d") % {"count": result.count("skipped")})
    if result.dry_run:
        lines.append(_("Dry run: nothing was saved."))
    return lines


def _action(action: str) -> str:
    return {
        "created": pgettext("import outcome", "created"),
        "updated": pgettext("import outcome", "updated"),
        "unchanged": pgettext("import outcome", "unchanged"),
        "skipped": pgettext("import outcome", "skipped"),
    }[action]
