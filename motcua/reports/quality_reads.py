"""Reading the quality facts (quality_facts.Facts) from the running tallies
(quality_tallies.py, decision 0015): for a period, the points dated within it (whole months
from the month tables, the rest by day, like tally_reads.flows), the online dossiers received
in it that are late at its end (one two-sided range over `OnlineLate`), and the officers'
dossiers (their points in the period less the links with both ends in it). A handful of
grouped sums whatever the years of history; reads only."""

from collections import Counter
from datetime import date

from django.db import connection

from . import quality_points as qp
from .models import OfficerDay, OfficerLink, OfficerMonth, OnlineLate, QualityDay, QualityMonth
from .quality_facts import Facts
from .scope import Period, Scope, month_start, next_month
from .tally_reads import _Where, q

KEY = ("receiving", "competent", "department", "procedure")


def _rows(sql: str, params: list) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _sum(model, period: str, first: date, before: date, columns, group, where, extra=""):
    """[(group values..., sums...)] over rows with first <= period < before."""
    if first >= before:
        return []
    table = q(model._meta.db_table)
    groups = ", ".join(q(g) for g in group)
    sums = ", ".join(f"SUM({q(c)})" for c in columns)
    sql = (
        f"SELECT {groups}, {sums} FROM {table} "
        f"WHERE {q(period)} >= %s AND {q(period)} < %s{extra}{where.clause()} "
        f"GROUP BY {groups}"
    )
    return _rows(sql, [first, before, *where.params])


def _flows(day_model, month_model, period: Period, columns, group, where) -> list[tuple]:
    """Points dated in the period: whole months from the month table, the rest by day."""
    first, before = period.first, period.after
    inner_first = first if first.day == 1 else next_month(first)
    inner_before = month_start(before)
    if inner_first >= inner_before:
        return _sum(day_model, "day", first, before, columns, group, where)
    return [
        *_sum(day_model, "day", first, inner_first, columns, group, where),
        *_sum(month_model, "month", inner_first, inner_before, columns, group, where),
        *_sum(day_model, "day", inner_before, before, columns, group, where),
    ]


def _add(into: dict, rows: list[tuple], width: int, columns) -> None:
    for row in rows:
        bucket = into.setdefault(tuple(row[:width]), Counter())
        for name, value in zip(columns, row[width:], strict=True):
            if value:
                bucket[name] += int(value)


def facts(period: Period, scope: Scope) -> Facts:
    """The quality facts of `period` and `scope` from the tallies."""
    where = _Where(scope)
    keys: dict = {}
    _add(
        keys,
        _flows(QualityDay, QualityMonth, period, qp.KEY_COLUMNS, KEY, where),
        4,
        qp.KEY_COLUMNS,
    )
    late = _late(period, where)
    _add(keys, late, 4, ("late_online",))
    officers, agencies = _officers(period, where)
    # Counters compare with missing names as zero: no need to copy them without their zeros.
    return Facts(
        {k: v for k, v in keys.items() if any(v.values())},
        {k: v for k, v in officers.items() if any(v.values())},
        agencies,
    )


def _late(period: Period, where) -> list[tuple]:
    table = q(OnlineLate._meta.db_table)
    groups = ", ".join(q(g) for g in KEY)
    sql = (
        f"SELECT {groups}, SUM({q('n')}) FROM {table} "
        f"WHERE {q('received')} >= %s AND {q('received')} < %s AND {q('late_from')} <= %s"
        f"{where.clause()} GROUP BY {groups}"
    )
    return _rows(sql, [period.first, period.after, period.last, *where.params])


def _officers(period: Period, where) -> tuple[dict[int, Counter], dict[int, set[int]]]:
    columns = qp.OFFICER_COLUMNS
    per_agency: dict = {}
    rows = _flows(OfficerDay, OfficerMonth, period, columns, ("user", "agency"), where)
    _add(per_agency, rows, 2, columns)
    officers: dict[int, Counter] = {}
    agencies: dict[int, set[int]] = {}
    for (user, agency), counts in per_agency.items():
        officers.setdefault(user, Counter()).update(counts)
        if counts.get("steps"):
            agencies.setdefault(user, set()).add(agency)
    links: dict = {}
    _add(links, _links(period, where), 1, qp.LINK_COLUMNS)
    for (user,), counts in links.items():
        officers.setdefault(user, Counter()).subtract(counts)
    for counts in officers.values():
        counts.pop("steps", None)
    return officers, agencies


def _links(period: Period, where) -> list[tuple]:
    table = q(OfficerLink._meta.db_table)
    sums = ", ".join(f"SUM({q(c)})" for c in qp.LINK_COLUMNS)
    sql = (
        f"SELECT {q('user')}, {sums} FROM {table} "
        f"WHERE {q('start')} >= %s AND {q('end')} <= %s{where.clause()} GROUP BY {q('user')}"
    )
    return _rows(sql, [period.first, period.last, *where.params])


def digitised_by_agency(period: Period, agency_ids: set[int]) -> dict[int, tuple[int, int]]:
    """(digitised, received) per receiving agency in the period: QĐ 766 4.2 unit by unit
    (supervision's units under 50 % digitised), from the same tallies as the figure."""
    where = _Where(Scope())
    rows = _flows(
        QualityDay, QualityMonth, period, ("digitised", "received"), ("receiving",), where
    )
    counted: dict[int, tuple[int, int]] = {}
    for agency, digitised, received in rows:
        if agency in agency_ids and received:
            before = counted.get(agency, (0, 0))
            counted[agency] = (before[0] + int(digitised or 0), before[1] + int(received))
    return counted


def received_by_agency(period: Period, agency_ids: set[int]) -> dict[int, int]:
    """Dossiers received in the period per receiving agency (supervision's low volume)."""
    where = _Where(Scope())
    rows = _flows(QualityDay, QualityMonth, period, ("received",), ("receiving",), where)
    counted: dict[int, int] = {}
    for agency, received in rows:
        if agency in agency_ids and received:
            counted[agency] = counted.get(agency, 0) + int(received)
    return counted
