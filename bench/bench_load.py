"""A counter's day under load, against the production server, then an integrity check.

The server is gunicorn with deploy/gunicorn.conf.py (bench/production.py), DEBUG off, on a
scratch database: a SQLite file, then the same run on a throwaway PostgreSQL server
(scripts/with-postgres; BENCH_LOAD_BOTH=0 leaves it out); with DATABASE_URL naming
PostgreSQL, a new database on that server only, dropped afterwards. It is migrated and
loaded with the demo (`seed_demo`), then given BENCH_LOAD_CLIENTS (50) receiving clerks at
the provincial service centre, each with an API token. As many client threads, one
keep-alive connection each, join over BENCH_LOAD_RAMP (5) seconds, then loop for
BENCH_LOAD_SECONDS (60): receive a dossier (POST /api/v1/dossiers with an Idempotency-Key),
read it back, list the first page, every HAND_OVER_EVERY-th dossier hand it over, and look
it up as the applicant does (public tracking, with the phone's last digits). Before that,
the same clients ask the same server's GET /healthz (two database reads) for a shorter time:
the floor of a request through this server and its middleware.

Then the same load runs again for BACKUP_SECONDS with `manage.py backup` taken a third of
the way in; that backup is restored into an empty installation and must hold every dossier
acknowledged before it began. Its figures are printed apart from the goal's.

Every response is recorded (status, latency); a request is acknowledged when it returned
2xx. A connection error is counted and the request sent once more on a new connection, with
the same Idempotency-Key. After the load the server is stopped and the database checked
(bench/load_site.py `check`): every acknowledged dossier stored with its receive event and
steps, codes unique and gapless per agency and day, tallies equal to a rebuild.

The figures come from a machine whose cores other work shares: read them as orders of
magnitude. MOTCUA_WORKERS, MOTCUA_THREADS, MOTCUA_SQLITE_BUSY_TIMEOUT, MOTCUA_MAX_REQUESTS
and MOTCUA_DB_POOL_* in the environment reach the server (deploy/gunicorn.conf.py,
motcua/settings.py). Rate limits of public tracking are raised: the clients share one
address, where citizens would not; every lookup still writes its attempt counter.
"""

import http.client
import json
import math
import os
import random
import re
import select
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from bench import production

CLIENTS = int(os.environ.get("BENCH_LOAD_CLIENTS", "50"))
SECONDS = float(os.environ.get("BENCH_LOAD_SECONDS", "60"))
BARE_SECONDS = min(10.0, max(2.0, SECONDS / 6))
# The clients join one after the other over BENCH_LOAD_RAMP seconds (clerks do not press the
# button in the same millisecond: started together, their dossiers stay in step and every
# receipt meets the others at the database's single writer); the figures are those of the
# SECONDS after that, with every client running. The ramp's own requests are reported apart.
RAMP = float(os.environ.get("BENCH_LOAD_RAMP", "5"))
# Then the same load again with `manage.py backup` taken a third of the way in: its figures
# are printed apart (a backup competes for the cores; the nightly timer runs it at 02:30).
BACKUP_SECONDS = min(20.0, max(6.0, SECONDS / 3))
HAND_OVER_EVERY = 4
# A clerk's pause between two dossiers, in seconds (drawn between 0 and twice this): 0 asks
# as fast as the server answers, a saturation test; a counter clerk takes minutes per dossier.
PAUSE = float(os.environ.get("BENCH_LOAD_PAUSE", "0"))
# BENCH_LOAD_IDEMPOTENCY=0 sends no Idempotency-Key (to compare: with the key, the answer is
# rendered and stored in the receipt's transaction).
IDEMPOTENCY = os.environ.get("BENCH_LOAD_IDEMPOTENCY", "1") != "0"
MAX_ITERATIONS = 100_000  # per client: a bound beside the time
# On SQLite (no DATABASE_URL), the bench then runs again on PostgreSQL; BENCH_LOAD_BOTH=0: not.
BOTH_DATABASES = os.environ.get("BENCH_LOAD_BOTH", "1") != "0"
REQUEST_TIMEOUT = 30
GOAL_P99 = 1.0
KINDS = ["receive", "read", "list", "hand-over", "tracking"]
UNLIMITED = str(10**9)
# What the server's log says when the database made a request wait too long or fail.
LOG_SIGNS = {
    "database is locked": re.compile(r"database is locked"),
    "pool timeout": re.compile(r"PoolTimeout|couldn't get a connection"),
    "other OperationalError": re.compile(r"OperationalError(?!.*database is locked)"),
    "worker timeout": re.compile(r"WORKER TIMEOUT"),
    "worker restarts": re.compile(r"Booting worker"),  # less the first boots (`_log_signs`)
    "500 logged": re.compile(r'"(?:level|levelname)": "ERROR"'),
}
# The access log (deploy/gunicorn.conf.py access_log_format): request line, status, size and
# the time the worker spent on it, from reading the request to the response written.
ACCESS = re.compile(r'"(?P<method>[A-Z]+) (?P<path>\S+) [^"]*" \d{3} \S+ (?P<ms>\d+)ms')
KIND_OF_PATH = [
    ("hand-over", "POST", re.compile(r"^/api/v1/dossiers/[^/?]+/hand-over$")),
    ("receive", "POST", re.compile(r"^/api/v1/dossiers$")),
    ("list", "GET", re.compile(r"^/api/v1/dossiers\?")),
    ("read", "GET", re.compile(r"^/api/v1/dossiers/[^/?]+$")),
    ("tracking", "GET", re.compile(r"^/api/v1/tracking/")),
    ("healthz", "GET", re.compile(r"^/healthz$")),
]


