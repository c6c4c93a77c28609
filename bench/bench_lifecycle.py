"""Lifecycle transitions per second, next to two workflow engines, on the same database.

motcua: N dossiers each run through receive -> hand over -> 4 x complete step (the last an
approval) -> result ready, by the services the back office calls: each transition locks
the row, checks role and agency, moves the status and the steps, writes its event and
commits. On a throwaway database: a temporary SQLite file (WAL, as deployed) by default,
PostgreSQL with DATABASE_URL.

Baselines, same run:
* django-viewflow 2.x (the goal: motcua at least 2x its rate), the Django workflow engine a
  province's developers might pick: the same process as a minimal viewflow flow (a receipt
  started from code, then six user tasks in sequence, each assigned to the officer of its
  role), each task completed as viewflow's own task views do it, under its lock, in one
  transaction with its history (viewflow's task rows); in a project of its own
  (bench/viewflow_site) on a scratch database of its own, same engine and settings.
* SpiffWorkflow (docs/decisions/0002-spiffworkflow-benchmark-baseline.md) running the same
  six steps as six BPMN user tasks in sequence, in memory, its state serialised to JSON after
  each task; and the same again with that JSON saved in the same database, one commit per
  task, to show what persistence alone costs.
* The floor: the statements of a processing transition run through the DB-API driver with
  values prepared in advance, one commit each (`_run_floor`), what the database alone allows
  on this machine (the bench's own measuring stick; the product runs none of this).
"""

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.utils import timezone

from motcua.catalogue.models import Field
from motcua.catalogue.services import create_procedure
from motcua.dossiers.applicants import Applicant
from motcua.dossiers.intake import Intake, receive_dossier
from motcua.dossiers.models import Dossier, DossierEvent, DossierStep
from motcua.dossiers.processing import approve, complete_step, hand_over
from motcua.dossiers.results import mark_result_ready
from motcua.organisations.models import AdministrativeUnit, Agency, Department, Membership
from motcua.organisations.roles import Role
from motcua.workdays.models import CalendarOverride

from . import production
from .scratch import scratch_database

try:
    from SpiffWorkflow.bpmn.parser.BpmnParser import BpmnParser
    from SpiffWorkflow.bpmn.serializer.workflow import BpmnWorkflowSerializer
    from SpiffWorkflow.bpmn.workflow import BpmnWorkflow
    from SpiffWorkflow.util.task import TaskState
except ImportError:  # a dev dependency; the bench still measures motcua without it
    BpmnParser = None

DOSSIERS = 150
TRANSITIONS = 7
SPIFF_RUNS = 300
TASKS = ["receive", "hand_over", "appraise", "review", "approve", "result_ready"]
APPLICANT = Applicant("citizen", "Nguyễn Văn An", "042090001234")


def run() -> None:
    with scratch_database("motcua-bench-lifecycle-") as where:
        _measure_all(where)


def _measure_all(where: str) -> None:
    world = _world()
    _run_motcua(world, dossiers=10)  # warm up: compiled statements, calendar
    motcua = _run_motcua(world)
    print(f"   {DOSSIERS} dossiers x {TRANSITIONS} transitions, {where}")
    print(_line("motcua services (one commit each)", motcua))
    # Every dossier's first transition is its receipt (see _run_motcua).
    print(_line("  of which receipts at the counter", motcua[::TRANSITIONS]))
    others = [t for n, t in enumerate(motcua) if n % TRANSITIONS]
    print(_line("  of which the six processing transitions", others))
    floor = _run_floor(world)
    print(_line("  floor: their SQL alone, through the driver", floor))
    viewflow = _run_viewflow()
    if viewflow:
        print(_line("baseline: django-viewflow, one commit each", viewflow))
        print(_line("  of which the start (receipt)", viewflow[::TRANSITIONS]))
        ratio = _rate(motcua) / _rate(viewflow)
        verdict = "met" if ratio >= 2 else "NOT MET"
        print(f"   ratio: motcua at {ratio:.2f}x django-viewflow's rate (goal 2x: {verdict})")
    if BpmnParser is None:
        print("   SpiffWorkflow not installed (pip install spiffworkflow)")
        return
    in_memory = _run_spiff(save=None)
    saved = _run_spiff(save=_saver())
    print(_line("baseline: SpiffWorkflow, in memory + JSON", in_memory))
    print(_line("SpiffWorkflow + JSON saved, one commit each", saved))
    ratio = _rate(motcua) / _rate(in_memory)
    print(f"   ratio: motcua at {ratio:.2f}x the in-memory baseline's rate, ", end="")
    print(f"{_rate(motcua) / _rate(saved):.2f}x the saved one's")


def _rate(timings: list[float]) -> float:
    return len(timings) / sum(timings)


def _line(label: str, timings: list[float]) -> str:
    median = statistics.median(timings) * 1000
    p95 = sorted(timings)[int(len(timings) * 0.95) - 1] * 1000
    rate = _rate(timings)
    return f"   {label:<46} {rate:8.0f} /s   median {median:6.2f} ms   p95 {p95:6.2f} ms"


