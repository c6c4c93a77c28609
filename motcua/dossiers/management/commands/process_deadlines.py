"""Record deadline warnings (due soon, apology due, overdue): `--once` for cron and tests,
otherwise every `--interval` seconds until interrupted. Several may run at once."""

import time

from django.core.management.base import BaseCommand
from django.db import close_old_connections, connection

from motcua.dossiers.deadlines import BATCH_SIZE, process_deadlines
from motcua.runtime.services import record_heartbeat


class Command(BaseCommand):
    help = "Record due-soon, apology-prompt and overdue events for open dossiers."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--once", action="store_true", help="run once and exit")
        parser.add_argument("--interval", type=float, default=60.0, help="seconds between runs")
        parser.add_argument("--batch-size", type=int, default=BATCH_SIZE)

    def handle(self, *args, once: bool, interval: float, batch_size: int, **options) -> None:
        while True:
            summary = process_deadlines(batch_size=batch_size)
            record_heartbeat("deadlines")  # read by /healthz
            self.stdout.write(str(summary))
            if once:
                return
            if not connection.in_atomic_block:  # (tests run inside a transaction)
                close_old_connections()  # like a request: drop broken or expired connections
            try:
                time.sleep(interval)
            except KeyboardInterrupt:
                return
