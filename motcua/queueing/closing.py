"""The end of a day: tickets still open when their local day is over are closed, so that a
day's records and figures say what happened (waiting or called and never served: did not
come; being served: served). Run hourly by the worker (tasks.py); each an event."""

from django.db import transaction
from django.utils import timezone

from . import events
from .models import OPEN_STATES, Action, State, Ticket
from .numbering import local_day

BATCH = 500


def close_past_days() -> int:
    """Close the open tickets of the days before today; returns how many."""
    today = local_day(timezone.now())
    closed = 0
    while True:
        with transaction.atomic():
            batch = list(
                Ticket.objects.select_for_update(skip_locked=True)
                .filter(day__lt=today, state__in=OPEN_STATES)
                .order_by("id")[:BATCH]
            )
            for ticket in batch:
                _close(ticket)
        closed += len(batch)
        if len(batch) < BATCH:
            return closed


def _close(ticket: Ticket) -> None:
    now = timezone.now()
    served = ticket.state == State.SERVING
    ticket.state = State.DONE if served else State.NO_SHOW
    ticket.finished_at = now
    ticket.save(update_fields=["state", "finished_at"])
    action = Action.FINISHED if served else Action.SKIPPED
    events.record(ticket, action, actor=None, at=now, end_of_day=True)
