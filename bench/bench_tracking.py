"""Public tracking lookups per second over real HTTP, next to a bare Django JSON view.

Builds a temporary SQLite database with a few hundred dossiers (through the intake and
processing services) and starts the threaded WSGI server of Django's `runserver` on it (no
reloader, DEBUG off, TCP_NODELAY: see `serve`), with bench/tracking_site.py as URLconf:
the product's URLs plus /bench/bare/. The same client threads send the same number of
keep-alive requests to each endpoint, rounds interleaved. Rate limits are raised for the
run, so every lookup still counts its attempt (one upsert) but none is refused; one
configuration leaves the per-address count to a proxy (CONFIGURATIONS).

Run alone: `python -m bench tracking`. The database and the server are subprocesses of
this module (`prepare`, `serve`), so the project's own database is never touched.
"""

import http.client
import json
import os
import random
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

DOSSIERS = 300
REQUESTS = 2_000  # per endpoint
ROUNDS = 10
PER_ROUND = REQUESTS // ROUNDS
BARE = "bare Django JSON view"
CLIENTS = 4
HOST = "127.0.0.1"
# The product keeps SQLite connections per thread (CONN_MAX_AGE 60). The second run leaves
# the per-address limit to a reverse proxy (MOTCUA_TRACKING_IP_LIMIT=0, settings.py), as a
# province behind nginx may: no attempt counter is written for a lookup. The third opens a
# new connection on every request, to show what persistent connections save.
CONFIGURATIONS = [
    ("product settings (SQLite, persistent connections)", {}),
    (
        "per-address limit left to the proxy (MOTCUA_TRACKING_IP_LIMIT=0)",
        {"MOTCUA_TRACKING_IP_LIMIT": "0", "MOTCUA_TRUSTED_PROXY_COUNT": "1"},
    ),
    ("a new SQLite connection per request (CONN_MAX_AGE=0)", {"BENCH_CONN_MAX_AGE": "0"}),
]
ROOT = Path(__file__).resolve().parent.parent


# --- Orchestration (the process that runs `python -m bench`) ---------------------------------


def run() -> None:
    with tempfile.TemporaryDirectory(prefix="motcua-bench-tracking-") as tmp:
        env = bench_environment(Path(tmp) / "bench.sqlite3")
        dossiers = json.loads(_module_call(["prepare", str(DOSSIERS)], env))
        _print_setup()
        for label, extra in CONFIGURATIONS:
            port = _free_port()
            with serving(port, {**env, **extra}):
                _report(label, _measure_all(port, dossiers))


def bench_environment(database: Path) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{database}",
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(48),
        "ALLOWED_HOSTS": f"{HOST},localhost",
        "PYTHONPATH": str(ROOT),
        # Every lookup still counts its attempts; none is refused.
        "MOTCUA_TRACKING_IP_LIMIT": str(10**9),
        "MOTCUA_TRACKING_SECRET_LIMIT": str(10**9),
    }


def _module_call(args: list[str], env: dict[str, str]) -> str:
    command = [sys.executable, "-m", "bench.bench_tracking", *args]
    return subprocess.run(
        command, env=env, cwd=ROOT, check=True, capture_output=True, text=True
    ).stdout


