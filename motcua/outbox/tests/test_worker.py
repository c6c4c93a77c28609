"""The worker (run_worker): each periodic job enqueued once per period however many workers,
run as django-tasks tasks of the database backend; the outbox drained when messages are due;
its heartbeat read by /healthz."""

import signal
from datetime import timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.db import OperationalError, transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from motcua.outbox import schedule
from motcua.outbox.models import OutboxMessage, PeriodicJob
from motcua.outbox.services import enqueue
from motcua.outbox.tasks import prune
from motcua.outbox.worker import Worker
from motcua.runtime.models import WorkerHeartbeat

pytestmark = pytest.mark.django_db
JOBS = {
    "dossiers.deadlines": "motcua.dossiers.tasks.record_deadline_warnings",
    "fakepay.callbacks": "motcua.fakepay.tasks.send_due_callbacks",
    "filing.expired_drafts": "motcua.filing.tasks.remove_expired_drafts",
    "outbox.prune": "motcua.outbox.tasks.prune",
    "payments.query": "motcua.payments.tasks.query_pending_payments",
    "queueing.close_days": "motcua.queueing.tasks.close_past_tickets",
    "reports.snapshots": "motcua.reports.tasks.make_month_snapshots",
    "runtime.analyse": "motcua.runtime.maintenance.analyse_database",
}


def task_paths() -> list[str]:
    return sorted(DBTaskResult.objects.values_list("task_path", flat=True))


def run_until_idle(worker: Worker) -> None:
    for _ in range(50):
        if not worker.round():
            return
    raise AssertionError("the worker never ran out of tasks")


def test_the_apps_register_their_periodic_jobs():
    assert {job.name: job.task.module_path for job in schedule.jobs()} == JOBS


def test_two_workers_enqueue_each_periodic_job_once_per_period(settings):
    first, second = Worker(worker_id="w1"), Worker(worker_id="w2")
    now = timezone.now()
    first.round(now)
    second.round(now)
    assert task_paths().count(JOBS["dossiers.deadlines"]) == 1
    assert PeriodicJob.objects.count() == len(JOBS)
    later = now + timedelta(seconds=settings.MOTCUA_DEADLINES_INTERVAL + 1)
    with time_machine.travel(later):
        second.round(later)
        first.round(later)
    assert task_paths().count(JOBS["dossiers.deadlines"]) == 2
    assert task_paths().count(JOBS["reports.snapshots"]) == 1  # hourly


def test_the_worker_runs_the_tasks_and_records_its_heartbeat():
    worker = Worker(worker_id="w1")
    run_until_idle(worker)
    results = DBTaskResult.objects.all()
    assert sorted(results.values_list("task_path", flat=True)) == sorted(JOBS.values())
    assert set(results.values_list("status", flat=True)) == {"SUCCESSFUL"}
    assert WorkerHeartbeat.objects.get(name="worker").pid > 0


def test_due_messages_are_drained_by_a_task(topic):
    with transaction.atomic():
        enqueue(topic.name, {"n": 1}, key="m1")
        enqueue(topic.name, {"n": 2}, key="m2")
    worker = Worker(worker_id="w1")
    run_until_idle(worker)
    assert sorted(m.key for m in topic.received) == ["m1", "m2"]
    drain = DBTaskResult.objects.get(task_path="motcua.outbox.tasks.drain_outbox")
    assert drain.return_value == {"delivered": 2, "failed": 0}
    run_until_idle(worker)  # nothing due: no other drain
    assert DBTaskResult.objects.filter(task_path=drain.task_path).count() == 1


def test_run_worker_once_delivers_and_exits(topic):
    with transaction.atomic():
        enqueue(topic.name, {}, key="m1")
    call_command("run_worker", "--once")
    assert OutboxMessage.objects.get().state == OutboxMessage.State.DELIVERED


def test_run_worker_gives_the_process_its_signal_handlers_back():
    """Its handlers (stop when idle, then ignore) must not outlive it in a process that goes
    on: children forked later (the tallies' recompute) would survive SIGTERM."""
    before = {number: signal.getsignal(number) for number in (signal.SIGTERM, signal.SIGINT)}
    call_command("run_worker", "--once")
    assert {number: signal.getsignal(number) for number in before} == before


def test_prune_removes_old_deliveries_but_keeps_dead_letters(topic, settings):
    with transaction.atomic():
        enqueue(topic.name, {}, key="old")
        enqueue(topic.name, {}, key="dead")
    OutboxMessage.objects.filter(key="old").update(
        state="delivered", delivered_at=timezone.now() - timedelta(days=8)
    )
    OutboxMessage.objects.filter(key="dead").update(state="dead")
    assert prune.call()["messages"] == 1
    assert list(OutboxMessage.objects.values_list("key", flat=True)) == ["dead"]


def test_a_database_error_does_not_stop_the_worker(monkeypatch):
    worker, rounds = Worker(interval=0), []

    def failing_once(now=None):
        rounds.append(now)
        if len(rounds) == 1:
            raise OperationalError("database is locked")
        return False

    monkeypatch.setattr(worker, "round", failing_once)
    monkeypatch.setattr("motcua.outbox.worker.RETRY_SECONDS", 0)
    worker.run(once=True)
    assert len(rounds) == 2
