import json
import sys
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from motcua.dossiers.history import BATCH, RowFile, RowResult, import_history
from motcua.runtime.maintenance import refresh_planner_statistics

SHOWN = 50  # rejected rows listed on the terminal; all of them are in the rejects file


class Command(BaseCommand):
    help = (
        "Import historical dossiers (CSV with a header, JSON Lines or a JSON array) with their "
        "real timestamps, as older systems export them (old agency codes, localised procedure "
        "codes, dd/mm/yyyy dates, Vietnamese statuses and channels: docs/history-import.md). "
        "The file is read as a stream and committed in batches; a second run imports nothing "
        "twice, so an interrupted run is resumed by running it again. Bad rows are reported "
        "with their line and reason and written to a rejects file of the same format, to be "
        "fixed and imported again."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--rejects",
            type=Path,
            help=_("Where to write the rows refused (default: <file>.rejects.<ext> beside it)."),
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help=_(
                "Read and check every row, write nothing: what would be imported and why "
                "rows would be refused."
            ),
        )
        parser.add_argument(
            "--batch-size",
            type=int,
            default=BATCH,
            help=_("Rows committed together (default %(default)s)."),
        )

    def handle(self, *args, **options):
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(_("No such file: %(path)s") % {"path": path})
        if options["batch_size"] < 1:
            raise CommandError(_("--batch-size must be at least 1."))
        try:
            rows = RowFile(path)
        except (UnicodeDecodeError, json.JSONDecodeError, ValueError) as error:
            raise CommandError(
                _("%(path)s is not a CSV or JSON file of dossiers: %(error)s")
                % {"path": path, "error": error}
            ) from None
        default_rejects = path.with_name(f"{path.stem}.rejects{path.suffix}")
        rejects = rows.rejects(options["rejects"] or default_rejects)
        shown = 0

        def on_reject(result: RowResult, row) -> None:
            nonlocal shown
            rejects.write(row, result.reason)
            if shown < SHOWN:
                self.stdout.write(f"line {result.line}\t{result.code}\t{result.reason}")
            shown += 1

        def on_unknown_column(name: str) -> None:
            self.stdout.write(_("Unknown column “%(name)s”: ignored.") % {"name": name})

        progress = _Progress(self.stderr._out if hasattr(self.stderr, "_out") else sys.stderr)
        try:
            result = import_history(
                rows,
                source=path.name,
                batch_size=options["batch_size"],
                on_reject=on_reject,
                on_unknown_column=on_unknown_column,
                progress=progress,
                dry_run=options["dry_run"],
            )
        except UnicodeDecodeError as error:
            raise CommandError(
                _("%(path)s is not a CSV or JSON file of dossiers: %(error)s")
                % {"path": path, "error": error}
            ) from None
        finally:
            rejects.close()
            progress.close()
        for old, new in result.aliases_recorded:
            if options["dry_run"]:
                line = _("Old agency code %(old)s would be recorded as an alias of %(new)s.")
            else:
                line = _("Old agency code %(old)s recorded as an alias of %(new)s.")
            self.stdout.write(line % {"old": old, "new": new})
        if shown > SHOWN:
            self.stdout.write(_("… and %(n)d more rejected rows.") % {"n": shown - SHOWN})
        if rejects.count:
            self.stdout.write(
                _("Rejected rows written to %(path)s: fix them and import that file.")
                % {"path": rejects.path}
            )
        elif options["rejects"] is None and default_rejects.exists():
            default_rejects.unlink()  # ours, from an earlier run: nothing is rejected now
        if options["dry_run"]:
            self.stdout.write(_("Dry run: nothing was written. As it would be:"))
        elif result.imported:
            # A bulk load changes the tables' shape: SQLite's planner would guess until the
            # night's job (runtime/maintenance.py) and pick slow plans for the queues.
            self.stdout.write(refresh_planner_statistics())
        self.stdout.write(
            _(
                "imported: %(imported)d, skipped: %(skipped)d "
                "(already imported: %(already)d, rejected: %(rejected)d)"
            )
            % {
                "imported": result.imported,
                "skipped": result.already + result.rejected,
                "already": result.already,
                "rejected": result.rejected,
            }
        )


class _Progress:
    """`\\r  rows read: 120,000  5,400/s` on the terminal, redrawn at most twice a second."""

    def __init__(self, stream):
        self.stream = stream
        self.started = self.drawn = time.perf_counter()
        self.rows = 0

    def __call__(self, rows: int) -> None:
        self.rows = rows
        now = time.perf_counter()
        if now - self.drawn >= 0.5:
            self.drawn = now
            self._draw(now)

    def _draw(self, now: float) -> None:
        rate = self.rows / max(now - self.started, 1e-9)
        line = _("rows read: %(rows)s  %(rate)s/s") % {
            "rows": f"{self.rows:,}",
            "rate": f"{rate:,.0f}",
        }
        self.stream.write(f"\r  {line}".ljust(60))
        self.stream.flush()

    def close(self) -> None:
        if self.rows and self.drawn > self.started:
            self._draw(time.perf_counter())
            self.stream.write("\n")
            self.stream.flush()
