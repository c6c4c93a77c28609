"""What a board shows and says: now serving per counter, the recent calls, the waiting per
service, the results ready for pickup (names masked); and the feed of calls after the last
event the board saw, so that a board that lost its connection resumes without missing or
repeating a call (The Q #633)."""

from dataclasses import dataclass

from django.db.models import Count, Q
from django.utils import timezone

from motcua.dossiers.models import Dossier
from motcua.dossiers.status import Status
from motcua.dossiers.tracking import mask_name

from .models import Action, QueueCounter, ServicePoint, State, Ticket, TicketEvent
from .numbering import local_day

CALLS = (Action.CALLED, Action.RECALLED)
RECENT = 8
READY = 30
FEED = 20  # at most this many calls at once to a board that comes back


@dataclass(frozen=True)
class Call:
    event: int
    code: str
    counter: int


def last_event_id(point_id: int) -> int:
    """One indexed read: the board's "anything new?" costs nothing more."""
    return (
        TicketEvent.objects.filter(point_id=point_id)
        .order_by("-id")
        .values_list("id", flat=True)
        .first()
        or 0
    )


def calls_after(point: ServicePoint, after: int) -> list[Call]:
    """The calls since event `after`, oldest first (the order they are spoken in)."""
    rows = (
        TicketEvent.objects.filter(point=point, id__gt=after, action__in=CALLS)
        .order_by("id")
        .values_list("id", "ticket__display_code", "counter__counter__number")[:FEED]
    )
    return [Call(i, code, number) for i, code, number in rows if number is not None]


def snapshot(point: ServicePoint) -> dict:
    day = local_day(timezone.now())
    counters = QueueCounter.objects.filter(point=point).select_related("counter")
    at_counter = {
        t.counter_id: t
        for t in Ticket.objects.filter(
            point=point, day=day, state__in=(State.CALLED, State.SERVING)
        ).only("counter_id", "display_code", "state")
    }
    recent = (
        TicketEvent.objects.filter(point=point, action__in=CALLS, ticket__day=day)
        .order_by("-id")
        .values_list("ticket__display_code", "counter__counter__number")[:RECENT]
    )
    waiting = (
        Ticket.objects.filter(point=point, day=day, state=State.WAITING)
        .values("service__prefix", "service__name")
        .annotate(count=Count("id"))
        .order_by("service__prefix")
    )
    return {
        "counters": [
            {
                "number": c.counter.number,
                "name": str(c.counter),
                "ticket": _code(at_counter.get(c.pk)),
            }
            for c in counters
        ],
        "recent": [{"code": code, "counter": number} for code, number in recent],
        "waiting": [
            {"prefix": w["service__prefix"], "name": w["service__name"], "count": w["count"]}
            for w in waiting
        ],
    }


def _code(ticket: Ticket | None) -> str:
    return ticket.display_code if ticket else ""


def ready_for_pickup(point: ServicePoint) -> list[dict]:
    """Dossiers received at this point (or its agency's counters) whose result is ready."""
    rp = point.reception_point
    rows = (
        Dossier.objects.filter(status=Status.RESOLVED)
        .filter(
            Q(reception_point=rp)
            | Q(reception_point__isnull=True, receiving_agency_id=rp.agency_id)
        )
        .order_by("-finished_at")
        .values_list("code", "applicant_name")[:READY]
    )
    return [{"code": code, "name": mask_name(name)} for code, name in rows]
