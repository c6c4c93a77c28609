"""Which form each processing operation of motcua.dossiers.operations uses on the dossier
page, and how prominent its button is. The operation itself (service, statuses) is defined
once in the domain and shared with the JSON API."""

from motcua.dossiers.models import Dossier
from motcua.dossiers.operations import OPERATIONS, Operation, offered_operations

from . import action_forms as f

FORMS: dict[str, type[f.NoteForm]] = {
    "hand-over": f.NoteForm,
    "assign": f.AssignForm,
    "complete": f.NoteForm,
    "approve": f.NoteForm,
    "send-back": f.SendBackForm,
    "consult": f.ConsultationForm,
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
    "hand-over",
    "complete",
    "receive-supplement",
    "confirm-payment",
    "result-ready",
    "return",
}


def offered(
    dossier: Dossier, bound: dict[str, f.NoteForm] | None = None
) -> list[tuple[str, Operation, f.NoteForm, bool]]:
    """(name, operation, form, primary?) for the operations that fit the status: an empty
    form, or the one in `bound` (what the user typed for an action that was refused)."""
    bound = bound or {}
    return [
        (
            name,
            OPERATIONS[name],
            bound.get(name) or FORMS[name](dossier=dossier, prefix=name),
            name in PRIMARY,
        )
        for name in offered_operations(dossier)
    ]
