"""The production server on a scratch database, for the load bench (bench/bench_load.py) and
the crash test (motcua/runtime/tests/test_crash_recovery.py).

The server is what a deployment runs: gunicorn with deploy/gunicorn.conf.py serving
motcua.wsgi, DEBUG off. It runs in a process group of its own, so that it can be stopped,
or killed with SIGKILL as by a crash (`Server.kill`), master and workers together.
The database is a SQLite file in a temporary folder, or, when DATABASE_URL names a
PostgreSQL server, a new database on that server, dropped afterwards. Everything that
touches it runs in a subprocess with the server's environment (`manage`, `site`): the
project's own database and the test database are never used.
"""

import http.client
import json
import os
import runpy
import secrets
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any
from unittest import mock
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"
POSTGRES_SCHEMES = ("postgres", "postgresql", "pgsql")


def is_postgres(url: str | None) -> bool:
    return bool(url) and url.startswith(POSTGRES_SCHEMES)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


# --- The scratch database ---------------------------------------------------------------------


@contextmanager
def scratch_database(folder: Path, server_url: str | None, prefix: str) -> Iterator[str]:
    """The DATABASE_URL of an empty database: a SQLite file in `folder`, or a new database
    on the PostgreSQL server of `server_url` (dropped on the way out)."""
    if not is_postgres(server_url):
        yield f"sqlite:///{folder / 'scratch.sqlite3'}"
        return
    assert server_url is not None
    name = f"{prefix}_{secrets.token_hex(4)}"
    _postgres(server_url, f'CREATE DATABASE "{name}"')
    try:
        parts = urlsplit(server_url)
        yield urlunsplit(parts._replace(path=f"/{name}"))
    finally:
        _postgres(server_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _postgres(server_url: str, statement: str) -> None:
    import psycopg

    parts = urlsplit(server_url)
    # The maintenance database, not the one DATABASE_URL names: that one may be in use.
    url = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute(statement)


# --- Subprocesses with the server's environment -----------------------------------------------


def environment(database_url: str, port: int, extra: dict[str, str] | None = None) -> dict:
    """The deployment's settings (README "Configuration") on the scratch database; other
    MOTCUA_* settings (MOTCUA_WORKERS, MOTCUA_THREADS...) pass through from the caller's
    environment, `extra` last."""
    env = dict(os.environ)
    env.update(
        DEBUG="false",
        SECRET_KEY=secrets.token_urlsafe(48),
        ALLOWED_HOSTS=HOST,
        MOTCUA_BIND=f"{HOST}:{port}",
        DATABASE_URL=database_url,
        DJANGO_SETTINGS_MODULE="motcua.settings",
        PYTHONPATH=str(ROOT),
    )
    env.update(extra or {})
    return env


def gunicorn_settings(env: dict) -> dict[str, Any]:
    """deploy/gunicorn.conf.py's values under `env` (its defaults depend on the database)."""
    with mock.patch.dict(os.environ, env, clear=True):
        return runpy.run_path(str(ROOT / "deploy" / "gunicorn.conf.py"))


def manage(env: dict, *args: str, timeout: float = 600) -> str:
    return _run([sys.executable, "manage.py", *args], env, timeout)


def site(env: dict, action: str, *args: str, timeout: float = 600) -> Any:
    """`python -m bench.load_site action args...` with the scratch environment; its JSON."""
    return json.loads(_run([sys.executable, "-m", "bench.load_site", action, *args], env, timeout))


def _run(command: list[str], env: dict, timeout: float) -> str:
    done = subprocess.run(
        command, env=env, cwd=ROOT, capture_output=True, text=True, timeout=timeout
    )
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(command[1:])} failed:\n{done.stderr[-3000:]}")
    return done.stdout


# --- The server -------------------------------------------------------------------------------


class Server:
    """gunicorn -c deploy/gunicorn.conf.py motcua.wsgi, in its own process group, its output
    appended to `log`."""

    def __init__(self, env: dict, log: Path) -> None:
        self.env, self.log = env, log
        self.port = int(env["MOTCUA_BIND"].rsplit(":", 1)[1])
        self.process: subprocess.Popen | None = None

    def start(self, timeout: float = 60) -> None:
        command = [sys.executable, "-m", "gunicorn", "-c", "deploy/gunicorn.conf.py"]
        with open(self.log, "ab") as out:
            self.process = subprocess.Popen(
                [*command, "motcua.wsgi"],
                env=self.env,
                cwd=ROOT,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        self._wait_until_healthy(timeout)

    def _wait_until_healthy(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            assert self.process is not None
            if self.process.poll() is not None:
                raise RuntimeError(f"the server exited; its log:\n{self.tail()}")
            if health(self.port) == 200:
                return
            time.sleep(0.1)
        raise RuntimeError(f"the server did not answer in {timeout} s; its log:\n{self.tail()}")

    def stop(self) -> None:
        """SIGTERM (gunicorn finishes the requests in flight), SIGKILL if that takes long."""
        self._signal(signal.SIGTERM)
        try:
            self._wait(35)
        except subprocess.TimeoutExpired:
            self.kill()

    def kill(self) -> None:
        """SIGKILL to the master and every worker at once, as a power cut."""
        self._signal(signal.SIGKILL)
        self._wait(10)

    def _signal(self, number: int) -> None:
        if self.process is None:
            return
        with suppress(ProcessLookupError):
            os.killpg(self.process.pid, number)

    def _wait(self, timeout: float) -> None:
        if self.process is not None:
            self.process.wait(timeout=timeout)
            _wait_group_gone(self.process.pid, timeout)

    def tail(self, characters: int = 3000) -> str:
        return self.log.read_text(errors="replace")[-characters:] if self.log.exists() else ""


def _wait_group_gone(group: int, timeout: float) -> None:
    """Workers may outlive the master by a moment, holding the database and the port."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and _alive_in_group(group):
        time.sleep(0.05)


def _alive_in_group(group: int) -> bool:
    """Whether a process of `group` still runs. Workers orphaned by the master's death stay
    zombies until init reaps them, which may take a while; a zombie holds no file, socket or
    lock, so it does not count (read from /proc on Linux; elsewhere any member counts)."""
    proc = Path("/proc")
    if not (proc / "self" / "stat").exists():
        try:
            os.killpg(group, 0)
        except ProcessLookupError:
            return False
        return True
    for stat in proc.glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rpartition(")")[2].split()
        except OSError:
            continue  # gone meanwhile
        if int(fields[2]) == group and fields[0] != "Z":
            return True
    return False


@contextmanager
def running(env: dict, log: Path) -> Iterator[Server]:
    server = Server(env, log)
    try:
        server.start()
        yield server
    finally:
        server.stop()
        server.kill()  # nothing left of the group, whatever happened


def health(port: int) -> int | None:
    """The status of GET /healthz, or None when nothing answers."""
    connection = http.client.HTTPConnection(HOST, port, timeout=5)
    try:
        connection.request("GET", "/healthz")
        return connection.getresponse().status
    except OSError:
        return None
    finally:
        connection.close()
