"""The dossier remembers its ticket: when the officer serving a ticket records a dossier at
the counter (received, guided to supplement, refused, or an online dossier received), the
ticket takes that dossier; when they return a result, the pickup ticket takes it.

A lifecycle subscriber (dossiers.lifecycle.subscribe), in the event's transaction: the
dossiers app knows nothing of tickets, and the intake needed no change."""

from collections.abc import Sequence
from typing import Any

from motcua.dossiers.models import Dossier, DossierEvent
from motcua.dossiers.status import Action as DossierAction

from . import events
from .models import Action, State, Ticket

AT_THE_COUNTER = frozenset(
    {
        DossierAction.RECEIVE,
        DossierAction.REQUEST_SUPPLEMENT_AT_RECEPTION,
        DossierAction.REFUSE_AT_RECEPTION,
        DossierAction.RECEIVE_SUPPLEMENT,
        DossierAction.RETURN_RESULT,
    }
)


def on_event(dossier: Dossier, event: DossierEvent) -> None:
    if event.action not in AT_THE_COUNTER or event.actor_id is None:
        return
    ticket = (
        Ticket.objects.select_for_update()
        .filter(officer_id=event.actor_id, state=State.SERVING, dossier__isnull=True)
        .order_by("-serving_at")
        .first()
    )
    if ticket is None:
        return
    ticket.dossier = dossier
    ticket.save(update_fields=["dossier"])
    events.record(
        ticket, Action.DOSSIER_LINKED, actor=event.actor, at=event.created_at,
        dossier=dossier.pk, dossier_action=event.action,
    )  # fmt: skip


def on_batch(rows: Sequence[dict[str, Any]]) -> None:
    """Imported history is served by no ticket: nothing to do for a batch (and saying so keeps
    the import set-based)."""
    return None
