"""The processing actions a dossier page offers: which form, which service, when shown.

One registry, so a new action is one entry; every action calls one service of
motcua.dossiers, which checks the caller's role and agency and records the event."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _

from motcua.dossiers import (
    closing,
    consultations,
    delays,
    obligations,
    processing,
    results,
    supplements,
)
from motcua.dossiers.models import Dossier
from motcua.dossiers.status import Status

from . import action_forms as f


@dataclass(frozen=True)
class ActionSpec:
    label: Any
    form: type[f.NoteForm]
    statuses: frozenset[int]
    run: Callable[[Dossier, Any, dict], Any]
    style: str = "secondary"


S = Status
ACTIONS: dict[str, ActionSpec] = {
    "hand-over": ActionSpec(
        _("Hand over for processing"),
        f.NoteForm,
        frozenset({S.RECEIVED}),
        lambda d, u, c: processing.hand_over(d, actor=u, note=c["note"]),
        "primary",
    ),
    "assign": ActionSpec(
        _("Assign the current step"),
        f.AssignForm,
        frozenset({S.PROCESSING}),
        lambda d, u, c: processing.assign_step(d, actor=u, assignee=c["assignee"], note=c["note"]),
    ),
    "complete": ActionSpec(
        _("Complete the current step"),
        f.NoteForm,
        frozenset({S.PROCESSING}),
        lambda d, u, c: processing.complete_step(d, actor=u, note=c["note"]),
        "primary",
    ),
    "approve": ActionSpec(
        _("Approve and sign"),
        f.NoteForm,
        frozenset({S.PROCESSING}),
        lambda d, u, c: processing.approve(d, actor=u, note=c["note"]),
    ),
    "send-back": ActionSpec(
        _("Send back to an earlier step"),
        f.SendBackForm,
        frozenset({S.PROCESSING}),
        lambda d, u, c: processing.send_back(
            d, actor=u, to_order=c["to_order"], reason=c["reason"]
        ),
    ),
    "consult": ActionSpec(
        _("Ask another agency's opinion"),
        f.ConsultationForm,
        frozenset({S.PROCESSING}),
        lambda d, u, c: consultations.request_consultation(
            d,
            actor=u,
            to_agency=c["to_agency"],
            content=c["content"],
            deadline_days=c["deadline_days"],
        ),
    ),
    "request-supplement": ActionSpec(
        _("Request a supplement (once)"),
        f.SupplementForm,
        frozenset({S.PROCESSING}),
        lambda d, u, c: supplements.request_supplement(
            d, actor=u, reason=c["reason"], items=c["items"]
        ),
    ),
    "receive-supplement": ActionSpec(
        _("Supplement received"),
        f.NoteForm,
        frozenset({S.SUPPLEMENT}),
        lambda d, u, c: supplements.receive_supplement(d, actor=u, note=c["note"]),
        "primary",
    ),
    "require-payment": ActionSpec(
        _("Require a financial obligation"),
        f.PaymentForm,
        frozenset({S.PROCESSING}),
        lambda d, u, c: obligations.require_payment(
            d, actor=u, description=c["description"], amount=c["amount"]
        ),
    ),
    "confirm-payment": ActionSpec(
        _("Obligation fulfilled"),
        f.NoteForm,
        frozenset({S.FINANCIAL}),
        lambda d, u, c: obligations.confirm_payment(d, actor=u, note=c["note"]),
        "primary",
    ),
    "apologise": ActionSpec(
        _("Apologise and set a new appointment (Form 04)"),
        f.ApologyForm,
        frozenset({S.RECEIVED, S.PROCESSING, S.SUPPLEMENT, S.FINANCIAL}),
        lambda d, u, c: delays.apologise(
            d,
            actor=u,
            reason=c["reason"],
            new_due_at=c["new_due_at"],
            responsible_agency=c["responsible_agency"],
        ),
    ),
    "result-ready": ActionSpec(
        _("Result ready"),
        f.NoteForm,
        frozenset({S.PROCESSING}),
        lambda d, u, c: results.mark_result_ready(d, actor=u, note=c["note"]),
        "primary",
    ),
    "refuse": ActionSpec(
        _("Refuse after appraisal"),
        f.ReasonForm,
        frozenset({S.PROCESSING}),
        lambda d, u, c: results.refuse_after_appraisal(d, actor=u, reasons=c["reason"]),
    ),
    "return": ActionSpec(
        _("Return the result"),
        f.ReturnForm,
        frozenset({S.RESOLVED}),
        lambda d, u, c: results.return_result(
            d,
            actor=u,
            method=c["method"],
            collected_by_name=c["collected_by_name"],
            collected_by_id_number=c["collected_by_id_number"],
        ),
        "primary",
    ),
    "withdraw": ActionSpec(
        _("Withdraw at the applicant's request"),
        f.ReasonForm,
        frozenset({S.RECEIVED, S.PROCESSING, S.SUPPLEMENT, S.FINANCIAL}),
        lambda d, u, c: closing.withdraw(d, actor=u, reason=c["reason"]),
    ),
    "stop": ActionSpec(
        _("Stop processing"),
        f.ReasonForm,
        frozenset({S.RECEIVED, S.PROCESSING, S.SUPPLEMENT, S.FINANCIAL}),
        lambda d, u, c: closing.stop(d, actor=u, reason=c["reason"]),
    ),
}


def offered(dossier: Dossier) -> list[tuple[str, ActionSpec, f.NoteForm]]:
    """The actions that fit the dossier's status, each with an empty form. The services
    decide who may do them; a refusal comes back as a message on the page."""
    return [
        (name, spec, spec.form(dossier=dossier, prefix=name))
        for name, spec in ACTIONS.items()
        if dossier.status in spec.statuses
    ]
