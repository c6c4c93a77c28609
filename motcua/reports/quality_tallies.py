"""Keeping the quality indicators' tallies in step (decision 0015): the dossier's quality
points (quality_points.py) are stored with its Biểu 06 points (`Dossier.tally`) and the
tables move by "the old points out, the new ones in", in the lifecycle's transaction, like
tallies.py's. What the points are computed from, and when it is read:

* the dossier's own columns (every event);
* its steps done, with who completed them: the steps as the transition read and changed them
  (`dossiers.flow.steps_of` leaves them on the dossier: every service that moves a step
  reads them there, so this costs no statement); completions are remembered from the
  COMPLETE_STEP events as they are recorded (``c``), so the events are never read again;
* its documents and result files (one read, at receipt and when a file is attached: the
  only events that change them);
* the supplement requests, read with the Biểu 06 facts when there are any (their asker);
* the working time from receipt to result, with the working calendar, once per result.

The dossier's last inputs are kept in its tally (``st``), so an event that changes none of
them reuses them. `rebuild_chunk` computes the same from the rows in bulk (rebuild_tallies,
the migration).
"""

from collections import Counter, defaultdict
from datetime import UTC, date, datetime
from functools import lru_cache
from types import SimpleNamespace

from django.db import connection
from django.db.models import Count, Q

from . import quality_points as qp
from .scope import month_start

STEPS_READ = "steps_read"  # dossiers.flow.steps_of leaves the steps it read under this name
DONE, RESULT, COMPLETE_STEP = "done", "result", "complete_step"
REREAD_DOCUMENTS = ("receive", "attach_file")
KEY_NAMES = ("receiving", "competent", "department", "procedure")
Key = tuple[int, int, int, int]


def iso(moment: datetime) -> str:
    """A moment as stored in a tally: UTC, whatever zone it was read in."""
    return moment.astimezone(UTC).isoformat()


def q(name: str) -> str:
    return connection.ops.quote_name(name)


# --- The inputs of one dossier, live --------------------------------------------------------


def state_of(dossier, event, old: dict, asked_by: dict[int, int]) -> dict:
    """The dossier's quality inputs after `event` (see the module docstring)."""
    state = {k: v for k, v in old.items() if k != "a"}
    done = dict(state.get("c", {}))
    if event is not None and event.action == COMPLETE_STEP and event.step_id and event.actor_id:
        done[str(event.step_id)] = event.actor_id
    state["c"] = done
    steps = getattr(dossier, STEPS_READ, None)
    if steps is not None:
        state["s"] = _done_steps(
            (s.pk, s.agency_id, s.assignee_id, s.state, s.finished_at, s.due_at) for s in steps
        )
        state["split"] = any(s.agency_id != dossier.receiving_agency_id for s in steps)
    action = getattr(event, "action", None)
    if dossier.received_at is not None and (action in REREAD_DOCUMENTS or "f" not in state):
        *state["f"], split = _documents(dossier)
        if steps is None:
            state["split"] = split
    state.setdefault("s", [])
    state.setdefault("split", False)
    if asked_by:
        state["a"] = {str(k): v for k, v in asked_by.items()}
    _work(state, dossier.received_at, dossier.finished_at, dossier.status)
    return state


def _done_steps(rows, completers: dict | None = None) -> list[list]:
    """[[step id, agency, user or None, finished ISO, due ISO]] of the done steps with a
    deadline; user: the completer in `completers` (step id -> user), else the assignee."""
    out = []
    for pk, agency, assignee, state, finished, due in rows:
        if state == DONE and finished is not None and due is not None:
            out.append([pk, agency, assignee, iso(finished), iso(due)])
    return sorted(out)


def _documents(dossier) -> list:
    """[documents, scanned, a result file attached, a step at another agency]: one
    statement."""
    from motcua.dossiers.models import Attachment, DossierComponent, DossierStep

    components = q(DossierComponent._meta.db_table)
    attachments, steps = q(Attachment._meta.db_table), q(DossierStep._meta.db_table)
    sql = (
        f"SELECT (SELECT COUNT(*) FROM {components} WHERE dossier_id = %s), "
        f"(SELECT COUNT(*) FROM {components} WHERE dossier_id = %s AND is_digitised), "
        f"EXISTS(SELECT 1 FROM {attachments} WHERE dossier_id = %s AND kind = %s), "
        f"EXISTS(SELECT 1 FROM {steps} WHERE dossier_id = %s AND agency_id <> %s)"
    )
    pk = dossier.pk
    with connection.cursor() as cursor:
        cursor.execute(sql, [pk, pk, pk, RESULT, pk, dossier.receiving_agency_id])
        n, scanned, result, split = cursor.fetchone()
    return [int(n), int(scanned), bool(result), bool(split)]


