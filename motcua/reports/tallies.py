"""Biểu 06 from running tallies: cost independent of the history's length.

Each dossier's points (facts.py) are added to two tallies in the same transaction as the
lifecycle change that moved them (`sync`, subscribed to dossiers.lifecycle): per day and per
month, by key (receiving agency, resolving agency, department, procedure). States at an
instant (open, overdue, waiting) are kept as monthly snapshots (`MonthStock`: every point
dated before the month), so a report reads, for a quarter: one month-tally range and two
snapshots, whatever the years of history. A period that does not start or end on a month
boundary adds the days of the partial months from the day tally.

A point dated before a snapshot month moves that snapshot as well (a history import, an
appointment moved back); the snapshots of new months are made from the previous month
(`ensure_months`) by the worker's periodic job (reports.tasks), under a lock that waits for
the writers in flight (PostgreSQL) — SQLite serialises writers anyway. A report never makes
them (it never writes, so that it can read from a replica): a month without its snapshot is
read from the last one before it plus the month tallies since (tally_reads.stocks_at).
`rebuild()` recomputes every dossier's points from its rows (in several processes if asked),
then the sums; `resum()` has the database add up the stored points again (sums.py), when only
the sums need repair.
"""

import json
import multiprocessing
import os
import signal
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from datetime import date
from functools import lru_cache
from types import SimpleNamespace
from typing import Any

from django.conf import settings
from django.db import connection, connections, transaction
from django.db.models import Max, Min
from django.utils import timezone

from motcua.dossiers.timeleft import on_time_rule

from . import facts as fx
from . import quality_points as qp
from . import quality_tallies as qt
from .models import DayTally, MonthStock, MonthTally, StockMonth
from .scope import month_start, next_month

KEY = ("receiving", "competent", "department", "procedure")
Key = tuple[int, int, int, int]


def q(name: str) -> str:
    return connection.ops.quote_name(name)


# --- Keeping the tallies in step ---------------------------------------------------------


def facts_of(dossier) -> fx.Facts:
    """The dossier's statistical inputs (two small reads only when it has an apology or a
    supplement request)."""
    return _live_facts(dossier)[0]


def _live_facts(dossier) -> tuple[fx.Facts, dict[int, int]]:
    """The facts and, per officer, the supplement requests they made on the dossier."""
    from motcua.dossiers.models import Apology, SupplementRequest

    apology = None
    if dossier.apology_count:
        apology = (
            Apology.objects.filter(dossier=dossier)
            .values_list("previous_due_at", "created_at")
            .first()
        )
    requests: list[tuple] = []
    if dossier.supplement_count:
        requests = list(
            SupplementRequest.objects.filter(dossier=dossier).values_list(
                "requested_at", "answered_at", "requested_by_id"
            )
        )
    row = tuple(getattr(dossier, name) for name in DOSSIER_COLUMNS)
    asked_by = Counter(by for _r, _a, by in requests if by is not None)
    return _facts(row, apology, [(r, a) for r, a, _by in requests]), dict(asked_by)


def _facts(row: tuple, apology: tuple | None, supplements) -> fx.Facts:
    """Facts from a row of DOSSIER_COLUMNS, its apology (previous appointment, issued) and
    its supplement requests (requested, answered). The appointment judged is the one before
    the apology unless MOTCUA_APOLOGY_EXTENDS_DEADLINE (figures.py)."""
    previous, apologised_at = apology or (None, None)
    due = row[10]
    if previous is not None and not settings.MOTCUA_APOLOGY_EXTENDS_DEADLINE:
        due = previous
    return fx.Facts(*row[1:10], due, row[11], row[12], apologised_at, tuple(supplements))


