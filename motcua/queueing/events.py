"""Every change of a ticket is a TicketEvent, written by the service that made it, in its
transaction. The events are the ticket's history, the boards' feed and the source of the
waiting and service times (figures.py)."""

from datetime import datetime
from typing import Any

from .models import Action, Ticket, TicketEvent


def record(ticket: Ticket, action: Action, *, actor, at: datetime, **data: Any) -> TicketEvent:
    return TicketEvent.objects.create(
        point_id=ticket.point_id,
        ticket=ticket,
        action=action,
        state=ticket.state,
        service_id=ticket.service_id,
        counter_id=ticket.counter_id,
        actor=actor if getattr(actor, "pk", None) else None,
        at=at,
        data=data,
    )
