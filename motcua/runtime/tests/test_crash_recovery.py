"""The production server killed with SIGKILL in the middle of writes, as by the OOM killer
or a crash, and started again: every dossier it acknowledged is there with its events,
nothing is half-written, and it serves again. (A power cut also loses what the operating
system had not yet written to disk; that is SQLite's synchronous=FULL and PostgreSQL's
fsync, not tested here: the suite's PostgreSQL server runs with fsync off.)

The server is another process (gunicorn with deploy/gunicorn.conf.py, bench/production.py)
on a database of its own: a SQLite file, or under scripts/with-postgres a new database on
the suite's PostgreSQL server. The test database of pytest-django is not used; the scratch
database is read afterwards by a subprocess with the server's settings (bench/load_site.py
`check`). About 11-14 s per database on a quiet machine (30-50 s when other work shares
the cores), a third of it `migrate`, most of the rest booting the server twice.
"""

import json
import os
import threading
import time

from bench import production
from bench.bench_load import Clerk, Results, procedures

WRITERS = 4
BEFORE_KILL = 24  # acknowledged receipts before the kill (the writers keep writing)
MAX_WRITES = 200  # per writer: a bound beside the kill
PHONE = "0912345678"
# The deployed configuration, except that on PostgreSQL two processes rather than one per
# core and one: still several writers in parallel, and booting them stays quick.
SERVER = {"MOTCUA_WORKERS": "2"} if production.is_postgres(os.environ.get("DATABASE_URL")) else {}


def _write(clerk: Clerk, stop: threading.Event) -> None:
    """Receipts, every other one handed over, until the server is gone."""
    for n in range(MAX_WRITES):
        if stop.is_set():
            return
        told = clerk.receive(PHONE)
        if told is None:
            return  # refused or unreachable: the server was killed
        if n % 2:
            clerk.hand_over(told)


def _kill_during_writes(server: production.Server, accounts: dict, results: Results) -> None:
    checklists = procedures(server.port, accounts)
    clerks = [Clerk(n, server.port, accounts, checklists, results) for n in range(WRITERS)]
    stop = threading.Event()
    writers = [threading.Thread(target=_write, args=(clerk, stop)) for clerk in clerks]
    for writer in writers:
        writer.start()
    try:
        deadline = time.monotonic() + 20
        while len(results.acknowledged) < BEFORE_KILL and time.monotonic() < deadline:
            time.sleep(0.02)
        server.kill()
    finally:
        stop.set()
        for writer in writers:
            writer.join(timeout=60)


def test_acknowledged_writes_survive_a_kill_9_of_the_whole_server(tmp_path):
    server_url = os.environ.get("DATABASE_URL")
    with production.scratch_database(tmp_path, server_url, "motcua_crash") as url:
        env = production.environment(url, production.free_port(), SERVER)
        accounts = production.site(env, "small", str(WRITERS))  # migrates first
        results = Results()
        with production.running(env, tmp_path / "server.log") as server:
            _kill_during_writes(server, accounts, results)
            killed_at = len(results.acknowledged)
            assert server.process is not None and server.process.returncode == -9
            server.start()  # waits for GET /healthz 200
            after = Clerk(0, server.port, accounts, procedures(server.port, accounts), results)
            assert after.receive(PHONE) is not None, server.tail()
            after.connection.close()  # else the server waits for it to stop
        told = tmp_path / "told.json"
        told.write_text(json.dumps({"dossiers": results.told()}))
        found = production.site(env, "check", str(told))

    assert killed_at >= BEFORE_KILL, "the server acknowledged too little before the kill"
    assert found["lost"] == []
    assert found["half_written"] == []
    assert found["duplicate_codes"] == [] and found["duplicate_requests"] == []
    assert found["gaps"] == {}
    assert found["tallies"]["equal"], found["tallies"]
    assert found["acknowledged"] == killed_at + 1