# --- Orchestration ----------------------------------------------------------------------------


def run() -> None:
    _run_here()
    if production.is_postgres(os.environ.get("DATABASE_URL")) or not BOTH_DATABASES:
        return
    # The goal holds on both databases: the same bench again on a throwaway
    # PostgreSQL (scripts/with-postgres installs and starts one, as `make test` does).
    print("   -- the same on PostgreSQL (scripts/with-postgres):", flush=True)
    done = subprocess.run(
        [str(production.ROOT / "scripts" / "with-postgres"), sys.executable, "-m", "bench", "load"],
        cwd=production.ROOT,
        env={**os.environ, "BENCH_LOAD_BOTH": "0"},
        check=False,
    )
    if done.returncode != 0:
        print(f"   PostgreSQL run FAILED (exit {done.returncode})")


def _run_here() -> None:
    with tempfile.TemporaryDirectory(prefix="motcua-bench-load-") as tmp:
        folder = Path(tmp)
        server_url = os.environ.get("DATABASE_URL")
        with production.scratch_database(folder, server_url, "motcua_load") as url:
            env = production.environment(url, production.free_port(), _limits())
            started = time.perf_counter()
            production.manage(env, "migrate", "--noinput", "-v", "0")
            production.manage(env, "seed_demo")
            accounts = production.site(env, "clerks", str(CLIENTS))
            _print_setup(env, accounts, time.perf_counter() - started)
            log = folder / "server.log"
            with production.running(env, log) as server:
                checklists = procedures(server.port, accounts)
                bare = _measure(server.port, accounts, checklists, BARE_SECONDS, bare=True)
                load = _measure(server.port, accounts, checklists, SECONDS, bare=False)
                measured_log = log.read_text(errors="replace")
                backup = BackupDuringLoad(env, folder / "backups", after=RAMP + BACKUP_SECONDS / 3)
                with_backup = _measure(
                    server.port, accounts, checklists, BACKUP_SECONDS, bare=False, during=backup
                )
            told = folder / "told.json"
            told.write_text(json.dumps({"dossiers": load.told() + with_backup.told()}))
            integrity = production.site(env, "check", str(told))
            workers = production.gunicorn_settings(env)["workers"]
            _report(bare, load, integrity, measured_log, workers)
            backup.report(backup.restore_and_check(folder, server_url), with_backup)


