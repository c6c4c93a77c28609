"""Which form each processing operation of motcua.dossiers.operations uses on the dossier
page, and how prominent its button is. The operation itself (service, statuses, who may) is
defined once in the domain (operations.py, policy.py) and shared with the JSON API."""

from motcua.dossiers import policy
from motcua.dossiers.models import Dossier
from motcua.dossiers.operations import OPERATIONS, Operation

from . import action_forms as f

FORMS: dict[str, type[f.NoteForm]] = {
    "receive": f.ReceiveForm,
    "guide-supplement": f.GuideSupplementForm,
    "refuse-at-reception": f.ReasonForm,
    "hand-over": f.NoteForm,
    "assign": f.AssignForm,
    "complete": f.NoteForm,
    "approve": f.NoteForm,
    "send-back": f.SendBackForm,
    "consult": f.ConsultationForm,
    "answer-consultation": f.AnswerForm,
    "request-supplement": f.SupplementForm,
    "receive-supplement": f.NoteForm,
    "require-payment": f.PaymentForm,
    "confirm-payment": f.NoteForm,
    "apologise": f.ApologyForm,
    "result-ready": f.NoteForm,
    "refuse": f.ReasonForm,
    "return": f.ReturnForm,
    "withdraw": f.ReasonForm,
    "stop": f.ReasonForm,
}
PRIMARY = {
    "receive",
    "hand-over",
    "complete",
    "receive-supplement",
    "confirm-payment",
    "result-ready",
    "return",
}


def offered(
    dossier: Dossier,
    available: set[policy.Operation],
    bound: dict[str, f.NoteForm] | None = None,
) -> list[tuple[str, Operation, f.NoteForm, bool]]:
    """(name, operation, form, primary?) for the operations the user may perform now
    (`available`, policy.available_operations): an empty form, or the one in `bound` (what
    the user typed for an action that was refused, shown even if it is not available, so
    that the input is not lost)."""
    bound = bound or {}
    return [
        (
            name,
            OPERATIONS[name],
            bound.get(name) or FORMS[name](dossier=dossier, prefix=name),
            name in PRIMARY,
        )
        for name in OPERATIONS
        if policy.Operation(name) in available or name in bound
    ]
