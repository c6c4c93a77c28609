"""Public tracking under a real application server, next to a bare Django endpoint on it.

The server is what a deployment runs: gunicorn with deploy/gunicorn.conf.py (bench/production.py;
on SQLite one process with 4 threads), DEBUG off, on a temporary SQLite database with a few
hundred dossiers at every stage (built through the intake and processing services), with
bench/tracking_settings.py adding /bench/bare/ (a JSON view that does nothing, through the
same middleware) to the product's URLs. CLIENTS (200) concurrent clients, each a thread with a
keep-alive connection, look dossiers up for SECONDS per endpoint without pause: the bare view,
the API with the code only, the API with the code and the phone's last digits, the page a
receipt's QR code opens. Figures: requests per second, p50/p99 latency as the clients saw it,
and the rate as a share of the bare endpoint's on the same server. Rate limits are raised so
that every lookup still counts its attempt (one upsert) but none is refused; the second
configuration leaves the per-address count to a proxy (MOTCUA_TRACKING_IP_LIMIT=0).

The 200 clients run on the same machine as the server (2 cores here): read the figures as
what the server answers while sharing the machine with them. Run alone:
`python -m bench tracking`; BENCH_TRACKING_SECONDS (8) per endpoint,
BENCH_TRACKING_CLIENTS (200).
"""

import http.client
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

from bench import production

DOSSIERS = 300
CLIENTS = int(os.environ.get("BENCH_TRACKING_CLIENTS", "200"))
SECONDS = float(os.environ.get("BENCH_TRACKING_SECONDS", "8"))
BARE = "bare Django JSON view"
HOST = production.HOST
UNLIMITED = str(10**9)
CONFIGURATIONS = [
    ("product settings (per-address count in the database)", {}),
    (
        "per-address limit left to the proxy (MOTCUA_TRACKING_IP_LIMIT=0)",
        {"MOTCUA_TRACKING_IP_LIMIT": "0", "MOTCUA_TRUSTED_PROXY_COUNT": "1"},
    ),
]
ROOT = production.ROOT


# --- Orchestration (the process that runs `python -m bench`) ---------------------------------


def run() -> None:
    with tempfile.TemporaryDirectory(prefix="motcua-bench-tracking-") as tmp:
        folder = Path(tmp)
        url = f"sqlite:///{folder / 'bench.sqlite3'}"
        env = production.environment(url, production.free_port(), _limits())
        dossiers = json.loads(_module_call(["prepare", str(DOSSIERS)], env))
        settings = production.gunicorn_settings(env)
        print(
            f"   server: gunicorn -c deploy/gunicorn.conf.py ({settings['workers']} x "
            f"{settings['threads']} threads), DEBUG off, SQLite file (WAL), {DOSSIERS} "
            f"dossiers; {CLIENTS} concurrent clients, keep-alive, {SECONDS:.0f} s per endpoint"
        )
        for label, extra in CONFIGURATIONS:
            port = production.free_port()
            server_env = production.environment(url, port, {**_limits(), **extra})
            with production.running(server_env, folder / "server.log") as server:
                _report(label, _measure_all(server.port, dossiers))


def _limits() -> dict[str, str]:
    return {
        "DJANGO_SETTINGS_MODULE": "bench.tracking_settings",
        # Every lookup still counts its attempts; none is refused.
        "MOTCUA_TRACKING_IP_LIMIT": UNLIMITED,
        "MOTCUA_TRACKING_SECRET_LIMIT": UNLIMITED,
        "MOTCUA_TRACKING_SECRET_ADDRESS_LIMIT": UNLIMITED,
        "MOTCUA_PLAIN_STATIC": "1",  # the page's static URLs without collectstatic's manifest
    }


def _module_call(args: list[str], env: dict[str, str]) -> str:
    command = [sys.executable, "-m", "bench.bench_tracking", *args]
    done = subprocess.run(command, env=env, cwd=ROOT, capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"bench_tracking {args[0]} failed:\n{done.stderr[-3000:]}")
    return done.stdout


# --- The clients ------------------------------------------------------------------------------


