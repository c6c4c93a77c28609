"""Ending a dossier early: withdrawal (status 7) and stop (status 8), domain.md §3.2.

Neither is regulated in the Decree 61/2018 text; both exist as national statuses. The
applicant asks to withdraw and a clerk of the receiving agency records it (as in TH-SYS);
a leader or department head of the competent agency (or of the agency with the step in
progress) stops processing. Both end processing now (`finished_at`) and cancel the steps
not yet done, the return steps included.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from . import policy
from .events import record
from .flow import Plan, cancel_remaining, lock, move, plan_of, require_text
from .models import Dossier
from .policy import Operation
from .status import Action


def _end(
    dossier: Dossier, action: Action, *, actor, reason: str, previous, plan: Plan | None = None
) -> Dossier:
    now = timezone.now()
    plan = plan or plan_of(dossier)
    active = plan.active
    cancelled = cancel_remaining(plan, now, return_steps=True)
    dossier.finished_at = now
    record(
        dossier,
        action,
        actor=actor,
        from_status=previous,
        step=active,
        note=reason,
        at=now,
        cancelled_steps=cancelled,
        save=["status", "finished_at", "updated_at"],
    )
    return dossier


@transaction.atomic
def withdraw(dossier: Dossier, *, actor, reason: str) -> Dossier:
    """Record the applicant's request to withdraw the dossier (status 7), with its reason;
    by a clerk of the receiving agency."""
    dossier = lock(dossier)
    policy.check(actor, Operation.WITHDRAW, dossier)
    previous = move(dossier, Action.WITHDRAW)
    reason = require_text(reason, "reason_required", _("Give the applicant's reason."))
    return _end(dossier, Action.WITHDRAW, actor=actor, reason=reason, previous=previous)


@transaction.atomic
def stop(dossier: Dossier, *, actor, reason: str) -> Dossier:
    """Stop processing (status 8), with the reason; by a leader or department head
    (ASSIGN_DOSSIER) of the competent agency or of the agency with the step in progress."""
    dossier = lock(dossier)
    plan = plan_of(dossier)  # read once: for the policy and for what is cancelled
    policy.check(actor, Operation.STOP, dossier, plan.active)
    previous = move(dossier, Action.STOP)
    reason = require_text(reason, "reason_required", _("Give the reason for stopping."))
    return _end(dossier, Action.STOP, actor=actor, reason=reason, previous=previous, plan=plan)
