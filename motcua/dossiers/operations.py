"""The processing operations staff perform on a dossier, by name: which service each calls
and in which national statuses it is offered. The back-office pages and the JSON API both
perform operations through this table, so the wiring of an action to its service is written
once (style.md principle 1). The services themselves check role, agency and transition.

`values` holds domain objects already resolved by the door (users, agencies, datetimes):
note, reason, assignee, delegated_from, to_order, to_agency, content, deadline_days, items,
description, amount, new_due_at, responsible_agency, method, collected_by_name,
collected_by_id_number.

Before an operation runs, what the caller prepared it against (`Expected`: the dossier's
version, the step in progress) is checked under the dossier's lock, here once for both doors
(preconditions.py). `STEP_ACTIONS` act on the step in progress: a caller must name the step
or the version, so that a repeated request cannot complete the next step as well.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from . import closing, consultations, delays, obligations, processing, results, supplements
from .flow import lock
from .models import Dossier
from .preconditions import Expected
from .status import Status


@dataclass(frozen=True)
class Operation:
    label: Any
    statuses: frozenset[int]
    run: Callable[[Dossier, Any, dict], Any]


S = Status
OPEN = frozenset({S.RECEIVED, S.PROCESSING, S.SUPPLEMENT, S.FINANCIAL})
PROCESSING = frozenset({S.PROCESSING})


def _note(values: dict) -> str:
    return values.get("note") or ""


OPERATIONS: dict[str, Operation] = {
    "hand-over": Operation(
        _("Hand over for processing"),
        frozenset({S.RECEIVED}),
        lambda d, u, v: processing.hand_over(d, actor=u, note=_note(v)),
    ),
    "assign": Operation(
        _("Assign the current step"),
        PROCESSING,
        lambda d, u, v: processing.assign_step(
            d,
            actor=u,
            assignee=v["assignee"],
            note=_note(v),
            delegated_from=v.get("delegated_from"),
        ),
    ),
    "complete": Operation(
        _("Complete the current step"),
        PROCESSING,
        lambda d, u, v: processing.complete_step(d, actor=u, note=_note(v)),
    ),
    "approve": Operation(
        _("Approve and sign"),
        PROCESSING,
        lambda d, u, v: processing.approve(d, actor=u, note=_note(v)),
    ),
    "send-back": Operation(
        _("Send back to an earlier step"),
        PROCESSING,
        lambda d, u, v: processing.send_back(
            d, actor=u, to_order=v["to_order"], reason=v["reason"]
        ),
    ),
    "consult": Operation(
        _("Ask another agency's opinion"),
        PROCESSING,
        lambda d, u, v: consultations.request_consultation(
            d,
            actor=u,
            to_agency=v["to_agency"],
            content=v["content"],
            deadline_days=v["deadline_days"],
        ),
    ),
    "request-supplement": Operation(
        _("Request a supplement (once)"),
        PROCESSING,
        lambda d, u, v: supplements.request_supplement(
            d, actor=u, reason=v["reason"], items=v["items"]
        ),
    ),
    "receive-supplement": Operation(
        _("Supplement received"),
        frozenset({S.SUPPLEMENT}),
        lambda d, u, v: supplements.receive_supplement(d, actor=u, note=_note(v)),
    ),
    "require-payment": Operation(
        _("Require a financial obligation"),
        PROCESSING,
        lambda d, u, v: obligations.require_payment(
            d, actor=u, description=v["description"], amount=v.get("amount")
        ),
    ),
    "confirm-payment": Operation(
        _("Obligation fulfilled"),
        frozenset({S.FINANCIAL}),
        lambda d, u, v: obligations.confirm_payment(d, actor=u, note=_note(v)),
    ),
    "apologise": Operation(
        _("Apologise and set a new appointment (Form 04)"),
        OPEN,
        lambda d, u, v: delays.apologise(
            d,
            actor=u,
            reason=v["reason"],
            new_due_at=v["new_due_at"],
            responsible_agency=v.get("responsible_agency"),
        ),
    ),
    "result-ready": Operation(
        _("Result ready"),
        PROCESSING,
        lambda d, u, v: results.mark_result_ready(d, actor=u, note=_note(v)),
    ),
    "refuse": Operation(
        _("Refuse after appraisal"),
        PROCESSING,
        lambda d, u, v: results.refuse_after_appraisal(d, actor=u, reasons=v["reason"]),
    ),
    "return": Operation(
        _("Return the result"),
        frozenset({S.RESOLVED}),
        lambda d, u, v: results.return_result(
            d,
            actor=u,
            method=v["method"],
            collected_by_name=v.get("collected_by_name") or "",
            collected_by_id_number=v.get("collected_by_id_number") or "",
        ),
    ),
    "withdraw": Operation(
        _("Withdraw at the applicant's request"),
        OPEN,
        lambda d, u, v: closing.withdraw(d, actor=u, reason=v["reason"]),
    ),
    "stop": Operation(
        _("Stop processing"), OPEN, lambda d, u, v: closing.stop(d, actor=u, reason=v["reason"])
    ),
}


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
    (expected or Expected()).check(lock(dossier), names_step=name in STEP_ACTIONS)
    return operation.run(dossier, actor, values)


def offered_operations(dossier: Dossier) -> list[str]:
    """Names of the operations that fit the dossier's status; the services decide who may."""
    return [name for name, op in OPERATIONS.items() if dossier.status in op.statuses]