def sync(dossier, event=None) -> list[str]:
    """Bring the tallies in line with `dossier` as changed (saved or about to be) by `event`
    and set its `tally`, which the caller saves: the fields to save, none when its points
    did not change (most steps of the processing). The quality indicators' tallies move in
    the same way (quality_tallies.py)."""
    facts, asked_by = _live_facts(dossier)
    tz, rule = timezone.get_default_timezone(), on_time_rule()
    old = dossier.tally or {}
    new = fx.compute(facts, tz, rule)
    if new:
        state = qt.state_of(dossier, event, old.get("st", {}), asked_by)
        new = with_quality(new, facts, state, dossier, tz, rule)
    if new == old:
        return []
    apply(_points(old, -1) + _points(new, 1))
    qt.apply(old, new)
    dossier.tally = new
    return ["tally"]


def with_quality(tally: dict, facts: fx.Facts, state: dict, source, tz, rule) -> dict:
    """The Biểu 06 points with the quality points and their inputs (`source`: the dossier
    or its row as a namespace, for the columns only the quality points read)."""
    inputs = qt.inputs(
        facts, state, getattr(source, "digitised_before_import", False), source.supplement_count
    )
    return {**tally, **qp.compute(inputs, tz, rule), "st": state}


class _Subscriber:
    """dossiers.lifecycle subscriber: every recorded event may move the dossier's points
    (events.record saves the tally with the dossier's change); `batch`, for new dossiers
    written in bulk (the history import), moves a whole batch's at once."""

    def __call__(self, dossier, event) -> list[str]:
        return sync(dossier, event)

    def batch(self, rows: Sequence[dict[str, Any]]) -> list[str]:
        return sync_new(rows)


on_event = _Subscriber()


def sync_new(rows: Sequence[dict[str, Any]]) -> list[str]:
    """Bring the tallies in line with new dossiers about to be inserted in bulk (`rows`:
    every field by attribute name) and set each row's `tally`, written with the INSERT: the
    fields set. Each dossier's points are computed as the rebuild computes them (a dossier
    not yet written has no apology or supplement request), and the tallies moved by the
    batch's net points in one `apply`: an upsert per day or month and key, not per
    dossier."""
    tz, rule = timezone.get_default_timezone(), on_time_rule()
    net: Counter[tuple[tuple, str, str]] = Counter()  # (key, point, ISO day): count
    quality: Counter = Counter()
    calendar = None
    for row in rows:
        values = tuple(row.get(name) for name in DOSSIER_COLUMNS)
        facts = _facts(values, None, ())
        row["tally"] = tally = fx.compute(facts, tz, rule)
        if tally:  # a new dossier: none of its points are in the tallies yet
            key = tuple(tally["k"])
            for name, day in tally["p"]:
                net[(key, name, day)] += 1
            calendar = calendar or _calendar()
            state = _new_state(facts, row.get("status"), calendar)
            row["tally"] = tally = with_quality(tally, facts, state, _Row(row), tz, rule)
            quality.update(qt.points(tally))
    apply((key, name, date.fromisoformat(day), n) for (key, name, day), n in net.items())
    if quality:
        qt.grouped(quality, qt._models(), upsert=True)
    return ["tally"]


class _Row:
    """A row of new dossiers (a dict) read like a dossier by `with_quality`."""

    def __init__(self, row: dict):
        self.digitised_before_import = row.get("digitised_before_import", False)
        self.supplement_count = row.get("supplement_count") or 0


def _calendar():
    from motcua.workdays.loader import get_calendar

    return get_calendar()


def _new_state(facts: fx.Facts, status, calendar) -> dict:
    """The quality inputs of a dossier written in bulk: no step, document or file yet."""
    state: dict = {"c": {}, "s": [], "split": False}
    received, finished = facts.received_at, facts.finished_at
    if received is not None:
        state["f"] = [0, 0, False]
    if received is not None and finished is not None and status in qp.WITH_RESULT:
        seconds = int(calendar.working_time_between(received, finished).total_seconds())
        state["w"] = [qt.iso(received), qt.iso(finished), seconds]
    return state


def _points(tally: dict, sign: int) -> list[tuple[Key, str, date, int]]:
    if not tally or "k" not in tally:
        return []
    key = tuple(tally["k"])
    return [(key, name, date.fromisoformat(day), sign) for name, day in tally["p"]]


