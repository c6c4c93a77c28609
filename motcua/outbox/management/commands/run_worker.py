"""The background worker: periodic jobs, the outbox and django-tasks' queued tasks
(outbox/worker.py). Runs until SIGTERM or Ctrl-C (the task in progress finishes first; a
second signal stops at once); `--once` runs what is due and exits (cron, tests)."""

import signal
import sys

from django.core.management.base import BaseCommand, CommandError

from motcua.outbox.worker import Worker

SIGNALS = (signal.SIGINT, signal.SIGTERM)


class Command(BaseCommand):
    help = "Run the background worker (periodic jobs, outbox delivery, queued tasks)."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--interval", type=float, default=1.0, help="seconds to sleep when idle (1)"
        )
        parser.add_argument("--once", action="store_true", help="run what is due, then exit")
        parser.add_argument("--worker-id", default="", help="name in leases (host:pid:random)")

    def handle(self, *args, interval: float, once: bool, worker_id: str, **options) -> None:
        if interval < 0:
            raise CommandError("--interval must be zero or more")
        if len(worker_id) > 64:
            raise CommandError("--worker-id must be at most 64 characters")
        worker = Worker(interval=interval, worker_id=worker_id or None)
        stopping: list[int] = []

        def stop(number: int, frame) -> None:
            if stopping or not worker.busy:
                for each in SIGNALS:  # leaving: a further signal (a process group's) is moot
                    signal.signal(each, signal.SIG_IGN)
                sys.exit(0)  # idle, or asked twice: the lease brings back any message held
            stopping.append(number)

        # The process's own handlers come back afterwards (a command called in a process that
        # goes on, a test: its later children must still die on SIGTERM).
        previous = {number: signal.signal(number, stop) for number in SIGNALS}
        try:
            worker.run(once=once, should_stop=lambda: bool(stopping))
        finally:
            for number, handler in previous.items():
                signal.signal(number, handler)
