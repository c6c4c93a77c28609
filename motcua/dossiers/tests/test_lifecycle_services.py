"""Payments, apology, withdrawal, stop, refusal, result and return; and one dossier's whole
life under both supplement clock policies (SQLite and PostgreSQL)."""

from datetime import datetime, timedelta

import pytest

from motcua.dossiers.closing import stop, withdraw
from motcua.dossiers.delays import apologise, is_appointment_moment
from motcua.dossiers.models import Apology, Dossier, DossierStep
from motcua.dossiers.obligations import confirm_payment, require_payment
from motcua.dossiers.processing import approve, assign_step, complete_step, hand_over
from motcua.dossiers.results import mark_result_ready, refuse_after_appraisal, return_result
from motcua.dossiers.status import Action, Status
from motcua.dossiers.supplements import receive_supplement, request_supplement
from motcua.dossiers.timeleft import Verdict, dossier_verdict
from motcua.workdays.loader import get_calendar

from .conftest import MONDAY, at, reread, vn
from .test_processing import last_event, refused, states, step

DUE = vn(2026, 3, 16, 17, 0)  # the appointment of a dossier received on MONDAY


def _finish_processing(dossier, specialist, department_head, commune_specialist, leader):
    for actor in (specialist, department_head, commune_specialist):
        complete_step(dossier, actor=actor)
    approve(dossier, actor=leader)


# --- Financial obligation -------------------------------------------------------------------


def test_payment_pauses_the_clock_until_confirmed(processing, specialist, centre_clerk):
    appraisal_due = step(processing, 2).due_at
    with at(vn(2026, 3, 9, 10, 0)):
        obligation = require_payment(
            processing, actor=specialist, description="Lệ phí", amount=50_000
        )
    dossier = reread(processing)
    assert (dossier.status, dossier.clock_paused_at) == (Status.FINANCIAL, vn(2026, 3, 9, 10, 0))
    assert (obligation.amount, last_event(dossier).data["amount"]) == (50_000, "50000")
    with at(vn(2026, 3, 10, 10, 0)):
        confirm_payment(processing, actor=centre_clerk, note="Biên lai số 12")
    dossier = reread(processing)
    assert (dossier.status, dossier.clock_paused_at) == (Status.PROCESSING, None)
    assert dossier.due_at == vn(2026, 3, 17, 17, 0)  # one working day later
    assert step(dossier, 2).due_at == appraisal_due + timedelta(days=1)
    obligation.refresh_from_db()
    assert (obligation.fulfilled_at, obligation.confirmed_by) == (
        vn(2026, 3, 10, 10, 0),
        centre_clerk,
    )
    assert last_event(dossier).data["waited_working_hours"] == "7.50"


@pytest.mark.parametrize(
    ("actor", "description", "amount", "code"),
    [
        pytest.param("specialist", "Lệ phí", -1, "invalid_amount", id="negative"),
        pytest.param("specialist", "Lệ phí", 1.5, "invalid_amount", id="not-whole-dong"),
        pytest.param("specialist", " ", 1, "description_required", id="no-description"),
        pytest.param("commune_specialist", "Lệ phí", 1, "forbidden", id="commune-specialist"),
        pytest.param("clerk", "Lệ phí", 1, "forbidden", id="clerk"),
    ],
)
def test_payment_request_refusals(processing, request, actor, description, amount, code):
    with at(MONDAY):
        actor = request.getfixturevalue(actor)
        kwargs = {"description": description, "amount": amount}
        refused(code, processing, require_payment, actor=actor, **kwargs)


def test_nothing_to_confirm_while_processing(processing, centre_clerk):
    with at(MONDAY):
        refused("illegal_transition", processing, confirm_payment, actor=centre_clerk)


# --- Apology and new appointment --------------------------------------------------------------


def test_apology_moves_the_appointment_once(processing, leader, specialist, justice_department):
    new_due = vn(2026, 3, 20, 17, 0)
    with at(vn(2026, 3, 13, 9, 0)):
        apology = apologise(
            processing,
            actor=leader,
            reason="Chờ xác minh",
            new_due_at=new_due,
            responsible_agency=justice_department,
            responsible_user=specialist,
        )
    dossier = reread(processing)
    assert (dossier.due_at, dossier.original_due_at, dossier.apology_count) == (new_due, DUE, 1)
    assert (apology.previous_due_at, apology.issued_on_time) == (DUE, True)
    event = last_event(dossier)
    assert (event.action, event.note, event.data["responsible_user"]) == (
        Action.APOLOGISE,
        "Chờ xác minh",
        specialist.pk,
    )
    with at(vn(2026, 3, 13, 10, 0)):
        refused(
            "apology_once",
            processing,
            apologise,
            actor=leader,
            reason="x",
            new_due_at=vn(2026, 3, 27, 17, 0),
        )