# --- motcua -----------------------------------------------------------------------------------


def _user(name: str, agency: Agency, role: str, department: Department | None = None):
    user = get_user_model().objects.create_user(username=name, password=None)
    Membership.objects.create(user=user, agency=agency, role=role, department=department)
    return user


def _world() -> dict:
    province = AdministrativeUnit.objects.create(code="42", name="Tỉnh Hà Tĩnh", kind="province")
    committee = Agency.objects.create(
        code="H42", name="UBND tỉnh", kind="provincial_committee", unit=province
    )
    agency = Agency.objects.create(
        code="H42.12",
        name="Sở Tư pháp",
        kind="provincial_department",
        unit=province,
        parent=committee,
    )
    division = Department.objects.create(agency=agency, code="HT", name="Phòng HCTP")
    return {
        "agency": agency,
        "procedure": _procedure(agency, division),
        "clerk": _user("clerk", agency, Role.RECEIVING_CLERK),
        "specialist": _user("specialist", agency, Role.SPECIALIST, division),
        "head": _user("head", agency, Role.DEPARTMENT_HEAD, division),
        "leader": _user("leader", agency, Role.LEADER),
    }


def _procedure(agency: Agency, division: Department):
    field = Field.objects.create(code="ho-tich", name="Hộ tịch")
    steps = [
        ("Tiếp nhận", Role.RECEIVING_CLERK, None),
        ("Thẩm định", Role.SPECIALIST, division),
        ("Xem xét", Role.DEPARTMENT_HEAD, division),
        ("Dự thảo kết quả", Role.SPECIALIST, division),
        ("Ký duyệt", Role.LEADER, None),
        ("Trả kết quả", Role.RECEIVING_CLERK, None),
    ]
    return create_procedure(
        "2.000488",
        actor=None,
        owner_agency=agency,
        values={
            "name": "Cấp Phiếu lý lịch tư pháp",
            "field": field,
            "levels": ["province"],
            "channels": ["in_person"],
            "time_limit_value": Decimal(10),
            "time_limit_unit": "working_days",
        },
        steps=[
            {"order": n, "name": name, "role": role, "department": dept, "budget_hours": 8}
            for n, (name, role, dept) in enumerate(steps, start=1)
        ],
    )


def _timed(timings: list[float], action: Callable[[], object]):
    started = time.perf_counter()
    result = action()
    timings.append(time.perf_counter() - started)
    return result


def _run_motcua(world: dict, dossiers: int = DOSSIERS) -> list[float]:
    """Timings of each dossier's TRANSITIONS transitions in turn, its receipt first."""
    timings: list[float] = []
    clerk, specialist, head, leader = (world[k] for k in ("clerk", "specialist", "head", "leader"))
    intake = Intake(world["procedure"], world["agency"], APPLICANT)
    for _ in range(dossiers):
        dossier = _timed(timings, lambda: receive_dossier(intake, actor=clerk))
        _timed(timings, lambda d=dossier: hand_over(d, actor=clerk))
        for actor in (specialist, head, specialist):
            _timed(timings, lambda d=dossier, a=actor: complete_step(d, actor=a))
        _timed(timings, lambda d=dossier: approve(d, actor=leader))
        _timed(timings, lambda d=dossier: mark_result_ready(d, actor=clerk))
    return timings


# --- django-viewflow ---------------------------------------------------------------------------