def _work(state: dict, received: datetime | None, finished: datetime | None, status: int) -> None:
    """Working seconds from receipt to result, measured once per (receipt, result)."""
    if received is None or finished is None or status not in qp.WITH_RESULT:
        state.pop("w", None)
        return
    span = [iso(received), iso(finished)]
    if state.get("w", [None, None])[:2] != span:
        from motcua.workdays.loader import get_calendar

        seconds = int(get_calendar().working_time_between(received, finished).total_seconds())
        state["w"] = [*span, seconds]


def inputs(facts, state: dict, digitised_before_import: bool, supplement_count: int):
    """quality_points.Inputs from the Biểu 06 facts (facts.Facts) and the state."""
    completers = state.get("c", {})
    steps = tuple(
        qp.Step(
            agency,
            datetime.fromisoformat(finished),
            datetime.fromisoformat(due),
            completers.get(str(pk), assignee),
        )
        for pk, agency, assignee, finished, due in state.get("s", [])
    )
    documents, scanned, result = state.get("f", [0, 0, False])
    return qp.Inputs(
        channel=facts.channel,
        status=facts.status,
        outcome=facts.outcome,
        received_at=facts.received_at,
        finished_at=facts.finished_at,
        judged_due_at=facts.judged_due_at,
        supplement_count=supplement_count or 0,
        digitised_before_import=bool(digitised_before_import),
        documents=documents,
        scanned=scanned,
        result_file=result,
        split=bool(state.get("split")),
        steps=steps,
        asked_by={int(k): v for k, v in state.get("a", {}).items()},
        work_seconds=state.get("w", [None, None, 0])[2],
    )


# --- Moving the tables ------------------------------------------------------------------------

QUALITY, LATE, OFFICER, LINK = "quality", "late", "officer", "link"


def points(tally: dict, sign: int = 1, out: Counter | None = None) -> Counter:
    """(table, key values, ISO day, column) -> signed count, from a stored tally; added to
    `out` when given (a rebuild's running sums), else to a new Counter."""
    if out is None:
        out = Counter()
    if not tally or "k" not in tally:
        return out
    key = tuple(tally["k"])
    for name, day, n in tally.get("q", ()):
        out[(QUALITY, key, day, name)] += sign * n
    if pair := tally.get("l"):
        out[(LATE, (*key, pair[1]), pair[0], "n")] += sign
    for user, agency, name, day, n in tally.get("o", ()):
        out[(OFFICER, (user, agency, *key), day, name)] += sign * n
    for user, name, first, then, n in tally.get("ol", ()):
        out[(LINK, (then, user, *key), first, name)] += sign * n
    return out


def _models():
    from . import models as m

    return SimpleNamespace(
        QualityDay=m.QualityDay,
        QualityMonth=m.QualityMonth,
        OnlineLate=m.OnlineLate,
        OfficerDay=m.OfficerDay,
        OfficerMonth=m.OfficerMonth,
        OfficerLink=m.OfficerLink,
    )


# table -> (period column, key columns, value columns)
LAYOUT = {
    QUALITY: ("", KEY_NAMES, qp.KEY_COLUMNS),
    LATE: ("received", (*KEY_NAMES, "late_from"), ("n",)),
    OFFICER: ("", ("user", "agency", *KEY_NAMES), qp.OFFICER_COLUMNS),
    LINK: ("start", ("end", "user", *KEY_NAMES), qp.LINK_COLUMNS),
}


def tables(m) -> dict[str, list[tuple]]:
    """table -> [(model, period column, month-rolled)]."""
    return {
        QUALITY: [(m.QualityDay, "day", False), (m.QualityMonth, "month", True)],
        LATE: [(m.OnlineLate, "received", False)],
        OFFICER: [(m.OfficerDay, "day", False), (m.OfficerMonth, "month", True)],
        LINK: [(m.OfficerLink, "start", False)],
    }


def grouped(net: Counter, m, *, upsert: bool) -> None:
    """Write the net points: added to the rows (upsert), or inserted as new rows."""
    by_table: dict[str, dict] = defaultdict(lambda: defaultdict(Counter))
    for (table, key, day, column), n in net.items():
        if n:
            by_table[table][(date.fromisoformat(day), key)][column] += n
    for table, rows in by_table.items():
        _period, keys, columns = LAYOUT[table]
        for model, period, monthly in tables(m)[table]:
            if monthly:
                rolled: dict = defaultdict(Counter)
                for (day, key), counts in rows.items():
                    rolled[(month_start(day), key)].update(counts)
                _write(model, period, keys, columns, rolled, upsert)
            else:
                _write(model, period, keys, columns, rows, upsert)


