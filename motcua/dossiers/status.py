"""National dossier statuses and the one table of legal transitions.

Status codes 1-10 are the national catalogue used by DVCQG and provincial systems
(domain.md §3.3, TrangThaiHoSo). Every change of status goes through `transition()`, which
either returns the new status or raises IllegalTransition with a reason a clerk can read.
Pure module: no ORM.
"""

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _

from .errors import DossierError


class Status(models.IntegerChoices):
    SUBMITTED = 1, _("Newly submitted")  # Mới đăng ký
    RECEIVED = 2, _("Received")  # Được tiếp nhận
    NOT_RECEIVED = 3, _("Not received")  # Không được tiếp nhận
    PROCESSING = 4, _("Being processed")  # Đang xử lý
    SUPPLEMENT = 5, _("Supplement requested")  # Yêu cầu bổ sung giấy tờ
    FINANCIAL = 6, _("Waiting for financial obligation")  # Yêu cầu thực hiện nghĩa vụ tài chính
    WITHDRAWN = 7, _("Withdrawn at the applicant's request")  # Công dân yêu cầu rút hồ sơ
    STOPPED = 8, _("Processing stopped")  # Dừng xử lý
    RESOLVED = 9, _("Resolved, result ready")  # Đã xử lý xong
    RETURNED = 10, _("Result returned")  # Đã trả kết quả


class Action(models.TextChoices):
    SUBMIT_ONLINE = "submit_online", _("Submitted online")
    RECEIVE = "receive", _("Received")
    REQUEST_SUPPLEMENT_AT_RECEPTION = (
        "request_supplement_at_reception",
        _("Supplement requested at reception"),
    )
    REFUSE_AT_RECEPTION = "refuse_at_reception", _("Refused at reception")
    HAND_OVER = "hand_over", _("Handed over for processing")
    ASSIGN = "assign", _("Assigned")
    COMPLETE_STEP = "complete_step", _("Step completed")
    SEND_BACK = "send_back", _("Sent back to a previous step")
    REQUEST_CONSULTATION = "request_consultation", _("Consultation requested")
    ANSWER_CONSULTATION = "answer_consultation", _("Consultation answered")
    REQUEST_SUPPLEMENT = "request_supplement", _("Supplement requested after appraisal")
    RECEIVE_SUPPLEMENT = "receive_supplement", _("Supplement received")
    REQUIRE_PAYMENT = "require_payment", _("Financial obligation required")
    CONFIRM_PAYMENT = "confirm_payment", _("Financial obligation fulfilled")
    APOLOGISE = "apologise", _("Apology and new appointment")
    WITHDRAW = "withdraw", _("Withdrawn at the applicant's request")
    STOP = "stop", _("Processing stopped")
    REFUSE_AFTER_APPRAISAL = "refuse_after_appraisal", _("Refused after appraisal")
    MARK_RESULT_READY = "mark_result_ready", _("Result ready")
    RETURN_RESULT = "return_result", _("Result returned")
    # Recorded by the deadline worker; they never change the status.
    DUE_SOON = "due_soon", _("Due within 24 working hours")
    OVERDUE = "overdue", _("Overdue")
    APOLOGY_PROMPT = "apology_prompt", _("Apology due: one working day before the deadline")
    # Recorded when a change of the working-day calendar moves an open deadline.
    DEADLINE_MOVED = "deadline_moved", _("Appointment moved by a calendar change")
    # Recorded when the fee due at receipt is paid and the time limit counts from the
    # payment (MOTCUA_PAYMENT_CLOCK=paid, dossiers.obligations.count_from_payment).
    CLOCK_FROM_PAYMENT = "clock_from_payment", _("Time limit counted from the fee payment")
    ATTACH_FILE = "attach_file", _("File attached")
    # The applicant, online (dossiers/online.py); the status is the same after.
    SEND_SUPPLEMENT_ONLINE = "send_supplement_online", _("Supplement sent online by the applicant")
    ASK_WITHDRAWAL = "ask_withdrawal", _("Withdrawal asked for by the applicant")


S = Status
A = Action
NEW = None  # a dossier that does not exist yet

