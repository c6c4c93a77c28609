"""The processing operations staff perform on a dossier, by name: which service each calls
(the statuses it is offered in, its label and who may perform it are the permission policy's:
policy.py). The back-office pages and the JSON API both perform operations through this
table, so the wiring of an action to its service is written once (style.md principle 1).
The services themselves check the policy and the transition.

`values` holds domain objects already resolved by the door (users, agencies, datetimes):
note, reason, assignee, delegated_from, to_order, to_agency, content, deadline_days, items,
consultation, answer, description, amount, new_due_at, responsible_agency, method,
collected_by_name, collected_by_id_number.

Before an operation runs, what the caller prepared it against (`Expected`: the dossier's
version, the step in progress) is checked under the dossier's lock, here once for both doors
(preconditions.py). `STEP_ACTIONS` act on the step in progress: a caller must name the step
or the version, so that a repeated request cannot complete the next step as well.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from . import (
    closing,
    consultations,
    delays,
    intake,
    obligations,
    policy,
    processing,
    results,
    supplements,
)
from .errors import DossierError
from .flow import holding
from .models import Consultation, Dossier
from .preconditions import Expected


@dataclass(frozen=True)
class Operation:
    run: Callable[[Dossier, Any, dict], Any]
    name: str = ""

    @property
    def label(self) -> Any:
        return policy.Operation(self.name).label

    @property
    def statuses(self) -> frozenset:
        return policy.POLICY[policy.Operation(self.name)].statuses


def _consultation(dossier: Dossier, pk: int) -> Consultation:
    found = Consultation.objects.filter(dossier_id=dossier.pk, pk=pk).first()
    if found is None:
        message = _("That consultation is not one of this dossier's.")
        raise DossierError("unknown_consultation", message, status=404)
    return found


def _note(values: dict) -> str:
    return values.get("note") or ""


def _missing(values: dict) -> list[intake.Missing]:
    """Each document named, one per line, with the one reason given for them."""
    return [intake.Missing(None, name, values["reason"]) for name in values["items"]]


_RUNS: dict[str, Callable[[Dossier, Any, dict], Any]] = {
    # An online submission at the receiving agency (Decree 61/2018 art. 17.2): received only
    # complete, or guided once to supplement, or refused with the reasons.
    "receive": lambda d, u, v: intake.receive_submitted(d, actor=u),
    "guide-supplement": lambda d, u, v: intake.request_supplement_submitted(
        d, actor=u, missing=_missing(v)
    ),
    "refuse-at-reception": lambda d, u, v: intake.refuse_submitted(d, actor=u, reasons=v["reason"]),
    "hand-over": lambda d, u, v: processing.hand_over(d, actor=u, note=_note(v)),
    "assign": lambda d, u, v: processing.assign_step(
        d,
        actor=u,
        assignee=v["assignee"],
        note=_note(v),
        delegated_from=v.get("delegated_from"),
    ),
    "complete": lambda d, u, v: processing.complete_step(d, actor=u, note=_note(v)),
    "approve": lambda d, u, v: processing.approve(d, actor=u, note=_note(v)),
    "send-back": lambda d, u, v: processing.send_back(
        d, actor=u, to_order=v["to_order"], reason=v["reason"]
    ),
    "consult": lambda d, u, v: consultations.request_consultation(
        d,
        actor=u,
        to_agency=v["to_agency"],
        content=v["content"],
        deadline_days=v["deadline_days"],
    ),
    "answer-consultation": lambda d, u, v: consultations.answer_consultation(
        _consultation(d, v["consultation"]),
        actor=u,
        answer=v["answer"],
        files=v.get("attachments", ()),
    ),
    "request-supplement": lambda d, u, v: supplements.request_supplement(
        d, actor=u, reason=v["reason"], items=v["items"]
    ),
    "receive-supplement": lambda d, u, v: supplements.receive_supplement(d, actor=u, note=_note(v)),
    "require-payment": lambda d, u, v: obligations.require_payment(
        d, actor=u, description=v["description"], amount=v.get("amount")
    ),
    "confirm-payment": lambda d, u, v: obligations.confirm_payment(d, actor=u, note=_note(v)),
    "apologise": lambda d, u, v: delays.apologise(
        d,
        actor=u,
        reason=v["reason"],
        new_due_at=v["new_due_at"],
        responsible_agency=v.get("responsible_agency"),
    ),
    "result-ready": lambda d, u, v: results.mark_result_ready(d, actor=u, note=_note(v)),
    "refuse": lambda d, u, v: results.refuse_after_appraisal(d, actor=u, reasons=v["reason"]),
    "return": lambda d, u, v: results.return_result(
        d,
        actor=u,
        method=v["method"],
        collected_by_name=v.get("collected_by_name") or "",
        collected_by_id_number=v.get("collected_by_id_number") or "",
    ),
    "withdraw": lambda d, u, v: closing.withdraw(d, actor=u, reason=v["reason"]),
    "stop": lambda d, u, v: closing.stop(d, actor=u, reason=v["reason"]),
}
OPERATIONS: dict[str, Operation] = {name: Operation(run, name) for name, run in _RUNS.items()}


# The operations that act on the step in progress (its assignee, its completion, its
# consultation): without a precondition, a replay would act on the next step.
STEP_ACTIONS = frozenset({"assign", "complete", "approve", "send-back", "consult"})


@transaction.atomic
def perform(
    name: str, dossier: Dossier, *, actor, values: dict, expected: Expected | None = None
) -> Any:
    """Run operation `name` on `dossier` for `actor` (KeyError for an unknown name), unless
    the dossier is no longer as the caller saw it (`expected`; DossierError `stale_action`,
    or `precondition_required` for a step action that names neither step nor version)."""
    operation = OPERATIONS[name]
    # The service locks the same row: inside `holding` it reuses this read of it.
    with holding(dossier) as locked:
        (expected or Expected()).check(locked, names_step=name in STEP_ACTIONS)
        return operation.run(locked, actor, values)


def offered_operations(dossier: Dossier, user) -> list[str]:
    """Names of the operations `user` may perform on `dossier` now (policy.py), in the
    table's order."""
    available = policy.available_operations(user, dossier)
    return [name for name in OPERATIONS if policy.Operation(name) in available]