class BackupDuringLoad:
    """`manage.py backup` taken during a second run of the load, then restored into an empty
    installation: every dossier acknowledged before the backup started must be there with
    its receive event (issue 11, "Done means")."""

    def __init__(self, env: dict, dest: Path, *, after: float):
        self.env, self.dest, self.after = env, dest, after
        self.before: list[dict] = []
        self.seconds = 0.0
        self.error = ""

    def __call__(self, results: "Results") -> None:
        time.sleep(self.after)
        with results.lock:
            self.before = list(results.acknowledged.values())
        started = time.perf_counter()
        try:
            production.manage(self.env, "backup", "--dest", str(self.dest))
        except RuntimeError as exc:
            self.error = str(exc)[-500:]
        self.seconds = time.perf_counter() - started

    def restore_and_check(self, folder: Path, server_url: str | None) -> dict:
        if self.error:
            return {"error": self.error}
        [path] = sorted(self.dest.glob("motcua-*"))
        place = folder / "restore"
        place.mkdir()
        with production.scratch_database(place, server_url, "motcua_restore") as url:
            env = production.environment(url, production.free_port(), {})
            env["MEDIA_ROOT"] = str(place / "media")
            production.manage(env, "migrate", "--noinput", "-v", "0")
            production.manage(env, "restore", str(path))
            told = place / "before.json"
            told.write_text(json.dumps({"dossiers": self.before}))
            return production.site(env, "present", str(told))

    def report(self, found: dict, load: "Results") -> None:
        rows = _table(load, KINDS)
        _print_table(f"the same load again with the backup taken ({load.elapsed:.0f} s):", rows)
        if "error" in found:
            print(f"   BACKUP DURING THE LOAD: FAILED: {found['error']}")
            return
        verdict = "complete" if not found["missing"] and not found["no_event"] else "INCOMPLETE"
        print(
            f"   BACKUP DURING THE LOAD (taken at {self.after - RAMP:.0f} s of the "
            f"{BACKUP_SECONDS:.0f} s after the ramp, {self.seconds:.1f} s, "
            f"restored into an empty installation): {len(self.before)} dossiers acknowledged "
            f"before it started, {found['restored']} dossiers in the restore; missing "
            f"{len(found['missing'])}, without their receive event {len(found['no_event'])}: "
            f"{verdict}"
        )


def _limits() -> dict[str, str]:
    return {
        "MOTCUA_TRACKING_IP_LIMIT": UNLIMITED,
        "MOTCUA_TRACKING_SECRET_LIMIT": UNLIMITED,
        "MOTCUA_TRACKING_SECRET_ADDRESS_LIMIT": UNLIMITED,
        "MOTCUA_ACCESS_LOG": "-",  # into the server's log, read by `server_times`
        "LOG_LEVEL": "INFO",  # gunicorn logs a worker's (re)start at info
    }


def procedures(port: int, accounts: dict) -> list[dict]:
    """Each procedure's checklist, as a counter application reads it from the API."""
    connection = Connection(port, accounts["clerks"][0]["token"])
    found = []
    for code in accounts["procedures"]:
        status, data = connection.call("GET", f"/api/v1/procedures/{code}")
        if status != 200:
            raise RuntimeError(f"GET /api/v1/procedures/{code}: {status} {data}")
        documents = [c["id"] for c in data["components"] if c["kind"] == "document"]
        found.append({"code": code, "components": documents})
    connection.close()
    return found


# --- The clients ------------------------------------------------------------------------------


class Connection:
    """One keep-alive connection with a clerk's token; a connection error raises OSError or
    http.client.HTTPException and leaves the connection to be opened again."""

    def __init__(self, port: int, token: str | None = None) -> None:
        self.port, self.token = port, token
        self.http: http.client.HTTPConnection | None = None

    def call(self, method: str, path: str, body: dict | None = None, key: str | None = None):
        if self.http is not None and _closed_by_server(self.http):
            self.close()
        if self.http is None:
            self.http = http.client.HTTPConnection(production.HOST, self.port, REQUEST_TIMEOUT)
        headers = {"Content-Type": "application/json"} if body is not None else {}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        if key:
            headers["Idempotency-Key"] = key
        payload = json.dumps(body).encode() if body is not None else None
        try:
            self.http.request(method, path, payload, headers)
            response = self.http.getresponse()
            raw = response.read()
        except (OSError, http.client.HTTPException):
            self.close()
            raise
        if response.getheader("Connection", "").lower() == "close":
            self.close()
        return response.status, _json(raw)

    def close(self) -> None:
        if self.http is not None:
            self.http.close()
            self.http = None


def _closed_by_server(connection: http.client.HTTPConnection) -> bool:
    """Whether the server has closed this idle keep-alive connection (gunicorn does after
    `keepalive` seconds): a sending client checks, as urllib3 does, rather than racing it."""
    if connection.sock is None:
        return False
    readable, _, _ = select.select([connection.sock], [], [], 0)
    return bool(readable)


def _json(raw: bytes):
    try:
        return json.loads(raw) if raw else None
    except ValueError:
        return None


@dataclass
class Record:
    kind: str
    status: int | None  # None: a connection error
    seconds: float
    error: str = ""
    started: float = 0.0  # time.monotonic() when it was sent


