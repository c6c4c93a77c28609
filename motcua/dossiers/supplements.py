"""Supplement after appraisal (bổ sung hồ sơ): Decree 61/2018 art. 19.4, Mẫu 02.

When appraisal finds the dossier incomplete, the agency asks the applicant, in writing, with
the reasons and every item needed, through the one-stop section, within 3 working days of
receipt (recorded, not enforced: sector law may differ). Policies:

* **Once per dossier.** The applicant is guided "once, completely" (art. 15.2); a second
  request after appraisal is refused ("supplement_once"), and the 766 indicators count a
  second one as a fault anyway (domain.md §6.1). The request at reception (intake.py) is a
  different act and does not count.
* **The clock** (clock.py): *restart* gives the full time limit again from receipt of the
  supplement (counted like a receipt: paper after the cut-off from the next working day),
  and the step in progress gets its full budget again from that moment; *pause* moves the
  appointment and the step's deadline by the working time spent waiting. The policy is
  taken when the request is made and kept on it.
"""

from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.workdays.calendar import WorkCalendar
from motcua.workdays.loader import get_calendar

from . import policy
from .clock import (
    RESTART,
    clock_start,
    hours_text,
    limit_due,
    resume_after_pause,
    step_due,
    supplement_clock_for,
)
from .errors import DossierError
from .events import record
from .flow import lock, move, plan_of, require_active, require_text
from .models import Dossier, DossierStep, SupplementRequest
from .policy import Operation
from .status import Action

LEGAL_NOTICE_DAYS = 3  # art. 19.4: within 3 working days of receipt


def clean_items(items: list[str | dict[str, Any]]) -> list[dict[str, Any]]:
    """Each item as {"name", "reason", "component_id"}; a bare string is a name."""
    cleaned = []
    for item in items or []:
        values = {"name": item} if isinstance(item, str) else dict(item)
        name = str(values.get("name", "")).strip()
        if not name:
            raise DossierError("items_required", _("Name every document to supplement."))
        reason = str(values.get("reason", "")).strip()
        cleaned.append({"name": name, "reason": reason, "component_id": values.get("component_id")})
    if not cleaned:
        raise DossierError("items_required", _("List the documents to supplement."))
    return cleaned


@transaction.atomic
def request_supplement(
    dossier: Dossier, *, actor, reason: str, items: list[str | dict[str, Any]]
) -> SupplementRequest:
    """Ask the applicant to supplement after appraisal (Decree 61/2018 art. 19.4): 4 -> 5.

    Written, with the reasons and the items; once per dossier; by whoever works on the step
    in progress (its assignee or role holder, or who may assign it). The clock stops now
    (clock_paused_at) under both policies; the policy is stored on the request.
    """
    dossier = lock(dossier)
    previous = move(dossier, Action.REQUEST_SUPPLEMENT)
    step = require_active(plan_of(dossier))
    policy.check(actor, Operation.REQUEST_SUPPLEMENT, dossier, step)
    if dossier.supplement_count or dossier.supplements.exists():
        raise DossierError(
            "supplement_once", _("A supplement can be requested only once per dossier.")
        )
    reason = require_text(reason, "reason_required", _("Give the reasons for the supplement."))
    items = clean_items(items)
    now, calendar = timezone.now(), get_calendar()
    request = SupplementRequest.objects.create(
        dossier=dossier,
        step=step,
        requested_at=now,
        requested_by=actor,
        reason=reason,
        items=items,
        clock=supplement_clock_for(dossier),
        due_before=dossier.due_at,
    )
    dossier.clock_paused_at = now
    dossier.supplement_count += 1
    dossier.save(update_fields=["status", "clock_paused_at", "supplement_count", "updated_at"])
    notice_by = calendar.add_working_days(dossier.received_at or now, LEGAL_NOTICE_DAYS)
    record(
        dossier,
        Action.REQUEST_SUPPLEMENT,
        actor=actor,
        from_status=previous,
        step=step,
        note=reason,
        at=now,
        supplement=request.pk,
        clock=request.clock,
        items=items,
        due_before=dossier.due_at,
        notice_by=notice_by,
        notice_on_time=now <= notice_by,
    )
    return request


def _resume(
    dossier: Dossier,
    step: DossierStep | None,
    request: SupplementRequest,
    now: datetime,
    calendar: WorkCalendar,
) -> None:
    """Move the appointment and the step's deadline by the request's clock policy."""
    if request.clock == RESTART:
        dossier.clock_start_at = clock_start(calendar, dossier, now)
        dossier.due_at = limit_due(calendar, dossier, now) or dossier.due_at
        if step is not None:
            step.started_at = now
            step.due_at = step_due(calendar, step)
        dossier.clock_paused_at = None
        return
    resume_after_pause(calendar, dossier, step, now)


def _open_request(dossier: Dossier) -> SupplementRequest:
    request = (
        SupplementRequest.objects.select_for_update()
        .filter(dossier=dossier, answered_at__isnull=True)
        .first()
    )
    if request is None:
        raise DossierError(
            "no_supplement_requested",
            _("No supplement was requested after appraisal; receive the dossier instead."),
        )
    return request


@transaction.atomic
def receive_supplement(dossier: Dossier, *, actor, note: str = "") -> SupplementRequest:
    """Receive the supplemented dossier at the one-stop section (Decree 61/2018 art.
    19.4): 5 -> 4, by a clerk of the receiving agency. The clock runs again by the
    request's policy (restart or pause, see the module docstring); the appointment before
    and after are recorded on the request and in the event.
    """
    dossier = lock(dossier)
    policy.check(actor, Operation.RECEIVE_SUPPLEMENT, dossier)
    previous = move(dossier, Action.RECEIVE_SUPPLEMENT)
    request = _open_request(dossier)
    now, calendar = timezone.now(), get_calendar()
    step = plan_of(dossier).active
    step_before = step.due_at if step else None
    due_before, paused_from = dossier.due_at, dossier.clock_paused_at
    _resume(dossier, step, request, now, calendar)
    if step is not None:
        step.save(update_fields=["started_at", "due_at"])
    dossier.save(
        update_fields=["status", "clock_start_at", "due_at", "clock_paused_at", "updated_at"]
    )
    request.answered_at, request.received_by, request.due_after = now, actor, dossier.due_at
    request.save(update_fields=["answered_at", "received_by", "due_after"])
    waited = calendar.working_time_between(paused_from or now, now)
    record(
        dossier,
        Action.RECEIVE_SUPPLEMENT,
        actor=actor,
        from_status=previous,
        step=step,
        note=note.strip(),
        at=now,
        supplement=request.pk,
        clock=request.clock,
        due_before=due_before,
        due_after=request.due_after,
        waited_working_hours=hours_text(waited),
        step_due_before=step_before,
        step_due_after=step.due_at if step else None,
    )
    return request
