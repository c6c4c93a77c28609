"""The background worker (`manage.py run_worker`): one loop that, each round,

1. enqueues the periodic jobs whose turn has come (outbox.schedule);
2. enqueues a drain of the outbox (tasks.drain_outbox) when messages are due and no drain
   is already waiting;
3. runs one ready django-tasks task of the database backend, taken and run exactly as
   django-tasks-db's own `db_worker` does (its Worker.run_task);
4. records its heartbeat for /healthz (at most every HEARTBEAT_SECONDS),

and sleeps `interval` seconds when there was nothing to run. django-tasks-db's `db_worker`
alone would run the tasks but neither schedule the periodic ones nor take again the work of a
worker that died; the outbox's leases do the latter (decision record 0009).

Several workers may run (PostgreSQL): periodic turns are taken in the database, tasks are
taken with SKIP LOCKED by django-tasks-db, messages are leased by outbox.delivery. On SQLite
one worker is what runs (scripts/serve).
"""

import logging
import time
from datetime import datetime

from django.db import close_old_connections, connection
from django.db.utils import DatabaseError, OperationalError
from django.utils import timezone
from django_tasks import DEFAULT_TASK_BACKEND_ALIAS, task_backends
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.management.commands.db_worker import Worker as TaskRunner
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import exclusive_transaction, is_locked_database_exception

from motcua.runtime.services import record_heartbeat

from . import delivery, schedule, tasks

logger = logging.getLogger(__name__)
HEARTBEAT_SECONDS = 30.0
HEARTBEAT_NAME = "worker"
RETRY_SECONDS = 5.0


class Worker:
    def __init__(self, *, interval: float = 1.0, worker_id: str | None = None) -> None:
        self.interval = interval
        self.id = worker_id or delivery.worker_id()
        self.backend = DEFAULT_TASK_BACKEND_ALIAS
        self.runner = TaskRunner(
            queue_names=["*"],
            interval=interval,
            batch=False,
            backend_name=self.backend,
            startup_delay=False,
            max_tasks=None,
            worker_id=self.id,
            excluded_queue_names=[],
        )
        self.last_beat = 0.0
        self.busy = False

    def round(self, now: datetime | None = None) -> bool:
        """One round (see the module docstring); True when it ran a task."""
        now = now or timezone.now()
        schedule.enqueue_due(now)
        self._wake_outbox(now)
        ran = self._run_one()
        self._beat()
        return ran

    def run(self, *, once: bool = False, should_stop=lambda: False) -> None:
        """Rounds until `should_stop()`; with `once`, until no task is left to run."""
        while not should_stop():
            self._refresh_connections()
            try:
                ran = self.round()
            except DatabaseError:
                # A database restarting, or SQLite busy beyond its timeout: not a reason to
                # stop (scripts/serve would stop the server with it); try again shortly.
                logger.exception("worker: round failed, retrying in %s s", RETRY_SECONDS)
                time.sleep(RETRY_SECONDS)
                continue
            self._refresh_connections()
            if once and not ran:
                return
            if not ran:
                time.sleep(self.interval)

    @staticmethod
    def _refresh_connections() -> None:
        """Like a request: drop broken or expired connections (not inside a transaction: the
        tests run the command in theirs)."""
        if not connection.in_atomic_block:
            close_old_connections()

    def _wake_outbox(self, now: datetime) -> None:
        if not delivery.has_due(now):
            return
        waiting = self._ready().filter(task_path=tasks.drain_outbox.module_path)
        if not waiting.exists():
            tasks.drain_outbox.enqueue()

    def _ready(self):
        return DBTaskResult.objects.ready().filter(backend_name=self.backend)

    def _run_one(self) -> bool:
        if not isinstance(task_backends[self.backend], DatabaseBackend):
            return False  # tasks already ran when enqueued (immediate backend)
        ready = self._ready()
        if not ready.exists():  # a plain read first: an idle worker takes no write lock
            return False
        with exclusive_transaction(ready.db):
            try:
                result = ready.get_locked()
                if result is not None:
                    result.claim(self.id)
            except OperationalError as error:
                if not is_locked_database_exception(error):
                    raise
                return False
        if result is None:
            return False
        self.busy = True
        try:
            self.runner.run_task(result)
        finally:
            self.busy = False
        return True

    def _beat(self) -> None:
        if time.monotonic() - self.last_beat >= HEARTBEAT_SECONDS:
            record_heartbeat(HEARTBEAT_NAME)
            self.last_beat = time.monotonic()
