"""The dossiers' jobs run by the background worker (run_worker): the deadline warnings as a
periodic django-tasks task, recorded as the system; the open deadlines moved by a calendar
change delivered through the outbox, retried when the recomputation fails."""

from datetime import date

from django_tasks_db.models import DBTaskResult

from motcua.dossiers import deadlines
from motcua.dossiers.status import Action
from motcua.outbox.models import OutboxMessage
from motcua.outbox.worker import Worker
from motcua.workdays import services as calendar

from .conftest import at, reread, vn

OVERDUE = vn(2026, 3, 17, 9, 0)  # the processing fixture's appointment is 16 March 17:00


def run_worker() -> None:
    worker = Worker(worker_id="test-worker")
    while worker.round():
        pass


def test_the_worker_records_the_overdue_warning_as_the_system(processing):
    with at(OVERDUE):
        run_worker()
    event = processing.events.get(action=Action.OVERDUE)
    assert (event.actor, event.data["system"]) == (None, True)
    task = DBTaskResult.objects.get(task_path="motcua.dossiers.tasks.record_deadline_warnings")
    assert task.status == "SUCCESSFUL" and task.return_value["overdue"] == 1


def test_the_dossier_page_names_the_system_as_the_author_of_its_events(
    processing, client, centre_clerk
):
    from django.urls import reverse

    with at(OVERDUE):
        run_worker()
    client.force_login(centre_clerk)
    page = client.get(reverse("backoffice:dossier", args=[processing.code])).content.decode()
    assert "Quá hạn" in page or "quá hạn" in page
    assert "</strong> · hệ thống" in page


def test_a_failed_recomputation_is_retried_by_the_outbox(processing, monkeypatch):
    real = deadlines.recompute_open_deadlines
    monkeypatch.setattr(deadlines, "recompute_open_deadlines", _broken)
    with at(vn(2026, 3, 9, 12, 0)):
        calendar.set_override(date(2026, 3, 10), kind="day_off", name="Bão", actor=None)
        run_worker()
    message = OutboxMessage.objects.get(topic=calendar.CALENDAR_CHANGED)
    assert (message.state, message.attempts) == ("pending", 1)
    assert "the calendar could not be read" in message.last_error
    assert reread(processing).due_at == vn(2026, 3, 16, 17, 0)  # not moved yet
    monkeypatch.setattr(deadlines, "recompute_open_deadlines", real)
    with at(message.available_at):
        run_worker()
    message.refresh_from_db()
    assert message.state == "delivered"
    assert reread(processing).due_at == vn(2026, 3, 17, 17, 0)


def _broken(day):
    raise OSError("the calendar could not be read")
