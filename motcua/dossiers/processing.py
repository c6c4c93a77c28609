"""Processing a received dossier (giải quyết): Decree 61/2018 arts. 18-19.

The receiving clerk hands the dossier over; the head assigns an officer to each step; steps
run one at a time in the order of the approved internal process (Circular 01/2018 art. 8),
possibly at other agencies (inter-agency, art. 19.6-19.7); a step may be sent back to an
earlier one. How the template's clerk steps map onto reception and return: see flow.py.

When the last processing step is done the dossier stays "being processed" until the
result is declared ready (results.mark_result_ready), because the signed result still has
to reach the counter. Every service locks the dossier row, checks role and agency
(policy.py), changes the state, and records one event, in one transaction.
"""

from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.organisations.roles import Role
from motcua.workdays.calendar import WorkCalendar
from motcua.workdays.loader import get_calendar

from . import access, policy
from .clock import is_paper
from .errors import DossierError
from .events import record
from .flow import (
    FINISHED,
    STARTED,
    State,
    finish,
    lock,
    move,
    plan_of,
    require_active,
    require_text,
    save_steps,
    start,
)
from .models import Dossier, DossierStep
from .policy import Operation
from .status import Action


def display_name(user) -> str:
    return (user.get_full_name() or user.get_username()) if user is not None else ""


def forward_deadline(calendar: WorkCalendar, dossier: Dossier) -> datetime | None:
    """When paper must reach the processing agency (Decree 61/2018 art. 18): the same
    working day, or the start of the next working day for a receipt after the cut-off; we
    allow that next morning's half-day. Online dossiers move electronically: None."""
    if not is_paper(dossier) or dossier.received_at is None:
        return None
    local = calendar.local(dossier.received_at)
    cutoff = calendar.hours.cutoff
    if calendar.is_working_day(local.date()) and (cutoff is None or local.time() <= cutoff):
        return calendar.close_of(local.date())
    next_day = calendar.nth_working_day_after(local.date(), 1)
    return calendar.at(next_day, calendar.hours.morning[1])


def _close_reception(steps: list[DossierStep], dossier: Dossier, now, calendar) -> None:
    """Mark the reception steps done (saved with the first processing step: STARTED)."""
    for step in steps:
        step.started_at = step.started_at or dossier.received_at or now
        step.due_at = calendar.add_working_hours(step.started_at, step.budget_hours)
        step.state, step.finished_at = State.DONE, now


def _step_facts(step: DossierStep | None, prefix: str) -> dict[str, Any]:
    if step is None:
        return {f"{prefix}_step": None}
    return {
        f"{prefix}_step": step.order,
        f"{prefix}_agency": step.agency_id,
        f"{prefix}_agency_name": step.agency.name,
        f"{prefix}_due_at": step.due_at,
    }


@transaction.atomic
def hand_over(dossier: Dossier, *, actor, note: str = "") -> Dossier:
    """Hand a received dossier over for processing (Decree 61/2018 art. 18): 2 -> 4.

    By a clerk of the receiving agency (RECEIVE_DOSSIER). Reception steps are marked done
    and the first processing step starts, its budget counted from now. The art. 18
    forwarding deadline for paper is recorded with whether it was met; it never blocks.
    """
    dossier = lock(dossier)
    policy.check(actor, Operation.HAND_OVER, dossier)
    previous = move(dossier, Action.HAND_OVER)
    now, calendar = timezone.now(), get_calendar()
    plan = plan_of(dossier)
    _close_reception(plan.reception, dossier, now, calendar)
    first = plan.processing[0] if plan.processing else None
    if first is not None:
        start(first, now, calendar)
    save_steps([*plan.reception, first], STARTED)
    deadline = forward_deadline(calendar, dossier)
    record(
        dossier,
        Action.HAND_OVER,
        actor=actor,
        from_status=previous,
        step=first,
        note=note.strip(),
        at=now,
        forward_by=deadline,
        forwarded_on_time=None if deadline is None else now <= deadline,
        **_step_facts(first, "to"),
        save=["status", "updated_at"],
    )
    return dossier


def _check_assignee(assignee, step: DossierStep) -> None:
    if assignee is None or not getattr(assignee, "is_active", False):
        raise DossierError("assignee_required", _("Choose an active officer."))
    if step.assignee_id == assignee.pk:
        raise DossierError("already_assigned", _("This officer already has this step."))
    if not access.holds_step_role(assignee, step):
        raise DossierError(
            "assignee_not_eligible",
            _("This officer does not hold the step's role in its agency or department."),
        )


