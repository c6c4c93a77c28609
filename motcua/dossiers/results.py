"""The end of processing and the return of the result: Decree 61/2018 arts. 19.8 and 20.

* `refuse_after_appraisal`: a reasoned refusal decided by an approver (art. 19.8), status 9
  with outcome "refused"; the refusal is then handed over like a result.
* `mark_result_ready`: every processing step is done and the result has reached the
  counter: status 9 with outcome "granted". `finished_at` is the end of processing, the
  moment compared with the appointment for early / on time / late (domain.md §3.3).
* `return_result`: the result is handed over (status 10); the return steps are done.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.catalogue.models import Channel
from motcua.workdays.loader import get_calendar

from . import policy
from .applicants import CITIZEN_ID, PASSPORT
from .errors import DossierError
from .events import record
from .flow import (
    FINISHED,
    State,
    cancel_remaining,
    finish,
    lock,
    move,
    plan_of,
    require_text,
    save_steps,
)
from .models import Dossier
from .policy import Operation
from .status import Action
from .timeleft import Verdict, judge


def _on_time(dossier: Dossier, now) -> bool | None:
    """Not late by the on-time rule (timeleft.judge: the appointment's day)."""
    return None if dossier.due_at is None else judge(now, dossier.due_at) != Verdict.LATE


@transaction.atomic
def refuse_after_appraisal(dossier: Dossier, *, actor, reasons: str) -> Dossier:
    """Refuse after appraisal, with written reasons kept as the result (Decree 61/2018
    art. 19.8): 4 -> 9, outcome "refused". By an approver (APPROVE_DOSSIER) of the
    competent agency or of the step in progress. The step in progress is done (its outcome
    is the refusal); later processing steps are cancelled; the return steps remain."""
    dossier = lock(dossier)
    plan = plan_of(dossier)
    active = plan.active
    policy.check(actor, Operation.REFUSE, dossier, active)
    previous = move(dossier, Action.REFUSE_AFTER_APPRAISAL)
    reasons = require_text(reasons, "reasons_required", _("Give the reasons for refusing."))
    now = timezone.now()
    if active is not None:
        finish(active, now)  # saved with the cancelled steps, one statement
    cancelled = cancel_remaining(plan, now, return_steps=False, also=active)
    dossier.outcome, dossier.outcome_note, dossier.finished_at = (
        Dossier.Outcome.REFUSED,
        reasons,
        now,
    )
    record(
        dossier,
        Action.REFUSE_AFTER_APPRAISAL,
        actor=actor,
        from_status=previous,
        step=active,
        note=reasons,
        at=now,
        on_time=_on_time(dossier, now),
        cancelled_steps=cancelled,
        save=["status", "outcome", "outcome_note", "finished_at", "updated_at"],
    )
    return dossier


@transaction.atomic
def mark_result_ready(dossier: Dossier, *, actor, note: str = "") -> Dossier:
    """The result is ready for the applicant: 4 -> 9, outcome "granted" (Decree 61/2018
    art. 20). Only when every processing step is done ("steps_not_done" otherwise)."""
    dossier = lock(dossier)
    # The receiving agency's clerks (the result reached the counter) or an approver of the
    # competent agency (the signed result is the result, e.g. online).
    policy.check(actor, Operation.RESULT_READY, dossier)
    previous = move(dossier, Action.MARK_RESULT_READY)
    remaining = plan_of(dossier).unfinished()
    if remaining:
        raise DossierError(
            "steps_not_done",
            _("Steps still to do: %(steps)s.") % {"steps": ", ".join(s.name for s in remaining)},
        )
    now = timezone.now()
    dossier.outcome, dossier.finished_at = Dossier.Outcome.GRANTED, now
    record(
        dossier,
        Action.MARK_RESULT_READY,
        actor=actor,
        from_status=previous,
        note=note.strip(),
        at=now,
        on_time=_on_time(dossier, now),
        save=["status", "outcome", "finished_at", "updated_at"],
    )
    return dossier


def _collector(method: str, name: str, id_number: str) -> tuple[str, str]:
    if method not in Channel.values:
        raise DossierError("invalid_method", _("Unknown way of returning the result."))
    name = " ".join((name or "").split())
    if method == Channel.IN_PERSON and not name:
        raise DossierError("collector_required", _("Enter who collected the result."))
    number = (id_number or "").strip().upper().replace(" ", "")
    if number and not (CITIZEN_ID.match(number) or PASSPORT.match(number)):
        raise DossierError(
            "invalid_collector_id", _("Enter a 12-digit ID number or a passport number.")
        )
    return name, number


@transaction.atomic
def return_result(
    dossier: Dossier,
    *,
    actor,
    method: str,
    collected_by_name: str = "",
    collected_by_id_number: str = "",
) -> Dossier:
    """Hand the result (or the refusal) to the applicant (Decree 61/2018 art. 20): 9 -> 10,
    by a clerk of the receiving agency (RETURN_RESULT). `method` is in_person, postal or
    online; in person needs the collector's name (an ID number is checked if given)."""
    dossier = lock(dossier)
    policy.check(actor, Operation.RETURN, dossier)
    previous = move(dossier, Action.RETURN_RESULT)
    name, number = _collector(method, collected_by_name, collected_by_id_number)
    now = timezone.now()
    pending = [s for s in plan_of(dossier).returning if s.state == State.PENDING]
    calendar = get_calendar() if pending else None
    for step in pending:
        step.started_at = dossier.finished_at or now
        step.due_at = calendar.add_working_hours(step.started_at, step.budget_hours)
        finish(step, now)
    save_steps(pending, (*FINISHED, "started_at", "due_at"))
    dossier.returned_at, dossier.returned_method = now, method
    dossier.collected_by_name, dossier.collected_by_id_number = name, number
    record(
        dossier,
        Action.RETURN_RESULT,
        actor=actor,
        from_status=previous,
        at=now,
        method=method,
        save=[
            "status",
            "returned_at",
            "returned_method",
            "collected_by_name",
            "collected_by_id_number",
            "updated_at",
        ],
    )
    return dossier
