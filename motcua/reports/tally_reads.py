"""Reading Biểu 06 from the running tallies (tallies.py): for a period, the points dated
within it (whole months from the month tally, the rest from the day tally) and the states at
its two ends (the last snapshot on or before each end plus the points since). A quarter is a
handful of queries over a few thousand rows, whatever the years of history."""

from collections import Counter
from datetime import date

from django.db import connection

from motcua.organisations.models import Agency

from . import facts as fx
from . import figures as f
from .models import DayTally, MonthStock, MonthTally
from .scope import GroupBy, Period, Scope, kinds_of, level_of, month_start, next_month
from .tallies import STOCK_FROM_FLOWS, materialised, q


class _Where:
    """The scope as SQL on the key columns."""

    def __init__(self, scope: Scope):
        self.sql, self.params = [], []
        if scope.agency_ids is not None:
            ids = sorted(scope.agency_ids) or [0]
            marks = ", ".join(["%s"] * len(ids))
            self.sql.append(f"({q('receiving')} IN ({marks}) OR {q('competent')} IN ({marks}))")
            self.params += ids + ids
        if scope.department_id is not None:
            self._equal("department", scope.department_id)
        if scope.procedure_id is not None:
            self._equal("procedure", scope.procedure_id)
        if scope.field_id is not None:
            from motcua.catalogue.models import Procedure

            ids = Procedure.objects.filter(field_id=scope.field_id).values_list("pk", flat=True)
            self._within("procedure", list(ids))
        if scope.level:
            ids = Agency.objects.filter(kind__in=kinds_of(scope.level)).values_list("pk", flat=True)
            self._within("competent", list(ids))

    def _equal(self, column: str, value: int) -> None:
        self.sql.append(f"{q(column)} = %s")
        self.params.append(value)

    def _within(self, column: str, ids: list[int]) -> None:
        ids = ids or [0]
        self.sql.append(f"{q(column)} IN ({', '.join(['%s'] * len(ids))})")
        self.params += ids

    def clause(self) -> str:
        return "".join(f" AND {part}" for part in self.sql)


GROUP_COLUMN = {
    GroupBy.AGENCY: "competent",
    GroupBy.RECEIVING_AGENCY: "receiving",
    GroupBy.DEPARTMENT: "department",
    GroupBy.PROCEDURE: "procedure",
    GroupBy.FIELD: "procedure",  # then mapped to the procedure's field
    GroupBy.LEVEL: "competent",  # then mapped to the agency's level
}


def _sum(model, period: str, first: date, before: date, expressions: dict, group, where):
    """{group value: {name: sum}} over rows with first <= period < before."""
    if first >= before:
        return {}
    table = q(model._meta.db_table)
    column = q(group) if group else "NULL"
    sums = ", ".join(f"SUM({sql})" for sql in expressions.values())
    sql = (
        f"SELECT {column}, {sums} FROM {table} "
        f"WHERE {q(period)} >= %s AND {q(period)} < %s{where.clause()}"
        + (f" GROUP BY {column}" if group else "")
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [first, before, *where.params])
        rows = cursor.fetchall()
    names = list(expressions)
    return {
        row[0]: {name: int(value or 0) for name, value in zip(names, row[1:], strict=True)}
        for row in rows
    }


def _add(total: dict, part: dict) -> None:
    for group, values in part.items():
        bucket = total.setdefault(group, Counter())
        bucket.update(values)


FLOWS = {c: q(c) for c in fx.COLUMNS}
STOCK_COLUMNS = {s: q(s) for s in fx.STOCKS}


def flows(first: date, before: date, group, where) -> dict:
    """Points dated in [first, before): whole months from the month tally, the rest by day."""
    result: dict = {}
    inner_first = first if first.day == 1 else next_month(first)
    inner_before = month_start(before)
    if inner_first >= inner_before:
        _add(result, _sum(DayTally, "day", first, before, FLOWS, group, where))
        return result
    _add(result, _sum(DayTally, "day", first, inner_first, FLOWS, group, where))
    _add(result, _sum(MonthTally, "month", inner_first, inner_before, FLOWS, group, where))
    _add(result, _sum(DayTally, "day", inner_before, before, FLOWS, group, where))
    return result


