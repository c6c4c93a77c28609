"""Supplement after appraisal (Decree 61/2018 art. 19.4): once, in writing, and the clock
policies restart and pause."""

from datetime import datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from motcua.dossiers.applicants import Applicant
from motcua.dossiers.clock import resume_after_pause
from motcua.dossiers.intake import Intake, Missing, request_supplement_at_reception
from motcua.dossiers.models import Dossier, DossierStep, SupplementRequest
from motcua.dossiers.processing import complete_step
from motcua.dossiers.status import Action, Status
from motcua.dossiers.supplements import receive_supplement, request_supplement
from motcua.workdays.calendar import WorkCalendar

from .conftest import MONDAY, VN, at, reread, vn
from .test_processing import last_event, refused, step

ITEMS = [{"name": "Bản sao sổ hộ khẩu", "reason": "Bản sao không rõ"}, "Giấy ủy quyền"]
REQUESTED = vn(2026, 3, 9, 14, 0)  # Monday afternoon
RECEIVED = vn(2026, 3, 11, 14, 0)  # Wednesday afternoon: two working days later


def _request(dossier, actor):
    with at(REQUESTED):
        return request_supplement(dossier, actor=actor, reason="Hồ sơ chưa đủ", items=ITEMS)


def test_request_pauses_the_clock_and_records_the_items(processing, specialist, settings):
    settings.MOTCUA_SUPPLEMENT_CLOCK = "restart"
    request = _request(processing, specialist)

    dossier = reread(processing)
    assert dossier.status == Status.SUPPLEMENT
    assert (dossier.clock_paused_at, dossier.supplement_count) == (REQUESTED, 1)
    assert request.clock == SupplementRequest.Clock.RESTART
    assert request.due_before == vn(2026, 3, 16, 17, 0)
    assert request.step == step(dossier, 2)
    assert request.items == [
        {"name": "Bản sao sổ hộ khẩu", "reason": "Bản sao không rõ", "component_id": None},
        {"name": "Giấy ủy quyền", "reason": "", "component_id": None},
    ]
    event = last_event(dossier)
    assert (event.action, event.from_status, event.to_status) == (Action.REQUEST_SUPPLEMENT, 4, 5)
    assert event.data["notice_on_time"] is True  # within 3 working days of receipt
    assert event.data["clock"] == "restart"


def test_a_request_after_three_working_days_is_recorded_as_late(processing, specialist):
    with at(vn(2026, 3, 13, 9, 0)):
        request_supplement(processing, actor=specialist, reason="x", items=["y"])
    assert last_event(processing).data["notice_on_time"] is False


def test_restart_gives_the_full_time_limit_again_from_receipt(
    processing, specialist, centre_clerk, settings
):
    settings.MOTCUA_SUPPLEMENT_CLOCK = "restart"
    _request(processing, specialist)
    with at(RECEIVED):
        request = receive_supplement(processing, actor=centre_clerk)

    dossier = reread(processing)
    assert (dossier.status, dossier.clock_paused_at) == (Status.PROCESSING, None)
    assert dossier.clock_start_at == RECEIVED
    assert dossier.due_at == vn(2026, 3, 18, 17, 0)  # 5 working days from Wednesday
    assert dossier.original_due_at == vn(2026, 3, 16, 17, 0)
    appraisal = step(dossier, 2)
    assert appraisal.started_at == RECEIVED
    assert appraisal.due_at == vn(2026, 3, 13, 15, 0)  # the full 16 hours again
    assert (request.answered_at, request.received_by) == (RECEIVED, centre_clerk)
    assert request.due_after == dossier.due_at
    event = last_event(dossier)
    assert (event.action, event.from_status, event.to_status) == (Action.RECEIVE_SUPPLEMENT, 5, 4)
    assert datetime.fromisoformat(event.data["due_before"]) == vn(2026, 3, 16, 17, 0)
    assert datetime.fromisoformat(event.data["due_after"]) == vn(2026, 3, 18, 17, 0)


def test_pause_moves_the_deadlines_by_the_working_time_waited(
    processing, specialist, centre_clerk, settings
):
    settings.MOTCUA_SUPPLEMENT_CLOCK = "pause"
    appraisal_due = step(processing, 2).due_at
    _request(processing, specialist)
    with at(RECEIVED):
        request = receive_supplement(processing, actor=centre_clerk)

    dossier = reread(processing)
    assert request.clock == SupplementRequest.Clock.PAUSE
    assert dossier.clock_start_at == MONDAY  # the clock was not restarted
    assert dossier.due_at == vn(2026, 3, 18, 17, 0)  # Monday 16 + two working days
    assert step(dossier, 2).due_at == appraisal_due + timedelta(days=2)
    assert step(dossier, 2).started_at == MONDAY
    assert last_event(dossier).data["waited_working_hours"] == "15.00"


