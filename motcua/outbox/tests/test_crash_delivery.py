"""A notification written in a transition survives kill -9 of the worker and of the server at
any moment and reaches an idempotent consumer exactly once (issue 12 §1, "Done means").

The production server (gunicorn, bench/production.py) and real `manage.py run_worker`
processes run on a scratch database (a SQLite file, or under scripts/with-postgres a new
PostgreSQL database) with the crash settings (crash_settings.py): each receipt of a dossier
writes, in its own transaction, an outbox message that the worker delivers to a fake SMS
gateway (fake_gateway.py, a SQLite file of its own that sends each key once and refuses a
fifth of the calls). Clerks receive dossiers over HTTP while the workers are killed with
SIGKILL again and again; then the server and the workers are killed together in the middle
of the writes, started again, and more dossiers are received. Once the workers have drained
the outbox:

- every receipt that committed has exactly one message, and every message its receipt
  (the message is in the receipt's transaction: neither exists without the other);
- every message is delivered, and the gateway sent each exactly once, nothing else;
- every dossier acknowledged to a clerk is among them.

On PostgreSQL two workers run side by side (one on SQLite, as deployed). The lease is 2 s and
the backoff short, so that messages held by a killed worker come back quickly.
"""

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from contextlib import suppress
from pathlib import Path

from bench import production
from bench.bench_load import Clerk, Results, procedures
from motcua.outbox.tests.fake_gateway import TOPIC

WRITERS = 3
PHONE = "0912345678"
WORKER_KILLS = 6  # kill -9 of a worker while clerks write, before the whole stack is killed
AFTER_RESTART = 6  # receipts per writer once everything was started again
DRAIN_SECONDS = 120
POSTGRES = production.is_postgres(os.environ.get("DATABASE_URL"))
SETTINGS = {
    "DJANGO_SETTINGS_MODULE": "motcua.outbox.tests.crash_settings",
    "MOTCUA_FAKE_GATEWAY_FAILURES": "0.2",
    "MOTCUA_FAKE_GATEWAY_DELAY": "0.05",
    "MOTCUA_OUTBOX_LEASE_SECONDS": "2",
    "MOTCUA_OUTBOX_BACKOFF_BASE": "0.2",
    "MOTCUA_OUTBOX_BACKOFF_CAP": "1",
    "MOTCUA_OUTBOX_MAX_ATTEMPTS": "100",
    **({"MOTCUA_WORKERS": "2"} if POSTGRES else {}),
}


class WorkerProcess:
    """`manage.py run_worker` in a process group of its own, its output appended to `log`."""

    def __init__(self, env: dict, log: Path) -> None:
        self.env, self.log = env, log
        self.process: subprocess.Popen | None = None
        self.kills = 0

    def start(self) -> None:
        command = [sys.executable, "manage.py", "run_worker", "--interval", "0.1"]
        with open(self.log, "ab") as out:
            self.process = subprocess.Popen(
                command,
                env=self.env,
                cwd=production.ROOT,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def kill(self) -> None:
        self._signal(signal.SIGKILL)
        self.kills += 1

    def stop(self) -> None:
        self._signal(signal.SIGTERM)
        try:
            self._wait()
        except subprocess.TimeoutExpired:
            self._signal(signal.SIGKILL)

    def _signal(self, number: int) -> None:
        if self.process is None:
            return
        with suppress(ProcessLookupError):
            os.killpg(self.process.pid, number)
        self._wait()

    def _wait(self) -> None:
        assert self.process is not None
        self.process.wait(timeout=20)


def _write(clerk: Clerk, stop: threading.Event, count: int | None = None) -> None:
    """Receipts until the server is gone (or `count` of them)."""
    n = 0
    while not stop.is_set() and (count is None or n < count):
        if clerk.receive(PHONE) is None:
            return  # refused or unreachable: the server was killed
        n += 1


def _clerks(server: production.Server, accounts: dict, results: Results) -> list[Clerk]:
    checklists = procedures(server.port, accounts)
    return [Clerk(n, server.port, accounts, checklists, results) for n in range(WRITERS)]


def _threads(target, clerks: list[Clerk], *args) -> list[threading.Thread]:
    threads = [threading.Thread(target=target, args=(clerk, *args)) for clerk in clerks]
    for thread in threads:
        thread.start()
    return threads


def _chaos(server, workers: list[WorkerProcess], accounts: dict, results: Results, gateway) -> None:
    """Clerks write; workers are killed and restarted, every other time at a random moment,
    otherwise right after one sent a message (before it could record the delivery); then the
    server and every worker are killed at once, mid-writes."""
    stop = threading.Event()
    threads = _threads(_write, _clerks(server, accounts, results), stop)
    dice = random.Random()
    try:
        for n in range(WORKER_KILLS):
            time.sleep(dice.uniform(0.3, 1.5))
            victim = (_sender(workers, gateway) if n % 2 else None) or dice.choice(workers)
            victim.kill()
            victim.start()
        time.sleep(dice.uniform(0.2, 1.0))
        server.kill()
        for worker in workers:
            worker.kill()
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=60)