def apply(points: Iterable[tuple[Key, str, date, int]]) -> None:
    """Add signed points to the day and month tallies and to the snapshots after them
    (key, point, day, signed count: ±1 for a dossier, any count for a batch's net)."""
    net = Counter()
    for key, name, day, sign in points:
        net[(key, name, day)] += sign
    net = {k: v for k, v in net.items() if v}
    if not net:
        return
    days, months = defaultdict(Counter), defaultdict(Counter)
    for (key, name, day), n in net.items():
        days[(day, key)][name] += n
        months[(month_start(day), key)][name] += n
    _upsert(DayTally, "day", fx.COLUMNS, days)
    _upsert(MonthTally, "month", fx.COLUMNS, months)
    earliest = min(day for (_key, _name, day) in net)
    later = list(StockMonth.objects.filter(month__gt=earliest).values_list("month", flat=True))
    stocks = defaultdict(Counter)
    for month in later:
        for (key, name, day), n in net.items():
            if day < month and name in fx.EFFECT:
                stock, sign = fx.EFFECT[name]
                stocks[(month, key)][stock] += sign * n
    _upsert(MonthStock, "month", fx.STOCKS, stocks)


def _upsert(model, period: str, columns, rows: dict) -> None:
    rows = {k: v for k, v in rows.items() if any(v.values())}
    if not rows:
        return
    # A fixed order: two transactions never wait on each other's rows crosswise.
    params = [
        (day, *key, *(counts.get(c, 0) for c in columns))
        for (day, key), counts in sorted(rows.items())
    ]
    with connection.cursor() as cursor:
        cursor.executemany(_upsert_sql(model, period, tuple(columns), connection.vendor), params)


@lru_cache(maxsize=8)
def _upsert_sql(model, period: str, columns: tuple[str, ...], vendor: str) -> str:
    table = q(model._meta.db_table)
    names = [period, *KEY, *columns]
    conflict = ", ".join(
        q(n) for n in (period, "competent", "receiving", "department", "procedure")
    )
    updates = ", ".join(f"{q(c)} = {table}.{q(c)} + excluded.{q(c)}" for c in columns)
    return (
        f"INSERT INTO {table} ({', '.join(q(n) for n in names)}) "
        f"VALUES ({', '.join(['%s'] * len(names))}) "
        f"ON CONFLICT ({conflict}) DO UPDATE SET {updates}"
    )


# --- Snapshots --------------------------------------------------------------------------

OPEN_SUM = " + ".join(
    [q("recv_online"), q("recv_other")] + [f"- {q(e)}" for e in fx.ENDINGS]
).replace("+ -", "-")
STOCK_FROM_FLOWS = {
    fx.OPEN: OPEN_SUM,
    fx.OVERDUE: f"{q('due_passed')} - {q('cleared')}",
    fx.WAITING: f"{q('supp_start')} - {q('supp_end')}",
}


def _lock_writers() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"LOCK TABLE {q(MonthTally._meta.db_table)} IN SHARE MODE")


def materialised() -> list[date]:
    return list(StockMonth.objects.order_by("month").values_list("month", flat=True))


def ensure_months(upto: date) -> list[date]:
    """Make the snapshots of every month up to `upto` (at most next month) that is missing,
    each from the one before; return the months that have one."""
    upto = min(month_start(upto), next_month(timezone.localdate()))
    have = materialised()
    if have and have[-1] >= upto:
        return have
    first = MonthTally.objects.order_by("month").values_list("month", flat=True).first()
    if first is None:
        return have
    with transaction.atomic():
        _lock_writers()
        have = materialised()
        month = next_month(have[-1]) if have else first
        while month <= upto:
            _materialise(month, have[-1] if have else None)
            have.append(month)
            month = next_month(month)
    return have