def test_the_unit_at_fault_must_take_part_in_the_dossier(processing, leader, other_commune_agency):
    """Mẫu 04 names the unit responsible for the delay: one of the dossier's agencies, not any
    agency of the province (a typo in the API or a stale form must not blame a stranger)."""
    with at(vn(2026, 3, 13, 9, 0)):
        refused(
            "responsible_not_involved",
            processing,
            apologise,
            actor=leader,
            reason="Chờ xác minh",
            new_due_at=vn(2026, 3, 20, 17, 0),
            responsible_agency=other_commune_agency,
        )
    assert not Apology.objects.exists()


def test_an_apology_less_than_a_working_day_ahead_is_late(processing, centre_clerk):
    with at(vn(2026, 3, 16, 10, 0)):
        apology = apologise(
            processing, actor=centre_clerk, reason="x", new_due_at=vn(2026, 3, 18, 11, 30)
        )
    assert apology.issued_on_time is False
    assert Apology.objects.get().new_due_at == vn(2026, 3, 18, 11, 30)


@pytest.mark.parametrize(
    ("actor", "new_due", "reason", "code"),
    [
        pytest.param("leader", DUE, "x", "new_due_not_later", id="same-appointment"),
        pytest.param("leader", vn(2026, 3, 13, 17, 0), "x", "new_due_not_later", id="earlier"),
        pytest.param("leader", vn(2026, 3, 21, 10, 0), "x", "not_working_moment", id="saturday"),
        pytest.param("leader", vn(2026, 3, 20, 12, 0), "x", "not_working_moment", id="lunch"),
        pytest.param("leader", vn(2026, 3, 20, 17, 0), " ", "reason_required", id="no-reason"),
        pytest.param("specialist", vn(2026, 3, 20, 17, 0), "x", "forbidden", id="specialist"),
        pytest.param("clerk", vn(2026, 3, 20, 17, 0), "x", "forbidden", id="clerk"),
    ],
)
def test_apology_refusals(processing, request, actor, new_due, reason, code):
    with at(MONDAY):
        actor = request.getfixturevalue(actor)
        refused(code, processing, apologise, actor=actor, reason=reason, new_due_at=new_due)


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        (vn(2026, 3, 20, 17, 0), True),
        (vn(2026, 3, 20, 11, 30), True),
        (vn(2026, 3, 20, 9, 15), True),
        (vn(2026, 3, 20, 12, 0), False),
        (vn(2026, 3, 20, 17, 1), False),
        (vn(2026, 3, 22, 17, 0), False),
    ],
)
def test_appointment_moments(db, moment, expected):
    assert is_appointment_moment(get_calendar(), moment) is expected


# --- Withdrawal and stop ----------------------------------------------------------------------


def test_withdrawal_ends_processing_and_cancels_the_steps(processing, centre_clerk, specialist):
    with at(vn(2026, 3, 10, 9, 0)):
        withdraw(processing, actor=centre_clerk, reason="Công dân rút hồ sơ")
    dossier = reread(processing)
    assert (dossier.status, dossier.finished_at) == (Status.WITHDRAWN, vn(2026, 3, 10, 9, 0))
    assert states(dossier) == ["done"] + ["cancelled"] * 5
    assert step(dossier, 2).finished_at == vn(2026, 3, 10, 9, 0)
    assert step(dossier, 3).finished_at is None
    event = last_event(dossier)
    assert (event.action, event.to_status, event.data["cancelled_steps"]) == (
        Action.WITHDRAW,
        7,
        [2, 3, 4, 5, 6],
    )
    with at(vn(2026, 3, 10, 9, 0)):
        refused("illegal_transition", dossier, withdraw, actor=centre_clerk, reason="x")
        refused("illegal_transition", dossier, complete_step, actor=specialist)


