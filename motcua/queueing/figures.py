"""Waiting and service times derived from the ticket events (pure: no ORM).

Wait: from the ticket's issue to its first call (a booked ticket checked in early counts from
its check-in). Service: from the start of service to its end (finished, or moved on by a
transfer or hold). The 90th percentile is the nearest-rank one: the smallest time that at
least 90 % of the tickets did not exceed, an observed time, never an interpolation.
"""

import math
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import NamedTuple


class Row(NamedTuple):
    ticket: int
    action: str
    at: datetime
    service: str
    counter: int | None
    officer: str
    point: str = ""  # the service point, when several are read at once (the month's figures)


@dataclass
class Visit:
    """One ticket's day, read from its events."""

    service: str
    hour: int
    point: str = ""
    issued_at: datetime | None = None
    called_at: datetime | None = None
    counter: int | None = None
    officer: str = ""
    started_at: datetime | None = None
    service_time: timedelta = timedelta(0)
    served: bool = False
    no_show: bool = False

    @property
    def wait(self) -> timedelta | None:
        if self.issued_at is None or self.called_at is None:
            return None
        return self.called_at - self.issued_at


def percentile(values: Sequence[float], share: float) -> float | None:
    """Nearest-rank percentile of `values` (share in (0, 1])."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, math.ceil(share * len(ordered)))
    return ordered[rank - 1]


@dataclass
class Stats:
    tickets: int = 0
    served: int = 0
    no_shows: int = 0
    waits: list[float] = field(default_factory=list)  # minutes
    services: list[float] = field(default_factory=list)

    @property
    def wait_mean(self) -> float | None:
        return sum(self.waits) / len(self.waits) if self.waits else None

    @property
    def wait_p90(self) -> float | None:
        return percentile(self.waits, 0.9)

    @property
    def service_mean(self) -> float | None:
        return sum(self.services) / len(self.services) if self.services else None

    @property
    def service_p90(self) -> float | None:
        return percentile(self.services, 0.9)

    def add(self, visit: Visit) -> None:
        self.tickets += 1
        self.served += visit.served
        self.no_shows += visit.no_show
        if visit.wait is not None:
            self.waits.append(visit.wait.total_seconds() / 60)
        if visit.served and visit.service_time:
            self.services.append(visit.service_time.total_seconds() / 60)


ENDS_SERVICE = {"finished", "transferred", "held"}


def visits(rows: Iterable[Row], local_hour: Callable[[datetime], int]) -> list[Visit]:
    """The tickets' days from their events, in the order of the events."""
    found: dict[int, Visit] = {}
    for row in rows:
        visit = found.get(row.ticket)
        if visit is None:
            visit = found[row.ticket] = Visit(
                service=row.service, hour=local_hour(row.at), point=row.point
            )
        _apply(visit, row)
    return list(found.values())


def _apply(visit: Visit, row: Row) -> None:
    if row.action == "issued":
        visit.issued_at = row.at
    elif row.action == "called" and visit.called_at is None:
        visit.called_at, visit.counter, visit.officer = row.at, row.counter, row.officer
    elif row.action == "started":
        visit.started_at = row.at
    elif row.action in ENDS_SERVICE and visit.started_at is not None:
        visit.service_time += row.at - visit.started_at
        visit.started_at = None
        visit.served = visit.served or row.action == "finished"
    elif row.action == "skipped":
        visit.no_show = True


def group(visits: Iterable[Visit], key: Callable[[Visit], object]) -> dict[object, Stats]:
    grouped: dict[object, Stats] = defaultdict(Stats)
    for visit in visits:
        grouped[key(visit)].add(visit)
    return dict(sorted(grouped.items(), key=lambda item: str(item[0])))


def overall(visits: Iterable[Visit]) -> Stats:
    total = Stats()
    for visit in visits:
        total.add(visit)
    return total