@dataclass
class Results:
    records: list[Record] = field(default_factory=list)
    acknowledged: dict[str, dict] = field(default_factory=dict)  # code -> what we were told
    elapsed: float = 0.0  # of the measured window
    measured_from: float = 0.0  # time.monotonic() at the end of the ramp
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, record: Record) -> None:
        with self.lock:
            self.records.append(record)

    def told(self) -> list[dict]:
        return list(self.acknowledged.values())

    def measured(self) -> list[Record]:
        return [r for r in self.records if r.started >= self.measured_from]

    def ramp(self) -> list[Record]:
        return [r for r in self.records if r.started < self.measured_from]


class Clerk:
    """One client thread's loop, on its own connection."""

    def __init__(self, n: int, port: int, accounts: dict, procedures: list[dict], results):
        self.connection = Connection(port, accounts["clerks"][n]["token"])
        self.agency = accounts["agency"]
        self.procedures, self.results = procedures, results
        self.rng = random.Random(20260309 + n)
        self.deadline = math.inf  # no request is sent after it

    def timed(self, kind: str, method: str, path: str, body=None, key=None):
        """The call, recorded; after a connection error, sent once more on a new one."""
        for attempt in range(2):
            if time.monotonic() >= self.deadline:
                break
            sent = time.monotonic()
            started = time.perf_counter()
            try:
                status, data = self.connection.call(method, path, body, key)
            except (OSError, http.client.HTTPException) as error:
                spent = time.perf_counter() - started
                self.results.add(Record(kind, None, spent, type(error).__name__, sent))
                if attempt:
                    return None, None
                continue
            self.results.add(Record(kind, status, time.perf_counter() - started, "", sent))
            return status, data
        return None, None

    def bare_loop(self, start: float, deadline: float) -> None:
        self.deadline = deadline
        time.sleep(max(0.0, start - time.monotonic()))
        for _ in range(MAX_ITERATIONS):
            if time.monotonic() >= deadline:
                break
            self.timed("healthz", "GET", "/healthz")
        self.connection.close()

    def loop(self, start: float, deadline: float) -> None:
        self.deadline = deadline
        time.sleep(max(0.0, start - time.monotonic()))
        for n in range(MAX_ITERATIONS):
            if time.monotonic() >= deadline:
                break
            self.one_dossier(n)
            if PAUSE:
                time.sleep(min(self.rng.uniform(0, 2 * PAUSE), max(0, deadline - time.monotonic())))
        self.connection.close()

    def one_dossier(self, n: int) -> None:
        phone = "09" + "".join(self.rng.choices("0123456789", k=8))
        told = self.receive(phone)
        if told is None:
            return
        code = told["code"]
        self.timed("read", "GET", f"/api/v1/dossiers/{code}")
        self.timed("list", "GET", "/api/v1/dossiers?page=1")
        if n % HAND_OVER_EVERY == 0:
            self.hand_over(told)
        self.timed("tracking", "GET", f"/api/v1/tracking/{code}?secret={phone[-4:]}")

    def receive(self, phone: str) -> dict | None:
        """A dossier received at the counter; what the clerk was told, None if refused."""
        key = uuid.uuid4().hex
        body, sent_key = self.body(key, phone), key if IDEMPOTENCY else None
        status, data = self.timed("receive", "POST", "/api/v1/dossiers", body, sent_key)
        if status != 201 or not data:
            return None
        told = {"code": data["code"], "key": key, "version": data["version"], "handed_over": False}
        with self.results.lock:
            self.results.acknowledged[told["code"]] = told
        return told

    def hand_over(self, told: dict) -> None:
        path = f"/api/v1/dossiers/{told['code']}/hand-over"
        status, _ = self.timed("hand-over", "POST", path, {"expected_version": told["version"]})
        told["handed_over"] = status == 200

    def body(self, key: str, phone: str) -> dict:
        procedure = self.rng.choice(self.procedures)
        return {
            "procedure": procedure["code"],
            "agency": self.agency,
            "subject": f"bench {key}",
            "applicant": {
                "type": "citizen",
                "name": "Nguyễn Văn An",
                "id_number": "0420" + "".join(self.rng.choices("0123456789", k=7)) + "1",
                "phone": phone,
            },
            "handed_in": [{"component_id": c, "originals": 1} for c in procedure["components"]],
        }


