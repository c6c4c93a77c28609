"""Repair the statistics' running tallies: `python manage.py rebuild_tallies` adds up each
dossier's stored points again (after a crash, a restore or a bulk load); `--recompute`
recomputes the points themselves from the dossier rows first (after a change of the rules:
the migrations that change them do it), about ten times slower."""

import sys
import time

from django.core.management.base import BaseCommand, CommandParser

from motcua.reports.tallies import parallel, rebuild, resum


class Command(BaseCommand):
    help = (
        "Add up the running tallies again from each dossier's stored points; with --recompute, "
        "recompute every dossier's points from its rows first."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--recompute",
            action="store_true",
            help="Recompute every dossier's points from its rows (after a change of the rules).",
        )
        parser.add_argument(
            "--workers",
            type=int,
            default=0,
            help="Processes computing the points with --recompute (default: one per CPU).",
        )

    def handle(self, *args, **options):
        started = time.monotonic()

        def progress(done: int, total: int) -> None:
            rate = done / max(time.monotonic() - started, 1e-6)
            sys.stderr.write(f"\r {done:,}/{total:,} dossiers  {rate:,.0f}/s")
            sys.stderr.flush()

        def tables(done: int, total: int) -> None:
            seconds = time.monotonic() - started
            sys.stderr.write(f"\r {done}/{total} tables  {seconds:,.1f} s")
            sys.stderr.flush()

        if options["recompute"]:
            result = rebuild(progress=progress, workers=options["workers"] or parallel())
        else:
            result = resum(progress=tables)
        sys.stderr.write("\n")
        self.stdout.write(
            "{dossiers:,} dossiers, {changed:,} with new points; {day_rows:,} day rows, "
            "{month_rows:,} month rows; {seconds:.1f} s".format(
                seconds=time.monotonic() - started, **result
            )
        )