def _run_viewflow() -> list[float]:
    """The same number of dossiers through bench/viewflow_site's flow, in a subprocess with
    its own settings, on a new database of the same engine; [] when viewflow is missing."""
    try:
        import viewflow  # noqa: F401
    except ImportError:
        print("   django-viewflow not installed (a dev dependency)")
        return []
    with tempfile.TemporaryDirectory(prefix="motcua-bench-viewflow-") as folder:
        server = os.environ.get("DATABASE_URL") if connection.vendor == "postgresql" else None
        with production.scratch_database(Path(folder), server, "motcua_viewflow") as url:
            env = {**os.environ, "DATABASE_URL": url, "PYTHONPATH": str(production.ROOT)}
            command = [sys.executable, "-m", "bench.viewflow_site.run", str(DOSSIERS)]
            done = subprocess.run(
                command, env=env, cwd=production.ROOT, capture_output=True, text=True
            )
    if done.returncode != 0:
        raise RuntimeError(f"the viewflow baseline failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout)


# --- The database's floor -------------------------------------------------------------------


def _run_floor(world: dict) -> list[float]:
    """What the database alone costs a processing transition: the statements of
    complete_step (lock the dossier, read its steps, the actor's memberships and the calendar
    stamp, finish a step, start the next, move the dossier, insert the event), one
    transaction and commit each, run through the DB-API driver with every value prepared in
    advance: no ORM, no checks, no Python around them. The memberships are one plain read
    (the product's is a recursive read up the agency tree), so this is a lower bound. The
    rows are the benchmark's dossiers, updated once more; nothing is kept (the temporary
    database is dropped)."""
    connection.ensure_connection()
    raw, vendor = connection.connection, connection.vendor
    quote = connection.ops.quote_name

    def table(model) -> str:
        return quote(model._meta.db_table)

    def sql(text: str) -> str:
        return text.replace("%s", "?") if vendor == "sqlite" else text

    lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
    statements = [
        sql(f"SELECT * FROM {table(Dossier)} WHERE id = %s{lock}"),
        sql(
            f"SELECT s.*, a.name FROM {table(DossierStep)} s JOIN {table(Agency)} a "
            f"ON a.id = s.agency_id WHERE s.dossier_id = %s ORDER BY s.{quote('order')}, s.id"
        ),
        sql(
            f"SELECT role, department_id FROM {table(Membership)} "
            "WHERE user_id = %s AND agency_id = %s AND is_active"
        ),
        sql(f"SELECT COUNT(*), MAX(updated_at) FROM {table(CalendarOverride)}"),
        sql(f"UPDATE {table(DossierStep)} SET state = %s, finished_at = %s WHERE id = %s"),
        sql(
            f"UPDATE {table(DossierStep)} SET state = %s, started_at = %s, finished_at = NULL, "
            "due_at = %s WHERE id = %s"
        ),
        sql(f"UPDATE {table(Dossier)} SET status = %s, updated_at = %s WHERE id = %s"),
        sql(
            f"INSERT INTO {table(DossierEvent)} (dossier_id, created_at, actor_id, action, "
            "from_status, to_status, step_id, note, data) "
            "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s) RETURNING id"
        ),
    ]
    select_dossier, select_steps, memberships, stamp, finish, start, move, event = statements
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    data = '{"approved": false, "on_time": true, "next_step": 3, "next_agency_name": "Sở"}'
    user, agency = world["specialist"].pk, world["agency"].pk
    steps = defaultdict(list)
    for dossier, step in DossierStep.objects.order_by("order").values_list("dossier", "pk"):
        steps[dossier].append(step)
    begin = "BEGIN IMMEDIATE" if vendor == "sqlite" else "BEGIN"
    timings: list[float] = []
    cursor, dossiers = raw.cursor(), list(steps)
    for n in range(DOSSIERS * (TRANSITIONS - 1)):
        dossier = dossiers[n % len(dossiers)]
        done, started = steps[dossier][n % 4 + 1], steps[dossier][n % 4 + 2]
        began = time.perf_counter()
        cursor.execute(begin)
        for query, params in (
            (select_dossier, (dossier,)),
            (select_steps, (dossier,)),
            (memberships, (user, agency)),
            (stamp, ()),
        ):
            cursor.execute(query, params)
            cursor.fetchall()
        cursor.execute(finish, ("done", now, done))
        cursor.execute(start, ("active", now, now, started))
        cursor.execute(move, (4, now, dossier))
        cursor.execute(event, (dossier, now, user, "complete_step", 4, 4, done, "", data))
        cursor.fetchall()
        cursor.execute("COMMIT")
        timings.append(time.perf_counter() - began)
    cursor.close()
    return timings


# --- SpiffWorkflow ------------------------------------------------------------------------------


def _bpmn() -> bytes:
    ids = ["start", *TASKS, "end"]
    tasks = "".join(f'<bpmn:userTask id="{name}" name="{name}"/>' for name in TASKS)
    flows = "".join(
        f'<bpmn:sequenceFlow id="flow{n}" sourceRef="{a}" targetRef="{b}"/>'
        for n, (a, b) in enumerate(zip(ids, ids[1:], strict=False))
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" '
        'id="definitions" targetNamespace="https://motcua.example/bench">'
        '<bpmn:process id="dossier" isExecutable="true"><bpmn:startEvent id="start"/>'
        f'{tasks}<bpmn:endEvent id="end"/>{flows}</bpmn:process></bpmn:definitions>'
    ).encode()


def _saver() -> Callable[[int, str], None]:
    """Save a workflow's JSON in the benchmark database, one commit per call."""
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE bench_spiff_state (id INTEGER PRIMARY KEY, state TEXT)")

    def save(key: int, state: str) -> None:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("DELETE FROM bench_spiff_state WHERE id = %s", [key])
            cursor.execute("INSERT INTO bench_spiff_state VALUES (%s, %s)", [key, state])

    return save


def _run_spiff(save: Callable[[int, str], None] | None) -> list[float]:
    parser = BpmnParser()
    parser.add_bpmn_str(_bpmn())
    spec = parser.get_spec("dossier")
    serializer = BpmnWorkflowSerializer()
    timings: list[float] = []
    for key in range(SPIFF_RUNS):
        workflow = BpmnWorkflow(spec)
        workflow.do_engine_steps()
        for _ in TASKS:
            _timed(timings, lambda w=workflow, k=key: _spiff_step(w, serializer, save, k))
        assert workflow.is_completed()
    return timings


def _spiff_step(workflow, serializer, save, key: int) -> None:
    workflow.get_tasks(state=TaskState.READY, manual=True)[0].run()
    workflow.do_engine_steps()
    state = serializer.serialize_json(workflow)
    if save is not None:
        save(key, state)