def _measure(
    port: int, accounts: dict, procedures: list[dict], seconds: float, *, bare: bool, during=None
):
    """The clients' loops: they join over RAMP seconds, then all run for `seconds`;
    `during(results)`, if given, runs meanwhile in a thread of its own (the backup)."""
    results = Results()
    clerks = [Clerk(n, port, accounts, procedures, results) for n in range(len(accounts["clerks"]))]
    now = time.monotonic()
    results.measured_from = now + RAMP
    deadline = results.measured_from + seconds
    threads = [
        threading.Thread(
            target=clerk.bare_loop if bare else clerk.loop,
            args=(now + RAMP * n / len(clerks), deadline),
        )
        for n, clerk in enumerate(clerks)
    ]
    if during is not None:
        threads.append(threading.Thread(target=during, args=(results,)))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    results.elapsed = time.monotonic() - results.measured_from
    return results


# --- The report -------------------------------------------------------------------------------


def _print_setup(env: dict, accounts: dict, prepared: float) -> None:
    vendor = "PostgreSQL" if production.is_postgres(env["DATABASE_URL"]) else "SQLite file (WAL)"
    config = production.gunicorn_settings(env)
    workers, threads = config["workers"], config["threads"]
    extra = [
        f"{name}={env[name]}"
        for name in ("MOTCUA_SQLITE_BUSY_TIMEOUT", "MOTCUA_MAX_REQUESTS", "MOTCUA_DB_POOL_MAX")
        if name in env
    ]
    print(
        f"   server: gunicorn -c deploy/gunicorn.conf.py (workers {workers}, threads {threads}"
        f"{', ' + ', '.join(extra) if extra else ''}), DEBUG off, {vendor}, demo data; "
        f"{len(accounts['clerks'])} clerks at {accounts['agency']}, "
        f"{len(accounts['procedures'])} procedures (prepared in {prepared:.0f} s)"
    )
    print(
        f"   clients: {len(accounts['clerks'])} threads, one keep-alive connection each; "
        f"joining over {RAMP:g} s; GET /healthz for {BARE_SECONDS:.0f} s, "
        f"then the counter loop for {SECONDS:.0f} s"
        f"{f', a pause of ~{PAUSE:g} s between dossiers' if PAUSE else ''}"
        f"{'' if IDEMPOTENCY else ', no Idempotency-Key'} (shared machine: figures are noisy)"
    )


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else 0.0