@pytest.mark.parametrize("who", ["department_head", "leader"])
def test_leader_or_department_head_stops_processing(processing, request, who):
    with at(MONDAY):
        stop(processing, actor=request.getfixturevalue(who), reason="Vi phạm")
    dossier = reread(processing)
    assert (dossier.status, dossier.finished_at) == (Status.STOPPED, MONDAY)


@pytest.mark.parametrize(
    ("service", "actor", "reason", "code"),
    [
        pytest.param(withdraw, "specialist", "x", "forbidden", id="withdraw-specialist"),
        pytest.param(withdraw, "clerk", "x", "forbidden", id="withdraw-clerk"),
        pytest.param(withdraw, "centre_clerk", "", "reason_required", id="withdraw-no-reason"),
        pytest.param(stop, "specialist", "x", "forbidden", id="stop-specialist"),
        pytest.param(stop, "centre_clerk", "x", "forbidden", id="stop-centre-clerk"),
        pytest.param(stop, "leader", "", "reason_required", id="stop-no-reason"),
    ],
)
def test_withdraw_and_stop_refusals(processing, request, service, actor, reason, code):
    with at(MONDAY):
        refused(code, processing, service, actor=request.getfixturevalue(actor), reason=reason)


# --- Refusal, result and return -----------------------------------------------------------


def test_refusal_after_appraisal_is_returned_like_a_result(processing, leader, centre_clerk):
    with at(vn(2026, 3, 10, 9, 0)):
        refuse_after_appraisal(processing, actor=leader, reasons="Không đủ điều kiện")
    dossier = reread(processing)
    assert (dossier.status, dossier.outcome) == (Status.RESOLVED, Dossier.Outcome.REFUSED)
    assert (dossier.outcome_note, dossier.finished_at) == (
        "Không đủ điều kiện",
        vn(2026, 3, 10, 9, 0),
    )
    assert states(dossier) == ["done", "done", "cancelled", "cancelled", "cancelled", "pending"]
    assert last_event(dossier).data["on_time"] is True
    with at(vn(2026, 3, 10, 14, 0)):
        return_result(processing, actor=centre_clerk, method="postal")
    dossier = reread(processing)
    assert (dossier.status, dossier.returned_method) == (Status.RETURNED, "postal")
    assert step(dossier, 6).state == DossierStep.State.DONE


@pytest.mark.parametrize(
    ("actor", "reasons", "code"),
    [
        pytest.param("specialist", "x", "forbidden", id="specialist"),
        pytest.param("department_head", "x", "forbidden", id="department-head"),
        pytest.param("leader", " ", "reasons_required", id="no-reasons"),
    ],
)
def test_refusal_refusals(processing, request, actor, reasons, code):
    with at(MONDAY):
        actor = request.getfixturevalue(actor)
        refused(code, processing, refuse_after_appraisal, actor=actor, reasons=reasons)


def test_result_ready_only_when_every_processing_step_is_done(
    processing, specialist, department_head, commune_specialist, leader, centre_clerk
):
    with at(MONDAY):
        refused("steps_not_done", processing, mark_result_ready, actor=centre_clerk)
        _finish_processing(processing, specialist, department_head, commune_specialist, leader)
        refused("forbidden", processing, mark_result_ready, actor=specialist)
        mark_result_ready(processing, actor=leader)  # the approver may declare it too
    dossier = reread(processing)
    assert (dossier.status, dossier.outcome, dossier.finished_at) == (9, "granted", MONDAY)


@pytest.mark.parametrize(
    ("actor", "method", "name", "number", "code"),
    [
        pytest.param("centre_clerk", "in_person", " ", "", "collector_required", id="no-name"),
        pytest.param("centre_clerk", "carrier_pigeon", "An", "", "invalid_method", id="method"),
        pytest.param(
            "centre_clerk", "in_person", "An", "12ab", "invalid_collector_id", id="id-number"
        ),
        pytest.param("leader", "in_person", "An", "", "forbidden", id="leader"),
        pytest.param("clerk", "in_person", "An", "", "forbidden", id="clerk"),
    ],
)
def test_return_refusals(processing, request, actor, method, name, number, code):
    officers = ("specialist", "department_head", "commune_specialist", "leader")
    with at(MONDAY):
        _finish_processing(processing, *map(request.getfixturevalue, officers))
        mark_result_ready(processing, actor=request.getfixturevalue("centre_clerk"))
        refused(
            code,
            processing,
            return_result,
            actor=request.getfixturevalue(actor),
            method=method,
            collected_by_name=name,
            collected_by_id_number=number,
        )