def stocks_at(day: date, group, where, months: list[date]) -> dict:
    """Open / overdue / waiting at the start of `day`: the last snapshot on or before it,
    plus the points between."""
    start = month_start(day)
    base = max((m for m in months if m <= start), default=None)
    result: dict = {}
    if base is not None:
        _add(result, _sum(MonthStock, "month", base, next_month(base), STOCK_COLUMNS, group, where))
    from_flows = {s: STOCK_FROM_FLOWS[s] for s in fx.STOCKS}
    _add(result, _sum(MonthTally, "month", base or date.min, start, from_flows, group, where))
    _add(result, _sum(DayTally, "day", start, day, from_flows, group, where))
    return result


def counts(period: Period, scope: Scope, group_by: str = "") -> dict[object, dict[str, int]]:
    """The same answer as naive.counts, from the tallies. Reads only: the snapshots made so
    far are used, whatever month they reach (tallies.ensure_months is the worker's)."""
    months, where = materialised(), _Where(scope)
    if group_by == GroupBy.MONTH:
        return {part.first: _counts(part, where, "", months)[None] for part in period.months()}
    return _counts(period, where, group_by, months)


def _counts(period: Period, where: "_Where", group_by: str, months: list[date]) -> dict:
    group = GROUP_COLUMN.get(group_by)
    moved = flows(period.first, period.after, group, where)
    start = stocks_at(period.first, group, where, months)
    end = stocks_at(period.after, group, where, months)
    result = {}
    keys = set(moved) | set(start) | set(end)
    mapping = _mapping(group_by, keys)
    for key in keys:
        values = _figures(moved.get(key, {}), start.get(key, {}), end.get(key, {}))
        _merge(result, mapping.get(key), values)
    if not group_by:
        return {None: f.complete(result.get(None, {}))}
    completed = {key: f.complete(values) for key, values in result.items()}
    return {key: values for key, values in completed.items() if any(values.values())}


def _figures(moved: dict, start: dict, end: dict) -> dict[str, int]:
    get = moved.get
    return {
        f.CARRIED_OVER: start.get(fx.OPEN, 0),
        f.RECEIVED_ONLINE: get("recv_online", 0),
        f.RECEIVED_IN_PERSON: get("recv_other", 0),
        f.RECEIVED_BY_POST: get("recv_post", 0),
        f.EARLY: get("early", 0),
        f.ON_TIME: sum(get(name, 0) for name in ("on_time", "withdrawn", "stopped", "refused")),
        f.LATE: get("late", 0),
        f.IN_PROGRESS: end.get(fx.OPEN, 0),
        f.OVERDUE: end.get(fx.OVERDUE, 0),
        f.WAITING_SUPPLEMENT: end.get(fx.WAITING, 0),
        f.WITHDRAWN: get("withdrawn", 0),
        f.STOPPED: get("stopped", 0),
        f.REFUSED: get("refused", 0),
        f.NOT_RECEIVED: get("not_received", 0),
        f.APOLOGISED: get("apologised", 0),
        f.RETURNED_BY_POST: get("returned_post", 0),
    }


def _mapping(group_by: str, keys) -> dict:
    """Tally key column value -> group value (one query for fields and levels)."""
    if group_by == GroupBy.FIELD:
        from motcua.catalogue.models import Procedure

        return dict(Procedure.objects.filter(pk__in=keys).values_list("pk", "field_id"))
    if group_by == GroupBy.LEVEL:
        kinds = Agency.objects.filter(pk__in=keys).values_list("pk", "kind")
        return {pk: level_of(kind) for pk, kind in kinds}
    if group_by == GroupBy.DEPARTMENT:
        return {key: key or None for key in keys}
    return {key: key for key in keys}


def _merge(result: dict, key, values: dict) -> None:
    bucket = result.setdefault(key, Counter())
    bucket.update(values)