# (current status, action) -> new status. Anything absent is refused.
TRANSITIONS: dict[tuple[Status | None, Action], Status] = {
    # Reception (Decree 61/2018 art. 17): complete, incomplete (Mẫu 02) or refused (Mẫu 03).
    (NEW, A.SUBMIT_ONLINE): S.SUBMITTED,
    (NEW, A.RECEIVE): S.RECEIVED,
    (NEW, A.REQUEST_SUPPLEMENT_AT_RECEPTION): S.SUPPLEMENT,
    (NEW, A.REFUSE_AT_RECEPTION): S.NOT_RECEIVED,
    (S.SUBMITTED, A.RECEIVE): S.RECEIVED,
    (S.SUBMITTED, A.REQUEST_SUPPLEMENT_AT_RECEPTION): S.SUPPLEMENT,
    (S.SUBMITTED, A.REFUSE_AT_RECEPTION): S.NOT_RECEIVED,
    (S.SUBMITTED, A.WITHDRAW): S.WITHDRAWN,
    # Completed after the guidance slip; only before receipt (the service checks received_at).
    (S.SUPPLEMENT, A.RECEIVE): S.RECEIVED,
    # Transfer (art. 18) and resolution (art. 19).
    (S.RECEIVED, A.HAND_OVER): S.PROCESSING,
    (S.PROCESSING, A.ASSIGN): S.PROCESSING,
    (S.PROCESSING, A.COMPLETE_STEP): S.PROCESSING,
    (S.PROCESSING, A.SEND_BACK): S.PROCESSING,
    (S.PROCESSING, A.REQUEST_CONSULTATION): S.PROCESSING,
    (S.PROCESSING, A.ANSWER_CONSULTATION): S.PROCESSING,
    (S.PROCESSING, A.REQUEST_SUPPLEMENT): S.SUPPLEMENT,  # art. 19.4
    (S.SUPPLEMENT, A.RECEIVE_SUPPLEMENT): S.PROCESSING,
    (S.PROCESSING, A.REQUIRE_PAYMENT): S.FINANCIAL,
    (S.FINANCIAL, A.CONFIRM_PAYMENT): S.PROCESSING,
    (S.PROCESSING, A.REFUSE_AFTER_APPRAISAL): S.RESOLVED,  # art. 19.8: a reasoned refusal
    (S.PROCESSING, A.MARK_RESULT_READY): S.RESOLVED,
    (S.RESOLVED, A.RETURN_RESULT): S.RETURNED,  # art. 20
    # Apology and new appointment keep the status (art. 19.9).
    (S.RECEIVED, A.APOLOGISE): S.RECEIVED,
    (S.PROCESSING, A.APOLOGISE): S.PROCESSING,
    (S.SUPPLEMENT, A.APOLOGISE): S.SUPPLEMENT,
    (S.FINANCIAL, A.APOLOGISE): S.FINANCIAL,
    # Withdrawal and stop end an open dossier.
    (S.RECEIVED, A.WITHDRAW): S.WITHDRAWN,
    (S.PROCESSING, A.WITHDRAW): S.WITHDRAWN,
    (S.SUPPLEMENT, A.WITHDRAW): S.WITHDRAWN,
    (S.FINANCIAL, A.WITHDRAW): S.WITHDRAWN,
    (S.RECEIVED, A.STOP): S.STOPPED,
    (S.PROCESSING, A.STOP): S.STOPPED,
    (S.SUPPLEMENT, A.STOP): S.STOPPED,
    (S.FINANCIAL, A.STOP): S.STOPPED,
}

for _open in (S.RECEIVED, S.PROCESSING, S.SUPPLEMENT, S.FINANCIAL):
    for _timer in (
        A.DUE_SOON,
        A.OVERDUE,
        A.APOLOGY_PROMPT,
        A.DEADLINE_MOVED,
        A.CLOCK_FROM_PAYMENT,
    ):
        TRANSITIONS[(_open, _timer)] = _open
# Scans and result files can be attached while the dossier is open or its result waits.
for _attachable in (S.SUBMITTED, S.RECEIVED, S.PROCESSING, S.SUPPLEMENT, S.FINANCIAL, S.RESOLVED):
    TRANSITIONS[(_attachable, A.ATTACH_FILE)] = _attachable

# What the applicant sends online waits for a clerk: the supplement for its receipt
# (supplements.receive_supplement, or intake.receive_submitted before receipt), the withdrawal
# for its confirmation (closing.withdraw).
TRANSITIONS[(S.SUPPLEMENT, A.SEND_SUPPLEMENT_ONLINE)] = S.SUPPLEMENT
for _withdrawable in (S.SUBMITTED, S.RECEIVED, S.PROCESSING, S.SUPPLEMENT, S.FINANCIAL):
    TRANSITIONS[(_withdrawable, A.ASK_WITHDRAWAL)] = _withdrawable

FINAL = frozenset({S.NOT_RECEIVED, S.WITHDRAWN, S.STOPPED, S.RETURNED})
OPEN = frozenset({S.RECEIVED, S.PROCESSING, S.SUPPLEMENT, S.FINANCIAL})


class IllegalTransition(DossierError):
    def __init__(self, current: Status | None, action: Action, reason: str):
        super().__init__("illegal_transition", reason, status=409)
        self.current = current
        self.action = action
        self.reason = reason


@dataclass(frozen=True)
class Refusal:
    """Why an action is refused in a given status, in words a clerk understands."""

    current: Status | None
    action: Action

    def reason(self) -> str:
        if self.current in FINAL:
            return str(
                _("The dossier is closed (%(status)s); nothing more can be done with it.")
                % {"status": Status(self.current).label}
            )
        if self.current is NEW:
            return str(_("The dossier has not been received yet."))
        return str(
            _("“%(action)s” is not possible while the dossier is “%(status)s”.")
            % {"action": Action(self.action).label, "status": Status(self.current).label}
        )


def transition(current: Status | int | None, action: Action | str) -> Status:
    """The status after `action`, or IllegalTransition with a reason."""
    key_status = Status(current) if current is not None else NEW
    key_action = Action(action)
    try:
        return TRANSITIONS[(key_status, key_action)]
    except KeyError:
        raise IllegalTransition(
            key_status, key_action, Refusal(key_status, key_action).reason()
        ) from None


def allowed_actions(current: Status | int | None) -> list[Action]:
    key = Status(current) if current is not None else NEW
    return [action for (status, action) in TRANSITIONS if status == key]