@contextmanager
def serving(port: int, env: dict[str, str]) -> Iterator[None]:
    """The benchmark server, started, waited for and stopped."""
    command = [sys.executable, "-m", "bench.bench_tracking", "serve", str(port)]
    process = subprocess.Popen(
        command, env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        _wait_until_listening(port)
        yield
    finally:
        process.terminate()
        process.wait(timeout=10)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def _wait_until_listening(port: int, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            connection = http.client.HTTPConnection(HOST, port, timeout=2)
            connection.request("GET", "/bench/bare/")
            if connection.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("the benchmark server did not start")


# --- The client -------------------------------------------------------------------------------


def _measure_all(port: int, dossiers: list[dict]) -> dict[str, list[float]]:
    """Seconds per round for each endpoint. The rounds are short and interleaved, each in
    another order, so that a slow spell of a shared machine falls on every endpoint alike
    and shows as one odd round rather than as a skewed total."""
    rng = random.Random(20260309)
    picks = [rng.choice(dossiers) for _ in range(REQUESTS)]
    endpoints: dict[str, Callable[[int], str]] = {
        BARE: lambda i: "/bench/bare/",
        "API, code only": lambda i: f"/api/v1/tracking/{picks[i]['code']}",
        "API, code + digits": lambda i: (
            f"/api/v1/tracking/{picks[i]['code']}?secret={picks[i]['digits']}"
        ),
        "page, code only (QR link)": lambda i: f"/tra-cuu/?ma={picks[i]['code']}",
    }
    for path_of in endpoints.values():  # warm up every code path
        _load(port, path_of, 50)
    seconds: dict[str, list[float]] = {name: [] for name in endpoints}
    names = list(endpoints)
    for n in range(ROUNDS):
        for name in names[n % len(names) :] + names[: n % len(names)]:
            seconds[name].append(_load(port, endpoints[name], PER_ROUND, offset=n * PER_ROUND))
    return seconds


def _load(port: int, path_of: Callable[[int], str], count: int, offset: int = 0) -> float:
    """Seconds for `count` GETs (paths `offset`... of `path_of`) spread over CLIENTS
    keep-alive connections."""
    errors: list[str] = []

    def work(first: int) -> None:
        connection = http.client.HTTPConnection(HOST, port, timeout=30)
        for i in range(offset + first, offset + count, CLIENTS):
            connection.request("GET", path_of(i))
            response = connection.getresponse()
            response.read()
            if response.status != 200:
                errors.append(f"{path_of(i)}: {response.status}")
            if response.getheader("Connection", "").lower() == "close":
                connection.close()
        connection.close()

    threads = [threading.Thread(target=work, args=(n,)) for n in range(CLIENTS)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    spent = time.perf_counter() - started
    if errors:
        raise RuntimeError(f"{len(errors)} failed requests, e.g. {errors[0]}")
    return spent


def _print_setup() -> None:
    print(
        f"   server: Django {_django_version()} runserver's threaded WSGI server (DEBUG off), "
        f"SQLite, {DOSSIERS} dossiers; client: {CLIENTS} keep-alive connections, "
        f"{REQUESTS} requests per endpoint in {ROUNDS} interleaved rounds"
    )


def _report(label: str, seconds: dict[str, list[float]]) -> None:
    """Each endpoint's rate over all its rounds, and its ratio to the bare view: the median
    of the rounds' ratios (each round's bare run is its neighbour in time), with their
    range."""
    bare = seconds[BARE]
    print(f"   {label}:")
    for name, spent in seconds.items():
        rate = PER_ROUND * len(spent) / sum(spent)
        ratios = sorted(b / s for b, s in zip(bare, spent, strict=True))
        print(
            f"     {name:<28} {rate:8.0f} req/s   {statistics.median(ratios):6.1%} of bare"
            f"   (rounds {ratios[0]:.0%}–{ratios[-1]:.0%})"
        )


def _django_version() -> str:
    import django

    return django.get_version()


# --- Subprocess side: build the database, serve it --------------------------------------------


def _setup(urlconf: str | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.settings")
    from django.conf import settings

    if urlconf:
        settings.ROOT_URLCONF = urlconf
    if os.environ.get("BENCH_CONN_MAX_AGE") is not None:
        settings.DATABASES["default"]["CONN_MAX_AGE"] = int(os.environ["BENCH_CONN_MAX_AGE"])
    import django

    django.setup()


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
    id_number = "0420" + "".join(rng.choices("0123456789", k=8))
    applicant = Applicant("citizen", NAMES[n % len(NAMES)], id_number, phone)
    checklist = procedure.current_version.components.all()
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


def serve(port: int) -> None:
    """What `manage.py runserver --noreload` runs (django.core.servers.basehttp, threaded),
    with TCP_NODELAY on each connection: the server writes headers and body separately,
    and with Nagle's algorithm against the client's delayed ACK every keep-alive response
    would wait ~40 ms, which would measure the kernel rather than Django."""
    from django.core.servers import basehttp
    from django.core.servers.basehttp import get_internal_wsgi_application

    class NoDelayServer(basehttp.WSGIServer):
        def get_request(self):
            connection, address = super().get_request()
            connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            return connection, address

    application = get_internal_wsgi_application()
    basehttp.run(HOST, port, application, threading=True, server_cls=NoDelayServer)


if __name__ == "__main__":
    action, argument = sys.argv[1], int(sys.argv[2])
    if action == "prepare":
        _setup()
        print(json.dumps(prepare(argument)))
    elif action == "serve":
        _setup(urlconf="bench.tracking_site")
        serve(argument)
