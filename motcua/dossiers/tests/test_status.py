"""The legal transitions of a dossier, written out here by hand from the law and checked
against `transition()`: every allowed pair leads where the law says, every other pair is
refused with a reason.

The table below does not read motcua/dossiers/status.py's TRANSITIONS: it is the national
status catalogue (TrangThaiHoSo 1-10, domain.md §3.3) and Decree 61/2018 arts. 17-20 (and
§3.2 for withdrawal, stop and the financial obligation), in national codes and the actions'
stored values. A change of the code's table that the law does not support fails here.
"""

import itertools

import pytest

from motcua.dossiers.status import Action, IllegalTransition, Status, transition

NEW = None  # no dossier yet

# The national status codes and their names (domain.md §3.3).
NATIONAL = {
    1: "Mới đăng ký",
    2: "Được tiếp nhận",
    3: "Không được tiếp nhận",
    4: "Đang xử lý",
    5: "Yêu cầu bổ sung giấy tờ",
    6: "Yêu cầu thực hiện nghĩa vụ tài chính",
    7: "Công dân yêu cầu rút hồ sơ",
    8: "Dừng xử lý",
    9: "Đã xử lý xong",
    10: "Đã trả kết quả",
}

# Events recorded while a dossier is open that never change its status: the deadline
# worker's warnings (art. 19.9 asks for the apology a day before the deadline) and a moved
# appointment after a calendar change, or after the fee due at receipt was paid where the time
# limit counts from the payment (a policy: docs/payments.md).
TIMERS = ("due_soon", "overdue", "apology_prompt", "deadline_moved", "clock_from_payment")
# Inside "Đang xử lý" (4): the internal process's sub-steps (Circular 01/2018 art. 8;
# consultation, art. 19.5), which keep the national status.
PROCESSING_STEPS = (
    "assign",
    "complete_step",
    "send_back",
    "request_consultation",
    "answer_consultation",
)


def _open(status: int) -> dict[tuple[int | None, str], int]:
    """What every open dossier (received, not closed, no result yet) allows: an apology with
    a new appointment (art. 19.9), the applicant's withdrawal and the officer's stop (§3.2),
    the worker's warnings, scans and files attached; all but the last two keep the status."""
    rules: dict[tuple[int | None, str], int] = {
        (status, "apologise"): status,
        (status, "withdraw"): 7,
        (status, "stop"): 8,
    }
    rules.update({(status, timer): status for timer in TIMERS})
    rules[(status, "attach_file")] = status
    # The applicant asks online to withdraw (issue 15 §3); the officer records it (7).
    rules[(status, "ask_withdrawal")] = status
    return rules


LEGAL: dict[tuple[int | None, str], int] = {
    # Reception, art. 17.1: complete -> receipt (2); incomplete -> supplement slip (5, the
    # "at reception" sub-status: the clock has not started); refused -> refusal slip (3).
    (NEW, "submit_online"): 1,
    (NEW, "receive"): 2,
    (NEW, "request_supplement_at_reception"): 5,
    (NEW, "refuse_at_reception"): 3,
    # Online, art. 17.2: the same three answers; the applicant may still withdraw.
    (1, "receive"): 2,
    (1, "request_supplement_at_reception"): 5,
    (1, "refuse_at_reception"): 3,
    (1, "withdraw"): 7,
    (1, "attach_file"): 1,
    (1, "ask_withdrawal"): 1,
    # Transfer to the competent department or agency, art. 18.
    (2, "hand_over"): 4,
    **_open(2),
    # Resolution, art. 19: the internal steps; supplement after appraisal (19.4, the
    # "after appraisal" sub-status of 5); the financial obligation (6); a reasoned refusal
    # (19.8) is a result too, waiting at the counter like a granted one (9).
    **{(4, step): 4 for step in PROCESSING_STEPS},
    (4, "request_supplement"): 5,
    (4, "require_payment"): 6,
    (4, "refuse_after_appraisal"): 9,
    (4, "mark_result_ready"): 9,
    **_open(4),
    # 5: completed at reception (-> 2, the clock starts) or after appraisal (-> 4; the
    # service tells the two sub-statuses apart by the dossier's receipt).
    (5, "receive"): 2,
    (5, "receive_supplement"): 4,
    # What is asked for, sent online by the applicant, waits for a clerk's receipt.
    (5, "send_supplement_online"): 5,
    **_open(5),
    # 6: the obligation paid, processing continues.
    (6, "confirm_payment"): 4,
    **_open(6),
    # Return, art. 20; result files can still be attached before it.
    (9, "return_result"): 10,
    (9, "attach_file"): 9,
    # 3, 7, 8 and 10 are final: nothing more.
}

ACTIONS = sorted({action for _, action in LEGAL})  # every action is allowed somewhere
STATES: list[int | None] = [NEW, *NATIONAL]
REFUSED = [pair for pair in itertools.product(STATES, ACTIONS) if pair not in LEGAL]
FINAL_CODES = (3, 7, 8, 10)


def _id(state: int | None, action: str, target: int | None = None) -> str:
    name = "new" if state is None else f"{state}"
    return f"{name}-{action}" + ("" if target is None else f"->{target}")


def test_the_status_codes_are_the_national_catalogue():
    assert {status.value for status in Status} == set(NATIONAL)


def test_the_actions_are_the_ones_this_table_rules_on():
    # A new action must be added above, with the statuses the law allows it in.
    assert {action.value for action in Action} == set(ACTIONS)


@pytest.mark.parametrize(
    ("current", "action", "target"),
    [(state, action, target) for (state, action), target in LEGAL.items()],
    ids=[_id(state, action, target) for (state, action), target in LEGAL.items()],
)
def test_legal_transition(current, action, target):
    assert transition(current, action) == target


@pytest.mark.parametrize(
    ("current", "action"), REFUSED, ids=[_id(state, action) for state, action in REFUSED]
)
def test_illegal_transition_is_refused_with_a_reason(current, action):
    with pytest.raises(IllegalTransition) as info:
        transition(current, action)
    assert info.value.code == "illegal_transition"
    assert info.value.reason
    assert info.value.action == action


@pytest.mark.parametrize("status", FINAL_CODES)
def test_a_closed_dossier_says_it_is_closed(status):
    with pytest.raises(IllegalTransition) as info:
        transition(status, "attach_file")
    assert str(Status(status).label) in info.value.reason