def _sender(
    workers: list[WorkerProcess], gateway: Path, timeout: float = 5
) -> WorkerProcess | None:
    """The worker that sends the next message, as soon as it has sent it (the gateway then
    lingers MOTCUA_FAKE_GATEWAY_DELAY before the worker records the delivery)."""

    def last() -> tuple[int, int]:
        with suppress(sqlite3.Error):
            found = _read(gateway, "SELECT rowid, pid FROM sent ORDER BY rowid DESC LIMIT 1")
            return found[0] if found else (0, 0)
        return (0, 0)

    before, deadline = last()[0], time.monotonic() + timeout
    while time.monotonic() < deadline:
        row, pid = last()
        if row > before:
            return next((w for w in workers if w.process and w.process.pid == pid), None)
        time.sleep(0.005)
    return None


def _read(path: Path, sql: str) -> list[tuple]:
    connection = sqlite3.connect(path, timeout=5)
    try:
        return connection.execute(sql).fetchall()
    finally:
        connection.close()


def _state(env: dict) -> dict:
    done = subprocess.run(
        [sys.executable, "-m", "motcua.outbox.tests.crash_site"],
        env=env,
        cwd=production.ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout)


def _drained(env: dict) -> dict:
    deadline = time.monotonic() + DRAIN_SECONDS
    while True:
        state = _state(env)
        waiting = [k for k, (s, _) in state["messages"].items() if s != "delivered"]
        if not waiting or time.monotonic() > deadline:
            return state
        time.sleep(1)


def _gateway(path: Path) -> dict[str, list[str]]:
    """The keys of the gateway's calls, refusals and sendings."""
    tables = ("attempts", "refused", "sent")
    return {table: [key for (key,) in _read(path, f"SELECT key FROM {table}")] for table in tables}


def test_a_notification_survives_kill_9_and_is_delivered_exactly_once(tmp_path):
    gateway = tmp_path / "gateway.sqlite3"
    settings = {**SETTINGS, "MOTCUA_FAKE_GATEWAY": str(gateway)}
    with production.scratch_database(
        tmp_path, os.environ.get("DATABASE_URL"), "motcua_outbox"
    ) as url:
        env = production.environment(url, production.free_port(), settings)
        accounts = production.site(env, "small", str(WRITERS))  # migrates first
        results = Results()
        workers = [WorkerProcess(env, tmp_path / f"worker{n}.log") for n in range(1 + POSTGRES)]
        with production.running(env, tmp_path / "server.log") as server:
            for worker in workers:
                worker.start()
            _chaos(server, workers, accounts, results, gateway)
            killed_at = len(results.acknowledged)
            server.start()
            for worker in workers:
                worker.start()
            clerks = _clerks(server, accounts, results)
            for thread in _threads(_write, clerks, threading.Event(), AFTER_RESTART):
                thread.join(timeout=120)
            for clerk in clerks:
                clerk.connection.close()
            state = _drained(env)
        for worker in workers:
            worker.stop()
    calls = _gateway(gateway)
    sent, attempts = calls["sent"], calls["attempts"]
    expected = {f"{TOPIC}:{event}" for event in state["events"]}
    acknowledged = set(results.acknowledged)

    assert killed_at >= WRITERS and sum(w.kills for w in workers) == WORKER_KILLS + len(workers)
    assert len(acknowledged) == killed_at + WRITERS * AFTER_RESTART
    assert acknowledged <= set(state["events"].values())  # every acknowledged receipt is there
    assert set(state["messages"]) == expected  # a message per receipt, a receipt per message
    assert {s for s, _ in state["messages"].values()} == {"delivered"}
    assert sorted(sent) == sorted(expected)  # each sent exactly once (the key is unique)
    assert set(attempts) == expected and len(attempts) >= len(sent)
    again = len(attempts) - len(calls["refused"]) - len(sent)
    print(
        f"\n{len(expected)} receipts, {len(attempts)} gateway calls: {len(sent)} sent, "
        f"{len(calls['refused'])} refused (retried), {again} deliveries again of a message "
        f"already sent (a worker killed before it recorded the delivery; ignored by the "
        f"gateway), {sum(w.kills for w in workers)} kill -9 of a worker"
    )
