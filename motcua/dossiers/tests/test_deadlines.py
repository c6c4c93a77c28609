"""The deadline worker (due soon, apology prompt, overdue: once per appointment) and open
deadlines moved by a change of the working-day calendar."""

import io
import threading
from datetime import date

import pytest
from django.core.management import call_command
from django.db import connection, connections
from django.urls import reverse

from conftest import PASSWORD
from motcua.dossiers.deadlines import process_deadlines, recompute_open_deadlines
from motcua.dossiers.delays import apologise
from motcua.dossiers.models import DossierEvent
from motcua.dossiers.obligations import confirm_payment, require_payment
from motcua.dossiers.processing import hand_over
from motcua.dossiers.status import Action
from motcua.dossiers.supplements import request_supplement
from motcua.outbox.delivery import deliver_due
from motcua.workdays import services as calendar_services

from .conftest import at, reread, vn
from .test_processing import step

# A dossier received on MONDAY (9 March 2026) is due on Monday 16 March at 17:00.
QUIET = vn(2026, 3, 9, 10, 0)
DUE_SOON = vn(2026, 3, 11, 17, 0)  # 24 working hours ahead reach Tuesday 09:00
NOT_YET_SOON = vn(2026, 3, 11, 15, 0)  # ... reach Monday 16:00
PROMPT = vn(2026, 3, 13, 17, 0)  # one working day ahead reaches Monday 17:00
NOT_YET_PROMPT = vn(2026, 3, 13, 16, 59)
OVERDUE = vn(2026, 3, 17, 9, 0)


def actions(dossier) -> list[str]:
    warnings = (Action.DUE_SOON, Action.APOLOGY_PROMPT, Action.OVERDUE, Action.DEADLINE_MOVED)
    return list(dossier.events.filter(action__in=warnings).values_list("action", flat=True))


def counts(now) -> dict[str, int]:
    return process_deadlines(now).counts


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (QUIET, []),
        (NOT_YET_SOON, []),
        (DUE_SOON, ["due_soon"]),
        (NOT_YET_PROMPT, ["due_soon"]),
        (PROMPT, ["due_soon", "apology_prompt"]),
        (OVERDUE, ["overdue"]),  # a warning whose moment has passed is not recorded late
    ],
)
def test_each_warning_at_its_moment(processing, now, expected):
    process_deadlines(now)
    assert actions(processing) == expected


def test_warnings_are_recorded_once_per_appointment(processing):
    for now in (DUE_SOON, DUE_SOON, PROMPT, PROMPT, OVERDUE, OVERDUE):
        process_deadlines(now)
    assert actions(processing) == ["due_soon", "apology_prompt", "overdue"]
    event = processing.events.get(action=Action.OVERDUE)
    assert (event.actor, event.from_status, event.to_status) == (None, 4, 4)
    assert event.created_at == OVERDUE
    dossier = reread(processing)
    assert dossier.overdue_recorded_for == dossier.due_at
    assert process_deadlines(OVERDUE).counts == {"due_soon": 0, "apology_prompt": 0, "overdue": 0}


def test_an_apology_stops_the_prompt_and_the_new_appointment_warns_again(processing, leader):
    process_deadlines(DUE_SOON)
    with at(vn(2026, 3, 12, 9, 0)):
        apologise(processing, actor=leader, reason="x", new_due_at=vn(2026, 3, 20, 17, 0))
    process_deadlines(PROMPT)
    assert actions(processing) == ["due_soon"]
    process_deadlines(vn(2026, 3, 18, 9, 0))  # within 24 working hours of the new one
    assert actions(processing) == ["due_soon", "due_soon"]
    process_deadlines(vn(2026, 3, 20, 17, 30))  # the appointment's day is not over yet
    assert actions(processing) == ["due_soon", "due_soon"]
    process_deadlines(vn(2026, 3, 21, 0, 5))  # by the day rule (timeleft, decision 0011)
    assert actions(processing) == ["due_soon", "due_soon", "overdue"]


def test_a_paused_clock_is_left_alone(processing, specialist):
    with at(vn(2026, 3, 10, 9, 0)):
        request_supplement(processing, actor=specialist, reason="x", items=["y"])
    assert counts(OVERDUE) == {"due_soon": 0, "apology_prompt": 0, "overdue": 0}


def test_the_command_runs_once_and_prints_a_summary(processing, receive):
    receive()
    out = io.StringIO()
    with at(DUE_SOON):
        call_command("process_deadlines", "--once", stdout=out)
    assert out.getvalue().strip() == "due_soon: 2, apology_prompt: 0, overdue: 0"


def test_the_command_loops_until_interrupted(processing, monkeypatch):
    from motcua.dossiers.management.commands import process_deadlines as command

    naps = []

    def sleep(seconds):
        naps.append(seconds)
        if len(naps) == 2:
            raise KeyboardInterrupt

    monkeypatch.setattr(command.time, "sleep", sleep)
    out = io.StringIO()
    with at(OVERDUE):
        call_command("process_deadlines", "--interval", "5", stdout=out)
    assert naps == [5, 5]
    assert out.getvalue().splitlines() == [
        "due_soon: 0, apology_prompt: 0, overdue: 1",
        "due_soon: 0, apology_prompt: 0, overdue: 0",
    ]


