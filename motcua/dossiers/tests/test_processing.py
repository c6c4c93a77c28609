"""Hand-over, assignment, steps and send-back (Decree 61/2018 arts. 18-19), through the
services; every refusal leaves the database as it was."""

from datetime import datetime

import pytest

from conftest import make_user
from motcua.dossiers.errors import DossierError
from motcua.dossiers.models import DossierEvent, DossierStep
from motcua.dossiers.processing import (
    approve,
    assign_step,
    complete_step,
    hand_over,
    send_back,
)
from motcua.dossiers.status import Action, Status
from motcua.organisations.roles import Role

from .conftest import MONDAY, at, reread, snapshot, vn

State = DossierStep.State


def states(dossier) -> list[str]:
    return list(dossier.steps.values_list("state", flat=True))


def step(dossier, order: int) -> DossierStep:
    return dossier.steps.get(order=order)


def last_event(dossier) -> DossierEvent:
    return dossier.events.order_by("-id").first()


def refused(code: str, dossier, service, **kwargs) -> None:
    """`service` raises DossierError `code` and nothing in the database changes."""
    before = snapshot(dossier)
    with pytest.raises(DossierError) as info:
        service(dossier, **kwargs)
    assert info.value.code == code, kwargs
    assert snapshot(dossier) == before, kwargs


# --- Hand-over ------------------------------------------------------------------------------


def test_hand_over_completes_reception_and_starts_appraisal(receive, centre_clerk):
    dossier = receive()
    with at(vn(2026, 3, 9, 10, 0)):
        hand_over(dossier, actor=centre_clerk, note="Chuyển bản giấy")

    dossier = reread(dossier)
    assert dossier.status == Status.PROCESSING
    assert states(dossier) == ["done", "active", "pending", "pending", "pending", "pending"]
    reception, appraisal = step(dossier, 1), step(dossier, 2)
    assert (reception.started_at, reception.finished_at) == (MONDAY, vn(2026, 3, 9, 10, 0))
    assert appraisal.started_at == vn(2026, 3, 9, 10, 0)
    # 16 working hours from Monday 10:00, 7.5 hours a day: Wednesday 11:00.
    assert appraisal.due_at == vn(2026, 3, 11, 11, 0)
    event = last_event(dossier)
    assert (event.action, event.from_status, event.to_status) == (Action.HAND_OVER, 2, 4)
    assert (event.actor, event.step, event.note) == (centre_clerk, appraisal, "Chuyển bản giấy")
    assert event.data["forwarded_on_time"] is True
    assert event.data["to_agency_name"] == "Sở Tư pháp"


@pytest.mark.parametrize(
    ("received", "handed_over", "forward_by", "on_time"),
    [
        (vn(2026, 3, 9, 14, 59), vn(2026, 3, 9, 16, 0), vn(2026, 3, 9, 17, 0), True),
        (vn(2026, 3, 9, 14, 59), vn(2026, 3, 10, 8, 0), vn(2026, 3, 9, 17, 0), False),
        (vn(2026, 3, 9, 15, 30), vn(2026, 3, 10, 11, 0), vn(2026, 3, 10, 11, 30), True),
        (vn(2026, 3, 13, 15, 30), vn(2026, 3, 16, 13, 30), vn(2026, 3, 16, 11, 30), False),
    ],
)
def test_paper_forwarding_deadline_is_recorded_not_enforced(
    receive, centre_clerk, received, handed_over, forward_by, on_time
):
    dossier = receive(received)
    with at(handed_over):
        hand_over(dossier, actor=centre_clerk)
    data = last_event(dossier).data
    assert datetime.fromisoformat(data["forward_by"]) == forward_by
    assert data["forwarded_on_time"] is on_time


def test_online_dossier_has_no_forwarding_deadline(receive, centre_clerk):
    dossier = receive(channel="online")
    with at(MONDAY):
        hand_over(dossier, actor=centre_clerk)
    assert last_event(dossier).data["forward_by"] is None


@pytest.mark.parametrize("who", ["clerk", "specialist", "leader"])
def test_only_the_receiving_agencys_clerk_hands_over(receive, request, who):
    dossier = receive()
    with at(MONDAY):
        refused("forbidden", dossier, hand_over, actor=request.getfixturevalue(who))


def test_a_dossier_is_handed_over_once(processing, centre_clerk):
    with at(MONDAY):
        refused("illegal_transition", processing, hand_over, actor=centre_clerk)


# --- Assignment -----------------------------------------------------------------------------