def apply(old: dict, new: dict) -> None:
    """Move the quality tables from a dossier's old stored points to its new ones."""
    net = points(new, 1)
    net.update(points(old, -1))
    net = Counter({k: v for k, v in net.items() if v})
    if net:
        grouped(net, _models(), upsert=True)


def _write(model, period: str, keys, columns, rows: dict, upsert: bool, batch=5_000) -> None:
    params = [
        (day, *key, *(counts.get(c, 0) for c in columns))
        for (day, key), counts in sorted(rows.items())
        if any(counts.values())
    ]
    if not params:
        return
    sql = _sql(model, period, tuple(keys), tuple(columns), upsert, connection.vendor)
    with connection.cursor() as cursor:
        for start in range(0, len(params), batch):
            cursor.executemany(sql, params[start : start + batch])


@lru_cache(maxsize=32)
def _sql(model, period: str, keys: tuple, columns: tuple, upsert: bool, vendor: str) -> str:
    table = q(model._meta.db_table)
    names = [period, *keys, *columns]
    sql = (
        f"INSERT INTO {table} ({', '.join(q(n) for n in names)}) "
        f"VALUES ({', '.join(['%s'] * len(names))})"
    )
    if not upsert:
        return sql
    conflict = ", ".join(q(n) for n in (period, *keys))
    updates = ", ".join(f"{q(c)} = {table}.{q(c)} + excluded.{q(c)}" for c in columns)
    return f"{sql} ON CONFLICT ({conflict}) DO UPDATE SET {updates}"


# --- In bulk: the rebuild ------------------------------------------------------------------------


def has_tables(apps) -> bool:
    """Whether the (historical) models have the quality tables and the columns read."""
    try:
        apps.get_model("reports", "QualityDay")
        dossier = apps.get_model("dossiers", "Dossier")
    except LookupError:
        return False
    return any(f.name == "digitised_before_import" for f in dossier._meta.get_fields())


def bulk_models(apps) -> SimpleNamespace:
    names = ("QualityDay", "QualityMonth", "OnlineLate", "OfficerDay", "OfficerMonth")
    found = {name: apps.get_model("reports", name) for name in (*names, "OfficerLink")}
    for name in ("DossierStep", "DossierEvent", "DossierComponent", "Attachment"):
        found[name] = apps.get_model("dossiers", name)
    return SimpleNamespace(**found)


def chunk_states(pks: list[int], rows: dict[int, tuple], m, calendar) -> dict[int, dict]:
    """pk -> state, for a chunk of dossiers (`pks` in increasing order, every dossier between
    the first and the last; rows: pk -> (receiving, received_at, finished_at, status)), in
    four reads whatever the chunk's size."""
    # The chunk is a range of ids (the rebuild reads them in order): a range, not an IN list.
    within = {"dossier_id__gte": pks[0], "dossier_id__lte": pks[-1]}
    steps = defaultdict(list)
    for row in m.DossierStep.objects.filter(**within).values_list(
        "dossier_id", "id", "agency_id", "assignee_id", "state", "finished_at", "due_at"
    ):
        steps[row[0]].append(row[1:])
    completers: dict[int, dict[str, int]] = {}
    events = m.DossierEvent.objects.filter(
        **within, action=COMPLETE_STEP, actor__isnull=False, step__isnull=False
    ).order_by("created_at", "pk")
    for dossier_id, step_id, actor_id in events.values_list("dossier_id", "step_id", "actor_id"):
        completers.setdefault(dossier_id, {})[str(step_id)] = actor_id
    documents = {
        pk: [n, scanned]
        for pk, n, scanned in m.DossierComponent.objects.filter(**within)
        .values("dossier_id")
        .annotate(n=Count("id"), scanned=Count("id", filter=Q(is_digitised=True)))
        .values_list("dossier_id", "n", "scanned")
        .order_by()
    }
    results = set(
        m.Attachment.objects.filter(**within, kind=RESULT).values_list("dossier_id", flat=True)
    )
    states = {}
    for pk in pks:
        receiving, received, finished, status = rows[pk]
        own = steps.get(pk, [])
        state: dict = {"c": completers.get(pk, {}), "s": _done_steps(own)}
        state["split"] = any(agency != receiving for _id, agency, *_rest in own)
        if received is not None:
            state["f"] = [*documents.get(pk, [0, 0]), pk in results]
        if received is not None and finished is not None and status in qp.WITH_RESULT:
            seconds = int(calendar.working_time_between(received, finished).total_seconds())
            state["w"] = [iso(received), iso(finished), seconds]
        states[pk] = state
    return states


def clear(m) -> None:
    for model in (
        m.QualityDay,
        m.QualityMonth,
        m.OnlineLate,
        m.OfficerDay,
        m.OfficerMonth,
        m.OfficerLink,
    ):
        model.objects.all().delete()