def _table(results: Results, kinds: list[str]) -> dict[str, dict]:
    by_kind: dict[str, list[Record]] = defaultdict(list)
    for record in results.measured():
        by_kind[record.kind].append(record)
    rows = {}
    for kind in kinds:
        records = by_kind.get(kind, [])
        answered = [r.seconds for r in records if r.status is not None]
        statuses = Counter(r.status // 100 for r in records if r.status is not None)
        rows[kind] = {
            "count": len(records),
            "rate": len(answered) / results.elapsed if results.elapsed else 0.0,
            "2xx": statuses[2],
            "4xx": statuses[4],
            "5xx": statuses[5],
            "errors": sum(r.status is None for r in records),
            "p50": _percentile(answered, 0.50),
            "p95": _percentile(answered, 0.95),
            "p99": _percentile(answered, 0.99),
            "max": max(answered, default=0.0),
        }
    return rows


def _print_table(title: str, rows: dict[str, dict]) -> None:
    print(f"   {title}")
    print(
        f"     {'':<10} {'req/s':>7} {'2xx':>7} {'4xx':>5} {'5xx':>5} {'conn.err':>8}"
        f" {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'max ms':>8}"
    )
    for kind, row in rows.items():
        print(
            f"     {kind:<10} {row['rate']:7.1f} {row['2xx']:7d} {row['4xx']:5d} {row['5xx']:5d}"
            f" {row['errors']:8d} {row['p50'] * 1e3:8.0f} {row['p95'] * 1e3:8.0f}"
            f" {row['p99'] * 1e3:8.0f} {row['max'] * 1e3:8.0f}"
        )


def _log_signs(text: str, workers: int) -> dict[str, int]:
    signs = {name: len(pattern.findall(text)) for name, pattern in LOG_SIGNS.items()}
    # After `max_requests` (MOTCUA_MAX_REQUESTS) a worker is replaced by a new one.
    signs["worker restarts"] -= workers
    return signs


def server_times(text: str) -> dict[str, list[float]]:
    """Seconds each request spent in a worker thread, by kind, from the access log's text."""
    times: dict[str, list[float]] = defaultdict(list)
    for match in ACCESS.finditer(text):
        for kind, method, pattern in KIND_OF_PATH:
            if match["method"] == method and pattern.search(match["path"]):
                times[kind].append(int(match["ms"]) / 1000)
                break
    return times


def _print_server_times(times: dict[str, list[float]]) -> None:
    """Beside the clients' latencies: what is not in here waited for a free thread."""
    parts = []
    for kind in ["healthz", *KINDS]:
        if times.get(kind):
            ms = [_percentile(times[kind], 0.5), _percentile(times[kind], 0.99), max(times[kind])]
            parts.append(f"{kind} " + "/".join(f"{v * 1e3:.0f}" for v in ms))
    print("   time inside the server (access log), p50/p99/max ms: " + ", ".join(parts))


def _report(bare: Results, load: Results, integrity: dict, log: str, workers: int) -> None:
    _print_table(f"bare endpoint, GET /healthz ({bare.elapsed:.0f} s):", _table(bare, ["healthz"]))
    rows = _table(load, KINDS)
    every = [r.seconds for r in load.measured() if r.status is not None]
    total = {
        "rate": len(every) / load.elapsed,
        "p99": _percentile(every, 0.99),
        # Errors count during the ramp too.
        "5xx": sum(r.status is not None and r.status >= 500 for r in load.records),
        "errors": sum(r.status is None for r in load.records),
    }
    ramp = [r.seconds for r in load.ramp() if r.status is not None]
    print(
        f"   ramp-up, the clients joining over {RAMP:g} s (not in the figures below): "
        f"{len(ramp)} requests, p50/p99/max {_percentile(ramp, 0.5) * 1e3:.0f}/"
        f"{_percentile(ramp, 0.99) * 1e3:.0f}/{max(ramp, default=0) * 1e3:.0f} ms"
    )
    _print_table(f"counter loop, every client running ({load.elapsed:.0f} s):", rows)
    print(
        f"     all        {total['rate']:7.1f} req/s, p99 {total['p99'] * 1e3:.0f} ms; "
        f"dossiers acknowledged {len(load.acknowledged)} "
        f"({len(load.acknowledged) / load.elapsed:.1f}/s)"
    )
    failures = Counter(
        (r.kind, r.error or str(r.status))
        for r in load.records  # the ramp's too
        if r.status is None or r.status >= 500
    )
    if failures:
        print(
            "   failures: " + ", ".join(f"{k} {e} x{n}" for (k, e), n in sorted(failures.items()))
        )
    _print_server_times(server_times(log))
    signs = _log_signs(log, workers)
    print("   server log: " + ", ".join(f"{k} {v}" for k, v in signs.items()))
    _print_integrity(integrity)
    _print_verdict(rows, total, integrity)


def _print_integrity(found: dict) -> None:
    tallies = found["tallies"]
    print(
        f"   INTEGRITY CHECK: {found['acknowledged']} acknowledged, {found['stored']} stored "
        f"({len(found['unacknowledged_stored'])} stored but never acknowledged); "
        f"lost {len(found['lost'])}, half-written {len(found['half_written'])}, "
        f"duplicate codes {len(found['duplicate_codes'])}, dossiers made twice for one "
        f"request {len(found['duplicate_requests'])}, agency-days with gaps "
        f"{len(found['gaps'])}; tallies {'equal to' if tallies['equal'] else 'DIFFER from'} "
        f"a rebuild ({tallies['day_rows']} day rows, {tallies['month_rows']} month rows"
        f"{'' if tallies['equal'] else ', differing: ' + str(tallies['rows_differing'])})"
    )
    for name in ("lost", "half_written", "duplicate_codes", "duplicate_requests"):
        if found[name]:
            print(f"     {name}: {found[name][:10]}")
    if found["gaps"]:
        print(f"     gaps: {dict(list(found['gaps'].items())[:5])}")


def _print_verdict(rows: dict, total: dict, integrity: dict) -> None:
    worst = max(rows, key=lambda kind: rows[kind]["p99"])
    duplicates = len(integrity["duplicate_codes"]) + len(integrity["duplicate_requests"])
    sound = not (integrity["half_written"] or integrity["gaps"]) and integrity["tallies"]["equal"]
    failed = [
        text
        for text, bad in [
            (f"{total['5xx']} 5xx", total["5xx"]),
            (f"{len(integrity['lost'])} lost", integrity["lost"]),
            (f"{duplicates} duplicates", duplicates),
            (f"p99 of {worst} {rows[worst]['p99']:.2f} s", rows[worst]["p99"] >= GOAL_P99),
            ("integrity", not sound),
        ]
        if bad
    ]
    verdict = "MET" if not failed else "NOT MET (" + ", ".join(failed) + ")"
    print(
        f"   VERDICT (goal: 0 5xx, 0 lost, 0 duplicates, p99 < 1 s for every kind): {verdict}; "
        f"{total['errors']} connection errors"
    )