@pytest.fixture
def outsider(justice_department):
    """A specialist of the department, but not of the registry division."""
    return make_user("outsider", justice_department, Role.SPECIALIST)


def test_department_head_assigns_and_reassigns_with_delegation(
    processing, department_head, specialist, second_specialist
):
    with at(MONDAY):
        assign_step(processing, actor=department_head, assignee=specialist, note="Xử lý gấp")
        assign_step(
            processing,
            actor=department_head,
            assignee=second_specialist,
            delegated_from=specialist,
        )
    appraisal = step(processing, 2)
    assert appraisal.assignee == second_specialist
    first, second = processing.events.filter(action=Action.ASSIGN).order_by("id")
    assert (first.step, first.note, first.data["assignee"]) == (
        appraisal,
        "Xử lý gấp",
        specialist.pk,
    )
    assert second.data["previous_assignee"] == specialist.pk
    assert second.data["delegated_from"] == specialist.pk
    assert second.data["delegated_from_name"] == "specialist"
    assert reread(processing).status == Status.PROCESSING


def test_leader_assigns_any_step_of_the_agency(processing, leader, specialist):
    with at(MONDAY):
        assign_step(processing, actor=leader, assignee=specialist)
    assert step(processing, 2).assignee == specialist


@pytest.mark.parametrize(
    ("actor", "assignee", "code"),
    [
        ("specialist", "second_specialist", "forbidden"),
        ("centre_clerk", "specialist", "forbidden"),
        ("department_head", "commune_specialist", "assignee_not_eligible"),
        ("department_head", "centre_clerk", "assignee_not_eligible"),
        ("department_head", "outsider", "assignee_not_eligible"),
    ],
)
def test_assignment_refusals(processing, request, actor, assignee, code):
    with at(MONDAY):
        actor, assignee = request.getfixturevalue(actor), request.getfixturevalue(assignee)
        refused(code, processing, assign_step, actor=actor, assignee=assignee)


def test_same_assignee_again_and_inactive_assignee_are_refused(
    processing, department_head, specialist, second_specialist
):
    with at(MONDAY):
        assign_step(processing, actor=department_head, assignee=specialist)
        refused(
            "already_assigned", processing, assign_step, actor=department_head, assignee=specialist
        )
        second_specialist.is_active = False
        second_specialist.save()
        refused(
            "assignee_required",
            processing,
            assign_step,
            actor=department_head,
            assignee=second_specialist,
        )


def test_department_head_cannot_assign_the_communes_step(
    processing, department_head, specialist, commune_specialist, leader
):
    with at(MONDAY):
        for order in (2, 3):
            complete_step(processing, actor=department_head if order == 3 else specialist)
        assert step(processing, 4).state == State.ACTIVE
        refused(
            "forbidden",
            processing,
            assign_step,
            actor=department_head,
            assignee=commune_specialist,
        )


def test_nothing_to_assign_before_hand_over(receive, department_head, specialist):
    dossier = receive()
    with at(MONDAY):
        refused(
            "illegal_transition", dossier, assign_step, actor=department_head, assignee=specialist
        )


# --- Steps ----------------------------------------------------------------------------------


def test_only_the_assignee_completes_an_assigned_step(
    processing, department_head, specialist, second_specialist
):
    with at(MONDAY):
        assign_step(processing, actor=department_head, assignee=specialist)
        refused("forbidden", processing, complete_step, actor=second_specialist)
        refused("forbidden", processing, complete_step, actor=department_head)
    with at(vn(2026, 3, 10, 9, 0)):
        complete_step(processing, actor=specialist, note="Đủ điều kiện")
    appraisal, review = step(processing, 2), step(processing, 3)
    assert (appraisal.state, appraisal.finished_at) == (State.DONE, vn(2026, 3, 10, 9, 0))
    assert (review.state, review.started_at) == (State.ACTIVE, vn(2026, 3, 10, 9, 0))
    assert review.due_at == vn(2026, 3, 10, 15, 0)  # 4 working hours, over lunch
    event = last_event(processing)
    assert (event.action, event.step, event.note) == (
        Action.COMPLETE_STEP,
        appraisal,
        "Đủ điều kiện",
    )
    assert event.data["on_time"] is True and event.data["inter_agency"] is False