def _materialise(month: date, previous: date | None) -> None:
    stock = MonthStock._meta.db_table
    flows = MonthTally._meta.db_table
    keys = ", ".join(q(k) for k in KEY)
    sums = ", ".join(f"SUM({q(s)})" for s in fx.STOCKS)
    parts, params = [], []
    if previous is not None:
        parts.append(
            f"SELECT {keys}, {', '.join(q(s) for s in fx.STOCKS)} FROM {q(stock)} "
            f"WHERE {q('month')} = %s"
        )
        params.append(previous)
    bounds = f"{q('month')} < %s" + (f" AND {q('month')} >= %s" if previous else "")
    parts.append(
        f"SELECT {keys}, "
        + ", ".join(f"{STOCK_FROM_FLOWS[s]} AS {q(s)}" for s in fx.STOCKS)
        + f" FROM {q(flows)} WHERE {bounds}"
    )
    params += [month] + ([previous] if previous else [])
    nonzero = " OR ".join(f"SUM({q(s)}) <> 0" for s in fx.STOCKS)
    sql = (
        f"INSERT INTO {q(stock)} ({q('month')}, {keys}, {', '.join(q(s) for s in fx.STOCKS)}) "
        f"SELECT %s, {keys}, {sums} FROM ({' UNION ALL '.join(parts)}) AS parts "
        f"GROUP BY {keys} HAVING {nonzero}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [month, *params])
    StockMonth.objects.create(month=month)


# --- Rebuilding from the dossiers -------------------------------------------------------

DOSSIER_COLUMNS = (
    "pk",
    "receiving_agency_id",
    "competent_agency_id",
    "department_id",
    "procedure_id",
    "channel",
    "status",
    "outcome",
    "received_at",
    "finished_at",
    "due_at",
    "returned_at",
    "returned_method",
    "apology_count",
    "supplement_count",
    "tally",
    "digitised_before_import",
)


def _models(apps=None) -> SimpleNamespace:
    """The models the rebuild reads and writes: the current ones, or a migration's
    historical ones (`apps`), so that a migration can rebuild at its point of history."""
    if apps is None:
        from django.apps import apps
    names = {
        "Dossier": "dossiers",
        "Apology": "dossiers",
        "SupplementRequest": "dossiers",
        "DayTally": "reports",
        "MonthTally": "reports",
        "MonthStock": "reports",
        "StockMonth": "reports",
    }
    return SimpleNamespace(**{name: apps.get_model(app, name) for name, app in names.items()})


def _chunk_facts(rows: list[tuple], m: SimpleNamespace | None = None, quality=None) -> list:
    """[(pk, stored tally, computed tally)] for one chunk of dossier rows; with `quality`
    (quality_tallies.bulk_models, and the calendar), the quality points too."""
    m = m or _models()
    tz, rule = timezone.get_default_timezone(), on_time_rule()
    with_apology = [r[0] for r in rows if r[13]]
    apologies = {
        pk: (previous, created)
        for pk, previous, created in m.Apology.objects.filter(
            dossier_id__in=with_apology
        ).values_list("dossier_id", "previous_due_at", "created_at")
    }
    supplements: defaultdict[int, list] = defaultdict(list)
    asked: defaultdict[int, Counter[int]] = defaultdict(Counter)
    with_supplement = [r[0] for r in rows if r[14]]
    for pk, requested, answered, by in m.SupplementRequest.objects.filter(
        dossier_id__in=with_supplement
    ).values_list("dossier_id", "requested_at", "answered_at", "requested_by_id"):
        supplements[pk].append((requested, answered))
        if by is not None:
            asked[pk][by] += 1
    states = {}
    if quality is not None:
        qm, calendar = quality
        columns = {r[0]: (r[1], r[8], r[9], r[6]) for r in rows}
        states = qt.chunk_states([r[0] for r in rows], columns, qm, calendar)
    out = []
    for row in rows:
        facts = _facts(row, apologies.get(row[0]), supplements[row[0]])
        tally = fx.compute(facts, tz, rule)
        if tally and quality is not None:
            state = states[row[0]]
            if asked[row[0]]:
                state["a"] = {str(k): v for k, v in asked[row[0]].items()}
            source = SimpleNamespace(digitised_before_import=row[16], supplement_count=row[14])
            tally = with_quality(tally, facts, state, source, tz, rule)
        out.append((row[0], row[15] or {}, tally))
    return out


# The quality points are summed in memory and written when this many keys are held: their
# keys carry officers and procedures by day, so at a province's millions of dossiers they
# outgrow memory (756 MB at 200,000); written as they go (added to the rows) they stay bounded.
QUALITY_FLUSH = 150_000


def rebuild(*, progress=None, chunk: int = 5_000, apps=None, workers: int = 1) -> dict[str, int]:
    """Recompute every dossier's points from its rows, then every tally and snapshot from
    the points (sums.py: by the database). `progress(done, total)` is called per chunk.
    `workers` > 1: the points of ranges of dossiers are computed by that many processes
    (forked: a database server, or an SQLite file). `apps`: a migration's historical models
    (one process: see _rebuild_historical).

    * PostgreSQL: each range of dossiers is recomputed and written in a transaction of its
      own, its dossiers locked meanwhile (a clerk moving one of them waits a moment), so the
      processes write in parallel and the counters keep working; the sums are then made
      again in one transaction (writers wait). Interrupted, it is run again: a dossier
      whose points are already right is not written twice.
    * SQLite (one writer at a time): one transaction, writers wait; the processes compute
      from what was committed before it and the points are written here."""
    if apps is not None:
        return _rebuild_historical(progress=progress, chunk=chunk, apps=apps)
    from motcua.dossiers.models import Dossier

    total = Dossier.objects.count()
    bounds = Dossier.objects.aggregate(first=Min("pk"), last=Max("pk"))
    first, last = bounds["first"] or 0, bounds["last"] or 0
    ranges = [(low, min(low + chunk, last)) for low in range(first - 1, last, chunk)]
    by_ranges = connection.vendor == "postgresql"
    pool = _pool(workers) if workers > 1 and len(ranges) > 1 else None
    changed = done = 0
    try:
        if by_ranges:
            run = pool.imap_unordered if pool else map
            for written, rows in run(_points_written, ranges):
                changed, done = changed + written, done + rows
                if progress:
                    progress(done, total)
            with transaction.atomic():
                _lock_writers()
                counts = _sum_again()
        else:
            with transaction.atomic():
                _lock_writers()
                computed = pool.imap(_points_of, ranges) if pool else map(_points_of, ranges)
                for updates, rows in computed:
                    _store_tallies(updates)
                    changed, done = changed + len(updates), done + rows
                    if progress:
                        progress(done, total)
                counts = _sum_again()
    finally:
        if pool is not None:
            pool.terminate()
            pool.join()
    return {**counts, "dossiers": total, "changed": changed}


def _pool(workers: int):
    """Forked processes that open connections of their own: none may be inherited open, nor
    a pool of them (PostgreSQL: its connections would be lent in two processes)."""
    connections.close_all()
    for each in connections.all(initialized_only=True):
        close_pool = getattr(each, "close_pool", None)  # PostgreSQL's wrapper only
        if close_pool is not None and getattr(each, "pool", None):
            close_pool()
    return multiprocessing.get_context("fork").Pool(workers, initializer=_default_signals)


def _default_signals() -> None:
    """In a pool's process: the default action of SIGTERM and SIGINT, whatever the parent had
    set (ignored, a handler that waits): the pool ends its processes with SIGTERM, and a
    process that survives it leaves `terminate()` waiting for ever."""
    for number in (signal.SIGTERM, signal.SIGINT):
        signal.signal(number, signal.SIG_DFL)


def _points_written(ids: tuple[int, int]) -> tuple[int, int]:
    """Recompute and write the points of the dossiers with low < pk <= high, locked
    meanwhile (PostgreSQL): (dossiers whose points changed, dossiers read)."""
    from motcua.dossiers.models import Dossier

    low, high = ids
    with transaction.atomic():
        locked = Dossier.objects.select_for_update().filter(pk__gt=low, pk__lte=high)
        list(locked.order_by("pk").values_list("pk", flat=True))
        updates, rows = _points_of(ids)
        _store_tallies(updates)
    return len(updates), rows


def parallel() -> int:
    """How many processes may compute points: one per CPU, one on an SQLite database held
    in memory (the tests'), which other processes cannot open."""
    name = str(connection.settings_dict["NAME"])
    if connection.vendor == "sqlite" and (name == ":memory:" or "mode=memory" in name):
        return 1
    return os.cpu_count() or 1


def _points_of(ids: tuple[int, int]) -> tuple[list[tuple[dict, int]], int]:
    """[(new points, pk)] of the dossiers with low < pk <= high whose points change, and
    how many dossiers were read (a worker's task)."""
    from motcua.dossiers.models import Dossier

    low, high = ids
    rows = list(
        Dossier.objects.filter(pk__gt=low, pk__lte=high)
        .order_by("pk")
        .values_list(*DOSSIER_COLUMNS)
    )
    if not rows:
        return [], 0
    quality = None
    if qt.has_tables(_apps()):
        quality = (qt.bulk_models(_apps()), _calendar())
    computed = _chunk_facts(rows, _models(), quality)
    return [(tally, pk) for pk, stored, tally in computed if stored != tally], len(rows)


def _rebuild_historical(*, progress=None, chunk: int = 5_000, apps) -> dict[str, int]:
    """rebuild() in a migration, with its historical models: points of a column its tables
    do not have yet are kept in the dossiers' stored points only (the migration adding the
    column rebuilds again), and the quality tables are rebuilt only once they exist (reports
    0003)."""
    m = _models(apps)
    flows = tuple(c for c in fx.COLUMNS if _has_field(m.DayTally, c))
    quality = None
    if qt.has_tables(apps or _apps()):
        quality = (qt.bulk_models(apps or _apps()), _calendar())
    columns = DOSSIER_COLUMNS if quality else DOSSIER_COLUMNS[:-1]
    with transaction.atomic():
        _lock_writers()
        for model in (m.DayTally, m.MonthTally, m.MonthStock, m.StockMonth):
            model.objects.all().delete()
        if quality:
            qt.clear(quality[0])
        days, months = defaultdict(Counter), defaultdict(Counter)
        quality_net: Counter = Counter()
        flushed = False  # some quality points already written: the rest are added to them
        total, changed, last = m.Dossier.objects.count(), 0, 0
        done = 0
        while True:
            rows = list(
                m.Dossier.objects.filter(pk__gt=last).order_by("pk").values_list(*columns)[:chunk]
            )
            if not rows:
                break
            last = rows[-1][0]
            updates = []
            for pk, stored, tally in _chunk_facts(rows, m, quality):
                if stored != tally:
                    updates.append((tally, pk))
                for key, name, day, sign in _points(tally, 1):
                    days[(day, key)][name] += sign
                    months[(month_start(day), key)][name] += sign
                if quality:
                    quality_net.update(qt.points(tally))
            if quality and len(quality_net) > QUALITY_FLUSH:
                qt.grouped(quality_net, quality[0], upsert=flushed)
                quality_net.clear()
                flushed = True
            changed += len(updates)
            _store_tallies(updates, m.Dossier)
            done += len(rows)
            if progress:
                progress(done, total)
        _insert(m.DayTally, "day", days, columns=flows)
        _insert(m.MonthTally, "month", months, columns=flows)
        _snapshots(months, m.MonthStock, m.StockMonth)
        if quality:
            qt.grouped(quality_net, quality[0], upsert=flushed)
    return {"dossiers": total, "changed": changed, "day_rows": len(days), "month_rows": len(months)}


def resum(*, progress=None) -> dict[str, int]:
    """Sum every tally again from each dossier's stored points (`Dossier.tally`), without
    computing them: what repairs the tallies after a crash, a restore or a bulk load. The
    points themselves are recomputed only by `rebuild` (when the rules change: a migration
    does it). One transaction (writers wait); the database unfolds and groups the points
    (sums.py: a statement per table, nothing carried through Python). The snapshots are then
    made from the month tallies as the periodic job makes them (ensure_months).
    `progress(done, total)` is called once per table filled."""
    from motcua.dossiers.models import Dossier

    with transaction.atomic():
        _lock_writers()
        counts = _sum_again(progress)
    return {**counts, "dossiers": Dossier.objects.count(), "changed": 0}


def _sum_again(progress=None) -> dict[str, int]:
    """Empty the tallies and fill them again from the stored points (in the caller's
    transaction, writers held back)."""
    from motcua.dossiers.models import Dossier

    from . import sums

    apps = _apps()
    quality = qt.bulk_models(apps) if qt.has_tables(apps) else None
    models = SimpleNamespace(
        DayTally=DayTally, MonthTally=MonthTally, **(vars(quality) if quality else {})
    )
    for model in (DayTally, MonthTally, MonthStock, StockMonth):
        model.objects.all().delete()
    if quality:
        qt.clear(quality)
    statements = sums.statements(Dossier._meta.db_table, models, connection.vendor)
    with connection.cursor() as cursor:
        for done, table in enumerate(statements, 1):
            for sql in table:
                cursor.execute(sql)
            if progress:
                progress(done, len(statements))
    ensure_months(next_month(timezone.localdate()))
    return {"day_rows": DayTally.objects.count(), "month_rows": MonthTally.objects.count()}


def _apps():
    from django.apps import apps

    return apps


def _has_field(model, name: str) -> bool:
    return any(field.name == name for field in model._meta.get_fields())


def _store_tallies(updates: list[tuple[dict, int]], dossier_model=None) -> None:
    if not updates:
        return
    Dossier = dossier_model or _models().Dossier

    table, column = q(Dossier._meta.db_table), q(Dossier._meta.get_field("tally").column)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Millions of rows: one COPY and one joined UPDATE per chunk, not a statement each.
            cursor.execute("CREATE TEMP TABLE IF NOT EXISTS tally_rows (id bigint, tally jsonb)")
            cursor.execute("TRUNCATE tally_rows")
            with cursor.copy("COPY tally_rows (id, tally) FROM STDIN") as copy:
                for tally, pk in updates:
                    copy.write_row((pk, json.dumps(tally)))
            cursor.execute(
                f"UPDATE {table} AS d SET {column} = t.tally FROM tally_rows AS t WHERE d.id = t.id"
            )
            return
        params = [(json.dumps(tally), pk) for tally, pk in updates]
        cursor.executemany(f"UPDATE {table} SET {column} = %s WHERE id = %s", params)


def _insert(model, period: str, rows: dict, columns=fx.COLUMNS, batch: int = 5_000) -> None:
    table = q(model._meta.db_table)
    names = [period, *KEY, *columns]
    sql = (
        f"INSERT INTO {table} ({', '.join(q(n) for n in names)}) "
        f"VALUES ({', '.join(['%s'] * len(names))})"
    )
    params = [
        (day, *key, *(counts.get(c, 0) for c in columns))
        for (day, key), counts in sorted(rows.items())
        if any(counts.values())
    ]
    with connection.cursor() as cursor:
        for start in range(0, len(params), batch):
            cursor.executemany(sql, params[start : start + batch])


def _snapshots(months: dict, stock_model=MonthStock, marker_model=StockMonth) -> None:
    """Snapshots of every month from the first with points to next month."""
    if not months:
        return
    by_month = defaultdict(list)
    for (month, key), counts in months.items():
        by_month[month].append((key, counts))
    running: dict[Key, Counter] = defaultdict(Counter)
    month, last = min(by_month), next_month(timezone.localdate())
    rows, markers = {}, []
    while month <= last:
        markers.append(marker_model(month=month))
        for key, stocks in running.items():
            if any(stocks.values()):
                rows[(month, key)] = stocks.copy()
        for key, counts in by_month.get(month, ()):
            for name, n in counts.items():
                if name in fx.EFFECT:
                    stock, sign = fx.EFFECT[name]
                    running[key][stock] += sign * n
        month = next_month(month)
    _insert(stock_model, "month", rows, columns=fx.STOCKS)
    marker_model.objects.bulk_create(markers)