def test_batches_cover_every_dossier(receive):
    dossiers = [receive() for _ in range(5)]
    assert process_deadlines(OVERDUE, batch_size=2).counts["overdue"] == 5
    assert all(actions(d) == ["overdue"] for d in dossiers)


@pytest.mark.django_db(transaction=True)
def test_concurrent_workers_record_each_warning_once(receive):
    if connection.vendor != "postgresql":
        pytest.skip("needs a database shared between threads")
    dossiers = [receive() for _ in range(12)]
    barrier = threading.Barrier(4)

    def work():
        barrier.wait()
        try:
            process_deadlines(OVERDUE, batch_size=3)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    overdue = DossierEvent.objects.filter(action=Action.OVERDUE)
    assert overdue.count() == 12
    assert set(overdue.values_list("dossier", flat=True)) == {d.pk for d in dossiers}


# --- Calendar changes -------------------------------------------------------------------------


def deliver_outbox():
    """What the worker does after the calendar's change commits (outbox)."""
    return deliver_due("test-worker")


def test_a_day_off_before_the_deadline_pushes_it_by_one_working_day(processing):
    appraisal_due = step(processing, 2).due_at  # Wednesday 11 March 10:00
    calendar_services.set_override(date(2026, 3, 10), kind="day_off", name="Bão", actor=None)
    assert deliver_outbox().delivered == 1  # the calendar's message, consumed by dossiers
    dossier = reread(processing)
    assert dossier.due_at == vn(2026, 3, 17, 17, 0)
    assert step(dossier, 2).due_at == vn(2026, 3, 12, 10, 0)
    assert appraisal_due == vn(2026, 3, 11, 10, 0)
    event = dossier.events.get(action=Action.DEADLINE_MOVED)
    assert (event.actor, event.step, event.data["system"]) == (None, step(dossier, 2), True)
    assert event.data["due_after"].startswith("2026-03-17T")

    calendar_services.remove_override(date(2026, 3, 10), actor=None)
    deliver_outbox()
    dossier = reread(processing)
    assert dossier.due_at == vn(2026, 3, 16, 17, 0)
    assert step(dossier, 2).due_at == appraisal_due
    assert actions(dossier) == ["deadline_moved", "deadline_moved"]


def test_through_the_admin(processing, client, system_admin):
    assert client.login(username=system_admin.username, password=PASSWORD)
    response = client.post(
        reverse("admin:workdays_calendaroverride_add"),
        {"date": "2026-03-13", "kind": "day_off", "name": "Nghỉ bù", "note": ""},
    )
    assert response.status_code == 302, response.content
    assert reread(processing).due_at == vn(2026, 3, 16, 17, 0)  # not in the admin's request
    deliver_outbox()
    assert reread(processing).due_at == vn(2026, 3, 17, 17, 0)


def test_days_after_the_deadline_and_unchanged_calendars_move_nothing(processing):
    assert recompute_open_deadlines() == 0
    calendar_services.set_override(date(2026, 3, 20), kind="day_off", name="x", actor=None)
    deliver_outbox()
    assert actions(processing) == []


def test_pauses_and_apologies_survive_a_recomputation(processing, specialist, centre_clerk, leader):
    with at(vn(2026, 3, 9, 10, 0)):
        require_payment(processing, actor=specialist, description="Phí")
    with at(vn(2026, 3, 10, 10, 0)):
        confirm_payment(processing, actor=centre_clerk)
    assert reread(processing).due_at == vn(2026, 3, 17, 17, 0)
    assert recompute_open_deadlines() == 0  # the paid day is still counted out
    calendar_services.set_override(date(2026, 3, 12), kind="day_off", name="x", actor=None)
    assert recompute_open_deadlines(date(2026, 3, 12)) == 1
    assert reread(processing).due_at == vn(2026, 3, 18, 17, 0)
    with at(vn(2026, 3, 13, 9, 0)):
        apologise(processing, actor=leader, reason="x", new_due_at=vn(2026, 3, 25, 17, 0))
    calendar_services.set_override(date(2026, 3, 16), kind="day_off", name="y", actor=None)
    recompute_open_deadlines(date(2026, 3, 16))
    assert reread(processing).due_at == vn(2026, 3, 25, 17, 0)  # as promised in writing


def test_the_step_deadline_moves_even_without_an_appointment(
    criminal_record, receive, centre_clerk
):
    version = criminal_record.current_version
    version.time_limit_value, version.time_limit_unit = None, ""
    version.save(update_fields=["time_limit_value", "time_limit_unit"])
    dossier = receive()
    with at(vn(2026, 3, 9, 9, 0)):
        hand_over(dossier, actor=centre_clerk)
    assert reread(dossier).due_at is None
    calendar_services.set_override(date(2026, 3, 10), kind="day_off", name="Bão", actor=None)
    deliver_outbox()
    assert step(dossier, 2).due_at == vn(2026, 3, 12, 10, 0)
    assert reread(dossier).due_at is None
