"""The day's waiting figures of a service point (back office): waiting now, tickets, served,
absent, average and 90th percentile wait and service, per service, counter, officer, hour."""

from datetime import date, datetime

from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.shortcuts import render
from django.utils import timezone

from . import figures
from .models import State, Ticket, TicketEvent
from .numbering import ZONE, local_day
from .permissions import get_point_for


def _day(request) -> date:
    try:
        return date.fromisoformat(request.GET.get("ngay", ""))
    except ValueError:
        return local_day(timezone.now())


def _rows(point, day: date) -> list[figures.Row]:
    events = (
        TicketEvent.objects.filter(point=point, ticket__day=day)
        .order_by("id")
        .values_list(
            "ticket_id", "action", "at", "service__prefix", "counter__counter__number",
            "actor__username",
        )
    )  # fmt: skip
    return [figures.Row(t, a, at, s, c, o or "") for t, a, at, s, c, o in events]


def _local_hour(moment: datetime) -> int:
    return moment.astimezone(ZONE).hour


@login_required
def day_figures(request, slug: str):
    point = get_point_for(request.user, slug)
    day = _day(request)
    visits = figures.visits(_rows(point, day), _local_hour)
    waiting = (
        Ticket.objects.filter(point=point, day=day, state=State.WAITING)
        .values("service__prefix", "service__name")
        .annotate(count=Count("id"))
        .order_by("service__prefix")
    )
    context = {
        "point": point,
        "day": day,
        "waiting": waiting,
        "total": figures.overall(visits),
        "tables": [
            ("service", figures.group(visits, lambda v: v.service)),
            ("counter", figures.group((v for v in visits if v.counter), lambda v: v.counter)),
            ("officer", figures.group((v for v in visits if v.officer), lambda v: v.officer)),
            ("hour", figures.group(visits, lambda v: f"{v.hour:02d}:00")),
        ],
    }
    return render(request, "queueing/figures.html", context)