def _measure_all(port: int, dossiers: list[dict]) -> dict[str, dict]:
    rng = random.Random(20260309)
    picks = [rng.choice(dossiers) for _ in range(4096)]
    endpoints: dict[str, Callable[[int], str]] = {
        BARE: lambda i: "/bench/bare/",
        "API, code only": lambda i: f"/api/v1/tracking/{picks[i % 4096]['code']}",
        "API, code + digits": lambda i: (
            f"/api/v1/tracking/{picks[i % 4096]['code']}?secret={picks[i % 4096]['digits']}"
        ),
        "page, code only (QR link)": lambda i: f"/tra-cuu/?ma={picks[i % 4096]['code']}",
    }
    found = {}
    for name, path_of in endpoints.items():
        _load(port, path_of, seconds=1.0)  # warm up every code path and connection
        found[name] = _load(port, path_of, seconds=SECONDS)
    return found


def _load(port: int, path_of: Callable[[int], str], *, seconds: float) -> dict:
    """CLIENTS threads, each with its keep-alive connection, sending GETs for `seconds`."""
    latencies: list[list[float]] = [[] for _ in range(CLIENTS)]
    errors: list[str] = []
    start = threading.Barrier(CLIENTS + 1)
    deadline: list[float] = []

    def work(n: int) -> None:
        connection = http.client.HTTPConnection(HOST, port, timeout=60)
        start.wait()
        i = n
        while time.perf_counter() < deadline[0]:
            began = time.perf_counter()
            try:
                connection.request("GET", path_of(i))
                response = connection.getresponse()
                response.read()
            except (OSError, http.client.HTTPException) as exc:
                errors.append(repr(exc))
                connection.close()
                connection = http.client.HTTPConnection(HOST, port, timeout=60)
                continue
            latencies[n].append(time.perf_counter() - began)
            if response.status != 200:
                errors.append(f"{path_of(i)}: {response.status}")
            if response.getheader("Connection", "").lower() == "close":
                connection.close()
            i += CLIENTS
        connection.close()

    threads = [threading.Thread(target=work, args=(n,), daemon=True) for n in range(CLIENTS)]
    for thread in threads:
        thread.start()
    deadline.append(time.perf_counter() + seconds)
    began = time.perf_counter()
    start.wait()
    for thread in threads:
        thread.join()
    spent = time.perf_counter() - began
    if errors:
        raise RuntimeError(f"{len(errors)} failed requests, e.g. {errors[0]}")
    every = sorted(t for client in latencies for t in client)
    return {
        "rate": len(every) / spent,
        "p50": statistics.median(every),
        "p99": every[min(len(every) - 1, int(len(every) * 0.99))],
    }


def _report(label: str, found: dict[str, dict]) -> None:
    bare = found[BARE]["rate"]
    print(f"   {label}:")
    print(f"     {'':<28} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8}   of bare")
    for name, figures in found.items():
        print(
            f"     {name:<28} {figures['rate']:8.0f} {figures['p50'] * 1000:8.1f}"
            f" {figures['p99'] * 1000:8.1f}   {figures['rate'] / bare:6.1%}"
        )


# --- Subprocess side: build the database --------------------------------------------


def prepare(count: int) -> list[dict]:
    """Migrate the (empty) database of DATABASE_URL and fill it; the codes and digits."""
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    return _build(count)


NAMES = [
    "Nguyễn Văn An", "Trần Thị Bình", "Lê Hoàng Cường", "Phạm Thị Dung", "Hoàng Minh Đức",
    "Vũ Thị Hạnh", "Đặng Quốc Huy", "Bùi Thị Lan", "Công ty TNHH Minh Phát",
]  # fmt: skip


def _build(count: int) -> list[dict]:
    """A commune with a 4-step procedure and `count` dossiers, a fifth at each stage:
    received, handed over, handed over and rescheduled (apology), resolved, returned."""
    from django.db import transaction

    clerk, specialist, leader, procedure, agency = _organisation()
    rng = random.Random(20260309)
    built = []
    for n in range(count):
        with transaction.atomic():
            dossier, digits = _dossier(procedure, agency, clerk, rng, n)
            _advance(dossier, n % 5, clerk, specialist, leader)
        built.append({"code": dossier.code, "digits": digits})
    return built


