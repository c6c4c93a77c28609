"""The counter's operations: take duty, call next, call again, start serving, hold and
bring back, transfer, no-show, finish. Each one transaction, each an event.

Call next takes the first waiting ticket of the counter's services (those transferred to this
counter first, then priority, then the time it joined the line) with SELECT ... FOR UPDATE
SKIP LOCKED on PostgreSQL: two counters calling at the same moment lock different rows, so
no ticket is called twice and none is passed over. On SQLite the IMMEDIATE transactions
(settings) serialise the writers. Never a file lock (The Q's serialised one host only).
"""

from datetime import datetime

from django.db import connection, transaction
from django.db.models import Case, IntegerField, Q, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.audit.services import record_event
from motcua.organisations import permissions
from motcua.organisations.roles import Capability

from . import events, near, numbering
from .errors import QueueError
from .models import Action, QueueCounter, QueueService, State, Ticket


def may_work_at(user, counter: QueueCounter) -> bool:
    """Receiving clerks of the point's agency (or above it) may take its counters."""
    return permissions.can(
        user, Capability.RECEIVE_DOSSIER, counter.point.reception_point.agency_id
    )


def _locked_counter(counter: QueueCounter, actor) -> QueueCounter:
    locked = QueueCounter.objects.select_for_update().select_related("counter").get(pk=counter.pk)
    if locked.officer_id != getattr(actor, "pk", None):
        raise QueueError(
            "not_on_duty", _("Take this counter before calling tickets at it."), status=409
        )
    return locked


@transaction.atomic
def take_duty(counter: QueueCounter, *, actor, at: datetime | None = None) -> QueueCounter:
    """The officer sits at the counter; whoever was on duty there leaves it, and the officer
    leaves any other counter."""
    if not may_work_at(actor, counter):
        raise QueueError("forbidden", _("You do not receive dossiers at this centre."), status=403)
    locked = QueueCounter.objects.select_for_update().get(pk=counter.pk)
    QueueCounter.objects.filter(officer=actor).exclude(pk=locked.pk).update(
        officer=None, on_duty_since=None
    )
    previous = locked.officer_id
    locked.officer = actor
    locked.on_duty_since = at or timezone.now()
    locked.save(update_fields=["officer", "on_duty_since"])
    record_event("queue_counter.duty_taken", locked, actor=actor, previous_officer=previous)
    return locked


@transaction.atomic
def leave_duty(counter: QueueCounter, *, actor) -> None:
    locked = _locked_counter(counter, actor)
    if current_ticket(locked) is not None:
        raise QueueError(
            "busy", _("Finish, hold or transfer the current ticket first."), status=409
        )
    locked.officer = None
    locked.on_duty_since = None
    locked.save(update_fields=["officer", "on_duty_since"])
    record_event("queue_counter.duty_left", locked, actor=actor)


def current_ticket(counter: QueueCounter) -> Ticket | None:
    return (
        Ticket.objects.filter(counter=counter, state__in=(State.CALLED, State.SERVING))
        .select_related("service")
        .order_by("-called_at")
        .first()
    )


def _waiting_line(counter: QueueCounter, day):
    directed = Case(
        When(target_counter=counter, then=Value(0)), default=Value(1), output_field=IntegerField()
    )
    return (
        Ticket.objects.filter(
            day=day,
            state=State.WAITING,
            service__in=counter.services.all(),
        )
        .filter(Q(target_counter__isnull=True) | Q(target_counter=counter))
        .annotate(directed=directed)
        .order_by("directed", "priority", "queued_at", "id")
    )


@transaction.atomic
def call_next(counter: QueueCounter, *, actor, at: datetime | None = None) -> Ticket | None:
    """Call the next ticket to this counter (None when nobody waits). A ticket being served
    here is finished first; a ticket called and not yet served must be served, held, moved
    or marked absent first."""
    at = at or timezone.now()
    counter = _locked_counter(counter, actor)
    current = current_ticket(counter)
    if current is not None and current.state == State.CALLED:
        raise QueueError(
            "still_called",
            _("Ticket %(code)s was called: serve it, call it again or mark it absent first.")
            % {"code": current.display_code},
            status=409,
        )
    if current is not None:
        _finish(current, actor=actor, at=at)
    line = _waiting_line(counter, numbering.local_day(at))
    if connection.features.has_select_for_update_skip_locked:
        line = line.select_for_update(skip_locked=True, of=("self",))
    ticket = line.first()
    if ticket is None:
        return None
    ticket.state = State.CALLED
    ticket.counter = counter
    ticket.officer = actor
    ticket.called_at = at
    ticket.calls = 1
    ticket.target_counter = None
    ticket.save(
        update_fields=["state", "counter", "officer", "called_at", "calls", "target_counter"]
    )
    events.record(ticket, Action.CALLED, actor=actor, at=at, counter=counter.number)
    near.after_call(ticket, at=at)
    return ticket


def _ticket_at(counter: QueueCounter, pk: int, states: tuple[str, ...]) -> Ticket:
    ticket = Ticket.objects.select_for_update().filter(pk=pk, counter=counter).first()
    if ticket is None or ticket.state not in states:
        raise QueueError(
            "ticket_moved", _("This ticket is no longer at your counter in that state."), status=409
        )
    return ticket