def test_unassigned_step_is_completed_by_a_holder_of_its_role(
    processing, specialist, commune_specialist, clerk
):
    with at(MONDAY):
        refused("forbidden", processing, complete_step, actor=commune_specialist)
        refused("forbidden", processing, complete_step, actor=clerk)
        complete_step(processing, actor=specialist)
    assert step(processing, 3).state == State.ACTIVE


def test_inter_agency_step_says_which_agency_received_it(
    processing, specialist, department_head, commune_specialist, commune_agency
):
    with at(MONDAY):
        complete_step(processing, actor=specialist)
        complete_step(processing, actor=department_head)
    event = last_event(processing)
    assert event.data["inter_agency"] is True
    assert (event.data["next_agency"], event.data["next_agency_name"]) == (
        commune_agency.pk,
        "UBND phường Thành Sen",
    )
    with at(MONDAY):
        complete_step(processing, actor=commune_specialist)
    assert step(processing, 5).state == State.ACTIVE


def test_the_last_processing_step_leaves_the_dossier_awaiting_the_result(
    processing, specialist, department_head, commune_specialist, leader
):
    with at(MONDAY):
        refused("not_an_approval_step", processing, approve, actor=specialist)
        for actor in (specialist, department_head, commune_specialist):
            complete_step(processing, actor=actor)
        refused("forbidden", processing, approve, actor=specialist)
    with at(vn(2026, 3, 9, 16, 0)):
        approve(processing, actor=leader, note="Đồng ý")
    event = last_event(processing)
    assert event.data["approved"] is True and event.data["awaiting_result"] is True
    assert event.data["next_step"] is None
    assert states(processing) == ["done"] * 5 + ["pending"]
    assert reread(processing).status == Status.PROCESSING
    with at(vn(2026, 3, 9, 16, 0)):
        refused("no_active_step", processing, complete_step, actor=leader)


def test_a_late_step_is_recorded_as_late(processing, specialist):
    with at(vn(2026, 3, 12, 9, 0)):
        complete_step(processing, actor=specialist)
    assert last_event(processing).data["on_time"] is False


# --- Send back ------------------------------------------------------------------------------


def _to_signature(dossier, specialist, department_head, commune_specialist) -> None:
    with at(MONDAY):
        for actor in (specialist, department_head, commune_specialist):
            complete_step(dossier, actor=actor)


def test_leader_sends_back_to_appraisal_and_the_flow_runs_again(
    processing, specialist, department_head, commune_specialist, leader
):
    with at(MONDAY):
        assign_step(processing, actor=department_head, assignee=specialist)
    _to_signature(processing, specialist, department_head, commune_specialist)
    with at(vn(2026, 3, 10, 8, 0)):
        reopened = send_back(processing, actor=leader, to_order=2, reason="Thiếu xác minh")
    assert reopened.order == 2
    assert states(processing) == ["done", "active", "pending", "pending", "sent_back", "pending"]
    appraisal = step(processing, 2)
    assert (appraisal.assignee, appraisal.started_at) == (specialist, vn(2026, 3, 10, 8, 0))
    assert appraisal.finished_at is None
    assert step(processing, 3).started_at is None
    event = last_event(processing)
    assert (event.action, event.note, event.step) == (
        Action.SEND_BACK,
        "Thiếu xác minh",
        step(processing, 5),
    )
    assert event.data["to_step"] == 2
    with at(vn(2026, 3, 10, 9, 0)):
        complete_step(processing, actor=specialist)
        complete_step(processing, actor=department_head)
        complete_step(processing, actor=commune_specialist)
    assert step(processing, 5).state == State.ACTIVE


@pytest.mark.parametrize(
    ("to_order", "reason", "code"),
    [
        pytest.param(5, "x", "invalid_step", id="to-itself"),
        pytest.param(6, "x", "invalid_step", id="forward"),
        pytest.param(1, "x", "invalid_step", id="to-reception"),
        pytest.param(9, "x", "invalid_step", id="no-such-step"),
        pytest.param(2, "  ", "reason_required", id="no-reason"),
    ],
)
def test_send_back_refusals(
    processing, specialist, department_head, commune_specialist, leader, to_order, reason, code
):
    _to_signature(processing, specialist, department_head, commune_specialist)
    with at(MONDAY):
        refused(code, processing, send_back, actor=leader, to_order=to_order, reason=reason)


def test_send_back_only_by_whoever_may_complete_the_step(
    processing, specialist, department_head, commune_specialist
):
    _to_signature(processing, specialist, department_head, commune_specialist)
    with at(MONDAY):
        refused("forbidden", processing, send_back, actor=specialist, to_order=2, reason="x")