def _organisation():
    from decimal import Decimal

    from conftest import make_user, procedure_values
    from motcua.catalogue.models import Field
    from motcua.catalogue.services import create_procedure
    from motcua.organisations.models import AdministrativeUnit, Agency, Department
    from motcua.organisations.roles import Role

    province = AdministrativeUnit.objects.create(code="42", name="Tỉnh Hà Tĩnh", kind="province")
    commune = AdministrativeUnit.objects.create(
        code="18073", name="Phường Thành Sen", kind="commune", parent=province
    )
    agency = Agency.objects.create(
        code="H42.50.01", name="UBND phường Thành Sen", kind="commune_committee", unit=commune,
        address="01 Nguyễn Du, phường Thành Sen",
    )  # fmt: skip
    office = Department.objects.create(agency=agency, code="VP", name="Văn phòng HĐND và UBND")
    field = Field.objects.create(code="ho-tich", name="Hộ tịch")
    steps = [
        {"order": 1, "name": "Tiếp nhận hồ sơ", "role": Role.RECEIVING_CLERK, "budget_hours": 1},
        {"order": 2, "name": "Thẩm định hồ sơ", "role": Role.SPECIALIST, "budget_hours": 4,
         "department": office},
        {"order": 3, "name": "Ký duyệt", "role": Role.LEADER, "budget_hours": 2},
        {"order": 4, "name": "Trả kết quả", "role": Role.RECEIVING_CLERK, "budget_hours": 1},
    ]  # fmt: skip
    values = procedure_values(field, time_limit_value=Decimal(3))
    components = [{"order": 1, "name": "Tờ khai đăng ký khai sinh", "originals": 1}]
    procedure = create_procedure(
        "1.001193", actor=None, owner_agency=agency, values=values, components=components,
        steps=steps,
    )  # fmt: skip
    clerk = make_user("bench_clerk", agency, Role.RECEIVING_CLERK)
    specialist = make_user("bench_specialist", agency, Role.SPECIALIST, office)
    leader = make_user("bench_leader", agency, Role.LEADER)
    return clerk, specialist, leader, procedure, agency


def _dossier(procedure, agency, clerk, rng: random.Random, n: int):
    from motcua.dossiers.applicants import Applicant
    from motcua.dossiers.intake import HandedIn, Intake, receive_dossier

    phone = "09" + "".join(rng.choices("0123456789", k=8))
    id_number = "0420" + "".join(rng.choices("0123456789", k=7)) + "1"  # serial never 000000
    applicant = Applicant("citizen", NAMES[n % len(NAMES)], id_number, phone)
    checklist = procedure.current_version.documents()
    intake = Intake(
        procedure=procedure,
        agency=agency,
        applicant=applicant,
        handed_in=[HandedIn(c.pk, originals=1) for c in checklist],
    )
    return receive_dossier(intake, actor=clerk), phone[-4:]


def _advance(dossier, stage: int, clerk, specialist, leader) -> None:
    from motcua.dossiers.delays import apologise
    from motcua.dossiers.processing import complete_step, hand_over
    from motcua.dossiers.results import mark_result_ready, return_result
    from motcua.workdays.loader import get_calendar

    if stage >= 1:
        hand_over(dossier, actor=clerk)
    if stage == 2:
        calendar = get_calendar()
        later = calendar.nth_working_day_after(calendar.local(dossier.due_at).date(), 2)
        reason = "Chờ xác minh thông tin cư trú"
        apologise(dossier, actor=clerk, reason=reason, new_due_at=calendar.close_of(later))
    if stage >= 3:
        complete_step(dossier, actor=specialist)
        complete_step(dossier, actor=leader)
        mark_result_ready(dossier, actor=clerk)
    if stage == 4:
        return_result(dossier, actor=clerk, method="in_person", collected_by_name="Người nhận")


if __name__ == "__main__" and sys.argv[1] == "prepare":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.settings")
    import django

    django.setup()
    print(json.dumps(prepare(int(sys.argv[2]))))