def test_no_return_before_the_result(processing, centre_clerk):
    with at(MONDAY):
        refused(
            "illegal_transition",
            processing,
            return_result,
            actor=centre_clerk,
            method="in_person",
            collected_by_name="An",
        )


# --- One dossier's whole life -----------------------------------------------------------------


@pytest.fixture(params=["restart", "pause"])
def policy(request, settings, criminal_record):
    """restart through the setting; pause through the procedure's own override."""
    settings.MOTCUA_SUPPLEMENT_CLOCK = "restart"
    if request.param == "pause":
        version = criminal_record.current_version
        version.supplement_clock = "pause"
        version.save(update_fields=["supplement_clock"])
    return request.param


EXPECTED_DUE = {
    # Received again on Tuesday 10:00: five working days from then.
    "restart": vn(2026, 3, 17, 17, 0),
    # Waited Monday 14:00 - Tuesday 10:00 = 5.5 working hours after Monday 16 17:00.
    "pause": vn(2026, 3, 17, 15, 0),
}


@pytest.mark.django_db
def test_a_dossier_from_the_counter_to_the_applicant(
    policy,
    receive,
    centre_clerk,
    department_head,
    specialist,
    commune_specialist,
    leader,
):
    dossier = receive(MONDAY)
    with at(vn(2026, 3, 9, 10, 0)):
        hand_over(dossier, actor=centre_clerk)
    with at(vn(2026, 3, 9, 10, 30)):
        assign_step(dossier, actor=department_head, assignee=specialist)
    with at(vn(2026, 3, 9, 14, 0)):
        request_supplement(dossier, actor=specialist, reason="Thiếu giấy tờ", items=["Tờ khai"])
    with at(vn(2026, 3, 10, 10, 0)):
        receive_supplement(dossier, actor=centre_clerk)
    assert reread(dossier).due_at == EXPECTED_DUE[policy]
    with at(vn(2026, 3, 10, 11, 0)):
        complete_step(dossier, actor=specialist)
    with at(vn(2026, 3, 10, 14, 0)):
        complete_step(dossier, actor=department_head)  # to the commune: inter-agency
    with at(vn(2026, 3, 11, 10, 0)):
        complete_step(dossier, actor=commune_specialist)
    with at(vn(2026, 3, 13, 9, 0)):
        apologise(dossier, actor=leader, reason="Chờ ký", new_due_at=vn(2026, 3, 20, 17, 0))
    with at(vn(2026, 3, 16, 9, 0)):
        approve(dossier, actor=leader)
    with at(vn(2026, 3, 16, 10, 0)):
        mark_result_ready(dossier, actor=centre_clerk)
    with at(vn(2026, 3, 17, 9, 0)):
        return_result(
            dossier,
            actor=centre_clerk,
            method="in_person",
            collected_by_name="Trần  Thị Bình",
            collected_by_id_number="042090005678",
        )

    dossier = reread(dossier)
    assert dossier.status == Status.RETURNED
    assert (dossier.outcome, dossier.collected_by_name) == ("granted", "Trần Thị Bình")
    assert (dossier.returned_at, dossier.finished_at) == (
        vn(2026, 3, 17, 9, 0),
        vn(2026, 3, 16, 10, 0),
    )
    assert (dossier.original_due_at, dossier.due_at) == (DUE, vn(2026, 3, 20, 17, 0))
    assert dossier_verdict(dossier) == Verdict.EARLY
    assert states(dossier) == ["done"] * 6
    assert list(dossier.events.values_list("action", "from_status", "to_status")) == [
        ("receive", None, 2),
        ("hand_over", 2, 4),
        ("assign", 4, 4),
        ("request_supplement", 4, 5),
        ("receive_supplement", 5, 4),
        ("complete_step", 4, 4),
        ("complete_step", 4, 4),
        ("complete_step", 4, 4),
        ("apologise", 4, 4),
        ("complete_step", 4, 4),
        ("mark_result_ready", 4, 9),
        ("return_result", 9, 10),
    ]
    inter_agency = dossier.events.filter(action="complete_step")[1]
    assert inter_agency.data["inter_agency"] is True
    assert dossier.events.get(action="receive_supplement").data["clock"] == policy
    assert isinstance(dossier.events.last().created_at, datetime)
