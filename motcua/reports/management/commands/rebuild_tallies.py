"""Recompute the statistics' running tallies from the dossier rows (after a bulk load, or to
repair): `python manage.py rebuild_tallies`."""

import sys
import time

from django.core.management.base import BaseCommand

from motcua.reports.tallies import rebuild


class Command(BaseCommand):
    help = "Recompute every dossier's statistical points and the running tallies."

    def handle(self, *args, **options):
        started = time.monotonic()

        def progress(done: int, total: int) -> None:
            rate = done / max(time.monotonic() - started, 1e-6)
            sys.stderr.write(f"\r {done:,}/{total:,}  {rate:,.0f}/s")
            sys.stderr.flush()

        result = rebuild(progress=progress)
        sys.stderr.write("\n")
        self.stdout.write(
            "{dossiers:,} dossiers, {changed:,} with new points; {day_rows:,} day rows, "
            "{month_rows:,} month rows; {seconds:.1f} s".format(
                seconds=time.monotonic() - started, **result
            )
        )