@pytest.mark.parametrize(
    ("setting", "version", "expected"),
    [
        ("restart", "", "restart"),
        ("pause", "", "pause"),
        ("restart", "pause", "pause"),
        ("pause", "restart", "restart"),
    ],
)
def test_the_procedure_version_overrides_the_setting(
    processing, specialist, settings, setting, version, expected
):
    settings.MOTCUA_SUPPLEMENT_CLOCK = setting
    processing.procedure_version.supplement_clock = version
    processing.procedure_version.save(update_fields=["supplement_clock"])
    assert _request(processing, specialist).clock == expected


def test_a_second_supplement_is_refused(processing, specialist, centre_clerk):
    _request(processing, specialist)
    with at(RECEIVED):
        receive_supplement(processing, actor=centre_clerk)
        refused(
            "supplement_once",
            processing,
            request_supplement,
            actor=specialist,
            reason="Lần hai",
            items=["x"],
        )


@pytest.mark.parametrize(
    ("reason", "items", "code"),
    [
        pytest.param("", ["x"], "reason_required", id="no-reason"),
        pytest.param("x", [], "items_required", id="no-items"),
        pytest.param("x", [{"name": " "}], "items_required", id="blank-item"),
    ],
)
def test_request_needs_reasons_and_items(processing, specialist, reason, items, code):
    with at(REQUESTED):
        refused(code, processing, request_supplement, actor=specialist, reason=reason, items=items)


@pytest.mark.parametrize("who", ["centre_clerk", "commune_specialist"])
def test_only_whoever_works_on_the_step_requests_it(processing, request, who):
    with at(REQUESTED):
        actor = request.getfixturevalue(who)
        refused("forbidden", processing, request_supplement, actor=actor, reason="x", items=["y"])


def test_no_supplement_before_hand_over(receive, specialist):
    dossier = receive()
    with at(REQUESTED):
        refused(
            "illegal_transition",
            dossier,
            request_supplement,
            actor=specialist,
            reason="x",
            items=["y"],
        )


@pytest.mark.parametrize("who", ["specialist", "clerk"])
def test_receipt_only_by_the_receiving_agencys_clerk(processing, request, specialist, who):
    _request(processing, specialist)
    with at(RECEIVED):
        refused("forbidden", processing, receive_supplement, actor=request.getfixturevalue(who))


def test_receipt_without_a_request_after_appraisal_is_refused(
    criminal_record, centre, centre_clerk
):
    with at(MONDAY):
        dossier = request_supplement_at_reception(
            Intake(criminal_record, centre, Applicant("citizen", "An", "042090001234")),
            actor=centre_clerk,
            missing=[Missing(None, "Tờ khai", "Thiếu chữ ký")],
        )
        refused("no_supplement_requested", dossier, receive_supplement, actor=centre_clerk)


def test_supplement_received_then_the_steps_go_on(processing, specialist, centre_clerk):
    _request(processing, specialist)
    with at(RECEIVED):
        receive_supplement(processing, actor=centre_clerk)
        complete_step(processing, actor=specialist)
    assert step(processing, 3).state == DossierStep.State.ACTIVE


# --- The pause arithmetic, for any moments ------------------------------------------------

CALENDAR = WorkCalendar.from_dates([datetime(2026, 4, 30).date(), datetime(2026, 5, 1).date()])
moments = st.datetimes(
    min_value=datetime(2026, 3, 1), max_value=datetime(2026, 6, 30), timezones=st.just(VN)
)


@settings(max_examples=300, deadline=None)
@given(
    paused_at=moments,
    waited=st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=40)),
    due_after=st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=40)),
)
def test_pause_moves_the_due_by_exactly_the_paused_working_time(paused_at, waited, due_after):
    due = CALENDAR.add_working_time(paused_at, due_after)
    resumed = paused_at + waited
    dossier = Dossier(due_at=due, clock_paused_at=paused_at)
    step = DossierStep(due_at=due)

    paused = resume_after_pause(CALENDAR, dossier, step, resumed)

    assert paused == CALENDAR.working_time_between(paused_at, resumed)
    assert CALENDAR.working_time_between(due, dossier.due_at) == paused
    assert dossier.due_at >= due and step.due_at == dossier.due_at
    assert dossier.clock_paused_at is None