@transaction.atomic
def recall(counter: QueueCounter, ticket_id: int, *, actor, at: datetime | None = None) -> Ticket:
    """Call the same ticket again (the board announces it again)."""
    at = at or timezone.now()
    counter = _locked_counter(counter, actor)
    ticket = _ticket_at(counter, ticket_id, (State.CALLED,))
    ticket.calls += 1
    ticket.save(update_fields=["calls"])
    events.record(ticket, Action.RECALLED, actor=actor, at=at, counter=counter.number)
    return ticket


@transaction.atomic
def start_serving(
    counter: QueueCounter, ticket_id: int, *, actor, at: datetime | None = None
) -> Ticket:
    """The applicant came to the counter: the service starts (wait time ends here)."""
    at = at or timezone.now()
    counter = _locked_counter(counter, actor)
    ticket = _ticket_at(counter, ticket_id, (State.CALLED, State.SERVING))
    if ticket.state == State.SERVING:
        return ticket  # a second press changes nothing
    ticket.state = State.SERVING
    ticket.serving_at = at
    ticket.save(update_fields=["state", "serving_at"])
    events.record(ticket, Action.STARTED, actor=actor, at=at)
    return ticket


@transaction.atomic
def skip(counter: QueueCounter, ticket_id: int, *, actor, at: datetime | None = None) -> Ticket:
    """Called and did not come: the ticket is closed as absent."""
    at = at or timezone.now()
    counter = _locked_counter(counter, actor)
    ticket = _ticket_at(counter, ticket_id, (State.CALLED,))
    ticket.state = State.NO_SHOW
    ticket.finished_at = at
    ticket.save(update_fields=["state", "finished_at"])
    events.record(ticket, Action.SKIPPED, actor=actor, at=at, calls=ticket.calls)
    return ticket


@transaction.atomic
def hold(counter: QueueCounter, ticket_id: int, *, actor, at: datetime | None = None) -> Ticket:
    """The applicant steps aside (to fetch a paper, to pay): the counter is free for the next
    ticket and this one comes back to this counter when resumed."""
    at = at or timezone.now()
    counter = _locked_counter(counter, actor)
    ticket = _ticket_at(counter, ticket_id, (State.CALLED, State.SERVING))
    ticket.state = State.HOLD
    ticket.save(update_fields=["state"])
    events.record(ticket, Action.HELD, actor=actor, at=at)
    return ticket


@transaction.atomic
def resume(counter: QueueCounter, ticket_id: int, *, actor, at: datetime | None = None) -> Ticket:
    """Back in the line, first for this counter, at the place it had."""
    at = at or timezone.now()
    counter = _locked_counter(counter, actor)
    ticket = _ticket_at(counter, ticket_id, (State.HOLD,))
    ticket.state = State.WAITING
    ticket.target_counter = counter
    ticket.save(update_fields=["state", "target_counter"])
    events.record(ticket, Action.RESUMED, actor=actor, at=at)
    return ticket


@transaction.atomic
def transfer(
    counter: QueueCounter,
    ticket_id: int,
    *,
    actor,
    service: QueueService | None = None,
    to_counter: QueueCounter | None = None,
    at: datetime | None = None,
) -> Ticket:
    """Send the applicant to another service or counter of the same point, keeping the place
    in the line the ticket had (it is not sent to the back)."""
    at = at or timezone.now()
    counter = _locked_counter(counter, actor)
    ticket = _ticket_at(counter, ticket_id, (State.CALLED, State.SERVING, State.HOLD))
    target_service = _transfer_service(ticket, service, to_counter)
    origin = {"from_service": ticket.service.prefix, "from_counter": counter.number}
    ticket.state = State.WAITING
    ticket.service = target_service
    ticket.target_counter = to_counter
    ticket.counter = None
    ticket.save(update_fields=["state", "service", "target_counter", "counter"])
    to = to_counter.number if to_counter else None
    events.record(
        ticket, Action.TRANSFERRED, actor=actor, at=at, to_service=target_service.prefix,
        to_counter=to, **origin,
    )  # fmt: skip
    return ticket


def _transfer_service(
    ticket: Ticket, service: QueueService | None, to_counter: QueueCounter | None
) -> QueueService:
    target = service or ticket.service
    if target.point_id != ticket.point_id or (
        to_counter and to_counter.point_id != ticket.point_id
    ):
        raise QueueError("other_point", _("Transfer within the same centre only."))
    if to_counter is not None and not to_counter.services.filter(pk=target.pk).exists():
        raise QueueError(
            "counter_lacks_service",
            _("That counter does not serve %(service)s.") % {"service": target.name},
        )
    if service is None and to_counter is None:
        raise QueueError("no_target", _("Choose a service or a counter."))
    return target


def _finish(ticket: Ticket, *, actor, at: datetime) -> Ticket:
    ticket.state = State.DONE
    ticket.finished_at = at
    ticket.save(update_fields=["state", "finished_at"])
    events.record(ticket, Action.FINISHED, actor=actor, at=at)
    return ticket


@transaction.atomic
def finish(counter: QueueCounter, ticket_id: int, *, actor, at: datetime | None = None) -> Ticket:
    counter = _locked_counter(counter, actor)
    ticket = _ticket_at(counter, ticket_id, (State.SERVING,))
    return _finish(ticket, actor=actor, at=at or timezone.now())