@transaction.atomic
def assign_step(
    dossier: Dossier, *, actor, assignee, note: str = "", delegated_from=None
) -> DossierStep:
    """Assign the step in progress to an officer (Decree 61/2018 art. 19.1: the head
    assigns an officer to appraise). Reassigning is allowed. `delegated_from` names an
    absent officer whose work is delegated; it is recorded, not checked.

    By ASSIGN_DOSSIER: agency-wide holders for any step of their agencies, department
    heads for their department's steps (access.py). The assignee must hold the step's role
    in its agency and department.
    """
    dossier = lock(dossier)
    previous = move(dossier, Action.ASSIGN)
    step = require_active(plan_of(dossier))
    policy.check(actor, Operation.ASSIGN, dossier, step)
    _check_assignee(assignee, step)
    before = step.assignee_id
    step.assignee = assignee
    step.save(update_fields=["assignee"])
    record(
        dossier,
        Action.ASSIGN,
        actor=actor,
        from_status=previous,
        step=step,
        note=note.strip(),
        assignee=assignee.pk,
        assignee_name=display_name(assignee),
        previous_assignee=before,
        delegated_from=getattr(delegated_from, "pk", None),
        delegated_from_name=display_name(delegated_from) if delegated_from else "",
        save=["status", "updated_at"],
    )
    return step


def _complete(dossier: Dossier, *, actor, note: str, approval: bool) -> DossierStep:
    dossier = lock(dossier)
    previous = move(dossier, Action.COMPLETE_STEP)
    plan = plan_of(dossier)
    step = require_active(plan)
    if approval and step.role != Role.LEADER:
        raise DossierError("not_an_approval_step", _("The step in progress is not approval."))
    policy.check(actor, Operation.APPROVE if approval else Operation.COMPLETE, dossier, step)
    now = timezone.now()
    save_steps([finish(step, now)], FINISHED)
    following = plan.next_after(step)
    if following is not None:  # the calendar only when a step starts (not after the last)
        save_steps([start(following, now, get_calendar())], STARTED)
    record(
        dossier,
        Action.COMPLETE_STEP,
        actor=actor,
        from_status=previous,
        step=step,
        note=note.strip(),
        at=now,
        approved=approval or step.role == Role.LEADER,
        on_time=step.due_at is None or now <= step.due_at,
        inter_agency=following is not None and following.agency_id != step.agency_id,
        awaiting_result=following is None,
        **_step_facts(following, "next"),
        save=["status", "updated_at"],
    )
    return step


@transaction.atomic
def complete_step(dossier: Dossier, *, actor, note: str = "") -> DossierStep:
    """Finish the step in progress and start the next (Decree 61/2018 art. 19). The next
    step may belong to another agency (inter-agency, art. 19.6-19.7): the event names the
    agency that received the dossier. After the last processing step, nothing starts and
    the dossier waits for `mark_result_ready`.

    By the step's assignee; an unassigned step by a holder of its role (access.py).
    """
    return _complete(dossier, actor=actor, note=note, approval=False)


@transaction.atomic
def approve(dossier: Dossier, *, actor, note: str = "") -> DossierStep:
    """Approve and sign (phê duyệt, ký): complete the step in progress, which must be a
    leader's step, so by an APPROVE_DOSSIER holder of its agency (Decree 61/2018 art. 19.1).
    """
    return _complete(dossier, actor=actor, note=note, approval=True)


def _reset(step: DossierStep) -> DossierStep:
    step.state = State.PENDING
    step.started_at = step.finished_at = step.due_at = None
    return step


def _target(plan, current: DossierStep, to_order: int) -> DossierStep:
    target = next((s for s in plan.processing if s.order == to_order), None)
    if target is None or target.order >= current.order:
        raise DossierError(
            "invalid_step", _("A dossier can only be sent back to an earlier processing step.")
        )
    return target


@transaction.atomic
def send_back(dossier: Dossier, *, actor, to_order: int, reason: str) -> DossierStep:
    """Send the dossier back to an earlier processing step, with the reason (e.g. the leader
    returns an appraisal for rework; Decree 61/2018 art. 19.1). The step in progress
    becomes SENT_BACK, the steps in between are pending again, and the earlier step starts
    anew with a fresh budget, for its previous assignee. Returns the re-opened step.
    """
    dossier = lock(dossier)
    previous = move(dossier, Action.SEND_BACK)
    plan = plan_of(dossier)
    current = require_active(plan)
    policy.check(actor, Operation.SEND_BACK, dossier, current)
    reason = require_text(reason, "reason_required", _("Give the reason for sending it back."))
    target = _target(plan, current, to_order)
    now = timezone.now()
    finish(current, now, State.SENT_BACK)
    between = [_reset(s) for s in plan.processing if target.order < s.order < current.order]
    save_steps([current], FINISHED)
    save_steps([*between, start(target, now, get_calendar())], STARTED)
    record(
        dossier,
        Action.SEND_BACK,
        actor=actor,
        from_status=previous,
        step=current,
        note=reason,
        at=now,
        **_step_facts(target, "to"),
        save=["status", "updated_at"],
    )
    return target
