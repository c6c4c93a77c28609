"""PostgreSQL: the dump with pg_dump, the checks with pg_restore --list, the restore with
pg_restore.

The dump is taken in a snapshot exported by our own REPEATABLE READ transaction
(`pg_dump --snapshot`), so the counts and the file list written in the manifest are those of
the dump itself, while clerks keep writing. The connection's parts (host, port, user,
password, database, TLS options) reach pg_dump and pg_restore as libpq environment
variables, never on the command line, where other users of the machine could read them.
"""

import glob
import os
import shutil
import subprocess
from functools import cache
from pathlib import Path
from typing import Any

import psycopg
from django.utils.translation import gettext as _
from psycopg import pq, sql

from .contents import Contents, read_contents
from .errors import BackupError

NAME = "postgresql"
FILE = "database.pgdump"
# Django's DATABASES keys as libpq parameters; OPTIONS may hold any other libpq parameter
# (dj-database-url puts ?host=/run/postgresql there), besides Django's own ("pool"...).
SETTINGS_KEYS = {
    "NAME": "dbname",
    "USER": "user",
    "PASSWORD": "password",
    "HOST": "host",
    "PORT": "port",
}


@cache
def libpq_environment() -> dict[str, str]:
    """libpq parameter -> its environment variable (PGHOST, PGPASSWORD, PGSSLMODE...)."""
    return {
        option.keyword.decode(): option.envvar.decode()
        for option in pq.Conninfo.get_defaults()
        if option.envvar
    }


def libpq_parameters(spec: dict[str, Any]) -> dict[str, str]:
    """The connection's libpq parameters, as Django gives them to psycopg: the OPTIONS that
    libpq knows, overridden by NAME, USER, PASSWORD, HOST and PORT when set."""
    known = libpq_environment()
    values = {key: value for key, value in (spec.get("OPTIONS") or {}).items() if key in known}
    values.update({libpq: spec[key] for key, libpq in SETTINGS_KEYS.items() if spec.get(key)})
    return {key: str(value) for key, value in values.items() if value not in (None, "")}


def environment(spec: dict[str, Any]) -> dict[str, str]:
    """This process's environment plus the connection's parameters as libpq variables, for
    pg_dump and pg_restore."""
    env = dict(os.environ)
    variables = libpq_environment()
    env.update({variables[key]: value for key, value in libpq_parameters(spec).items()})
    env["PGAPPNAME"] = "motcua-backup"
    return env


def connect(spec: dict[str, Any]) -> psycopg.Connection:
    return psycopg.connect(**libpq_parameters(spec))


def find_tool(name: str) -> str:
    """pg_dump or pg_restore: on PATH, else in `pg_config --bindir`, else the newest Debian
    server version's folder."""
    found = shutil.which(name)
    if found:
        return found
    folders = []
    pg_config = shutil.which("pg_config")
    if pg_config:
        run = subprocess.run([pg_config, "--bindir"], capture_output=True, text=True)
        folders.append(run.stdout.strip())
    folders += sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=_version, reverse=True)
    for folder in folders:
        candidate = Path(folder) / name
        if folder and os.access(candidate, os.X_OK):
            return str(candidate)
    raise BackupError(
        "tool_missing",
        _("%(tool)s was not found (install the PostgreSQL client, Debian: postgresql-client).")
        % {"tool": name},
    )


def _version(folder: str) -> float:
    try:
        return float(Path(folder).parent.name)
    except ValueError:
        return 0.0


def _run(command: list[str], spec: dict[str, Any]) -> None:
    done = subprocess.run(command, env=environment(spec), capture_output=True, text=True)
    if done.returncode != 0:
        raise BackupError(
            "tool_failed",
            _("%(tool)s failed (exit code %(code)s): %(error)s")
            % {
                "tool": Path(command[0]).name,
                "code": done.returncode,
                "error": done.stderr.strip()[-2000:],
            },
        )


def _tables(connection: psycopg.Connection) -> set[str]:
    rows = connection.execute(
        "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()"
    ).fetchall()
    return {row[0] for row in rows}


def _connect_or_fail(spec: dict[str, Any]) -> psycopg.Connection:
    try:
        return connect(spec)
    except psycopg.Error as error:
        raise BackupError(
            "database_unreachable",
            _("Cannot connect to the database: %(error)s") % {"error": error},
        ) from error


def dump(spec: dict[str, Any], target: Path) -> Contents:
    """pg_dump --format=custom of the database into `target`; what the dump holds."""
    tool = find_tool("pg_dump")
    with _connect_or_fail(spec) as connection:
        connection.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        snapshot = connection.execute("SELECT pg_export_snapshot()").fetchone()[0]
        contents = read_contents(connection.cursor(), _tables(connection))
        command = [tool, "--format=custom", f"--snapshot={snapshot}", "--no-password"]
        _run([*command, f"--file={target}"], spec)
        connection.rollback()
    return contents


def check(path: Path) -> None:
    """pg_restore can read the dump's table of contents."""
    _run([find_tool("pg_restore"), "--list", str(path)], {})


def target_contents(spec: dict[str, Any]) -> Contents:
    with _connect_or_fail(spec) as connection:
        return read_contents(connection.cursor(), _tables(connection))


def _clear(spec: dict[str, Any]) -> None:
    """An empty but migrated database still has its tables: start from an empty schema."""
    with _connect_or_fail(spec) as connection:
        if _tables(connection):
            schema = connection.execute("SELECT current_schema()").fetchone()[0]
            connection.execute(sql.SQL("DROP SCHEMA {} CASCADE").format(sql.Identifier(schema)))
            connection.execute(sql.SQL("CREATE SCHEMA {}").format(sql.Identifier(schema)))


def restore(spec: dict[str, Any], source: Path, moment: object = None) -> None:
    """pg_restore the dump into the database, in one transaction: it restores all or nothing.
    Objects belong to the user restoring (the application's database user)."""
    _clear(spec)
    tool = find_tool("pg_restore")
    options = ["--no-owner", "--no-acl", "--exit-on-error", "--single-transaction"]
    _run([tool, *options, "--no-password", f"--dbname={spec['NAME']}", str(source)], spec)
