"""Periodic jobs: each app registers its own (in AppConfig.ready) with `every`, and the
worker (outbox.worker) enqueues each one as a django-tasks task once per period.

django-tasks has no scheduler of its own. The period's turn is taken in the database
(models.PeriodicJob): the worker that moves a job's `next_run_at` forward enqueues the run in
the same transaction, so several workers never enqueue the same period twice, and a worker
that dies after taking the turn did not enqueue it either (the transaction rolled back). A
run that dies half-way is not repeated: the next period's run does the same work, which is
why every periodic job is written to be run again (deadline warnings are recorded once per
appointment, snapshots once per month).
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django_tasks.base import Task

from .models import PeriodicJob

MINUTE, HOUR, DAY = 60.0, 3600.0, 86400.0


@dataclass(frozen=True)
class Job:
    name: str
    task: Task
    seconds: float


_jobs: dict[str, Job] = {}


def every(seconds: float, task: Task, *, name: str) -> None:
    """Run `task` (no arguments) every `seconds`, the first time as soon as a worker runs."""
    if seconds <= 0:
        raise ValueError("a period must be positive")
    _jobs[name] = Job(name, task, seconds)


def jobs() -> list[Job]:
    return [_jobs[name] for name in sorted(_jobs)]


def enqueue_due(now: datetime | None = None) -> list[str]:
    """Enqueue the jobs whose turn has come; their names. One read when none is due."""
    now = now or timezone.now()
    known = dict(PeriodicJob.objects.values_list("name", "next_run_at"))
    due = [job for job in jobs() if job.name not in known or known[job.name] <= now]
    return [job.name for job in due if _take_turn(job, now, first=job.name not in known)]


def _take_turn(job: Job, now: datetime, *, first: bool) -> bool:
    after = now + timedelta(seconds=job.seconds)
    with transaction.atomic():
        if first:
            row = PeriodicJob(name=job.name, next_run_at=now)
            PeriodicJob.objects.bulk_create([row], ignore_conflicts=True)
        # Conditional: of two workers, the second finds the turn already moved (PostgreSQL
        # re-reads the row after the first one's commit; SQLite runs them one after the other).
        taken = PeriodicJob.objects.filter(name=job.name, next_run_at__lte=now).update(
            next_run_at=after, last_enqueued_at=now
        )
        if taken:
            job.task.enqueue()
    return bool(taken)
