"""The queue's figures of a month, for the monthly statistics: tickets, served, did not come,
average and 90th percentile wait and service per service point, service, counter and officer,
over the service points a reader may see.

Read from the ticket events of the month's tickets in one query (the officers' names in a
second), then computed in Python by `figures` (the same definitions as the day's page: wait
from issue or check-in to the first call, service from start to end, holds excluded,
nearest-rank 90th percentile). The month is the tickets' local day of issue.
"""

import calendar
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from io import BytesIO

from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _

from motcua.spreadsheets import write_only_cells

from . import figures
from .models import ServicePoint, TicketEvent
from .numbering import ZONE

KINDS = ("point", "service", "counter", "officer")


@dataclass(frozen=True)
class Line:
    point: str
    label: str
    stats: figures.Stats


@dataclass(frozen=True)
class Month:
    first: date
    last: date
    points: list[ServicePoint]
    total: figures.Stats
    tables: list[tuple[str, list[Line]]]  # (kind, lines), kinds in KINDS' order

    @property
    def several(self) -> bool:
        """Whether the page names the point on each line (the Excel always does)."""
        return len(self.points) > 1


def bounds(month: date) -> tuple[date, date]:
    """The first and last day of the month of `month`."""
    days = calendar.monthrange(month.year, month.month)[1]
    return month.replace(day=1), month.replace(day=days)


def point_labels(points: list[ServicePoint]) -> dict[int, str]:
    """Each point by its reception point's name, with the agency's name where two points have
    the same name (several agencies call theirs "Bộ phận một cửa")."""
    names = [point.reception_point.name for point in points]
    return {
        point.pk: (
            f"{point.reception_point.name} · {point.reception_point.agency.name}"
            if names.count(point.reception_point.name) > 1
            else point.reception_point.name
        )
        for point in points
    }


def _names(ids: Iterable[int]) -> dict[int, str]:
    users = get_user_model().objects.filter(pk__in=set(ids))
    names = {}
    for pk, username, first, last in users.values_list("pk", "username", "first_name", "last_name"):
        full = f"{first} {last}".strip()
        names[pk] = f"{full} ({username})" if full and full != username else username
    return names


def rows(points: list[ServicePoint], first: date, last: date) -> list[figures.Row]:
    """The events of the tickets issued at `points` from `first` to `last`, in order."""
    labels = point_labels(points)
    events = list(
        TicketEvent.objects.filter(
            point_id__in=labels, ticket__day__gte=first, ticket__day__lte=last
        )
        .order_by("id")
        .values_list(
            "ticket_id", "action", "at", "service__prefix", "service__name",
            "counter__counter__number", "actor_id", "point_id",
        )
    )  # fmt: skip
    names = _names(event[6] for event in events if event[6] is not None)
    return [
        figures.Row(
            ticket, action, at, f"{prefix} · {name}", counter,
            names.get(actor, "") if actor is not None else "", labels[point],
        )
        for ticket, action, at, prefix, name, counter, actor, point in events
    ]  # fmt: skip


def _local_hour(moment: datetime) -> int:
    return moment.astimezone(ZONE).hour


def _lines(visits: Iterable[figures.Visit], label: Callable[[figures.Visit], object]) -> list[Line]:
    grouped: dict[tuple[str, object], figures.Stats] = defaultdict(figures.Stats)
    for visit in visits:
        grouped[(visit.point, label(visit))].add(visit)
    ordered = sorted(grouped.items(), key=lambda item: (item[0][0], _sortable(item[0][1])))
    return [Line(point, _shown(key), stats) for (point, key), stats in ordered]


def _sortable(key: object) -> tuple[int, str]:
    return (key, "") if isinstance(key, int) else (0, str(key))


def _shown(key: object) -> str:
    if isinstance(key, int):
        return _("Counter %(number)s") % {"number": key}
    return str(key)


def build(points: list[ServicePoint], month: date) -> Month:
    first, last = bounds(month)
    visits = figures.visits(rows(points, first, last), _local_hour)
    tables = [
        ("point", _lines(visits, lambda v: "")),
        ("service", _lines(visits, lambda v: v.service)),
        ("counter", _lines((v for v in visits if v.counter is not None), lambda v: v.counter)),
        ("officer", _lines((v for v in visits if v.officer), lambda v: v.officer)),
    ]
    return Month(first, last, points, figures.overall(visits), tables)


def _heading(kind: str) -> str:
    return {
        "point": _("Service point"),
        "service": _("Service"),
        "counter": _("Counter"),
        "officer": _("Officer"),
    }[kind]


def _minutes(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def _figures(stats: figures.Stats) -> list[object]:
    return [
        stats.tickets,
        stats.served,
        stats.no_shows,
        _minutes(stats.wait_mean),
        _minutes(stats.wait_p90),
        _minutes(stats.service_mean),
        _minutes(stats.service_p90),
    ]


def workbook(month: Month) -> bytes:
    """The month's figures as an Excel workbook, a sheet per breakdown; every text (names
    typed by administrators) through spreadsheets.write_only_cells: never a formula."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    title = _("Queue waiting times, %(month)s") % {"month": month.first.strftime("%m/%Y")}
    columns = [
        _("Tickets"),
        _("Served"),
        _("Did not come"),
        _("Average wait (minutes)"),
        _("Wait, 90th percentile (minutes)"),
        _("Average service (minutes)"),
        _("Service, 90th percentile (minutes)"),
    ]
    scope = "; ".join(point_labels(month.points).values())
    for kind, lines in month.tables:
        sheet = book.create_sheet(_heading(kind))
        sheet.append(write_only_cells(sheet, [title]))
        sheet.append(write_only_cells(sheet, [_("Service points"), scope]))
        sheet.append([])
        first = [_("Service point")] if kind != "point" else []
        sheet.append(write_only_cells(sheet, [*first, _heading(kind), *columns]))
        for line in lines:
            label = [line.point] if kind == "point" else [line.point, line.label]
            sheet.append(write_only_cells(sheet, [*label, *_figures(line.stats)]))
        blank = [""] if kind != "point" else []
        sheet.append(write_only_cells(sheet, [_("Total"), *blank, *_figures(month.total)]))
    out = BytesIO()
    book.save(out)
    return out.getvalue()
