"""A throwaway database for one benchmark: Django's test database, on SQLite as a file in a
temporary folder of its own (WAL, as deployed, rather than the in-memory test default), on
PostgreSQL on the server of DATABASE_URL; destroyed afterwards. Every benchmark that needs a
database in this process takes one here, so that none sees what another left: `make bench`
runs them one after the other in one process."""

import hashlib
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.db import connection


@contextmanager
def scratch_database(prefix: str) -> Iterator[str]:
    """Yields what the figures were measured on, for the report's heading."""
    with tempfile.TemporaryDirectory(prefix=prefix) as folder:
        test_settings = connection.settings_dict.setdefault("TEST", {})
        previous_name = test_settings.get("NAME")
        if connection.vendor == "sqlite":
            test_settings["NAME"] = str(Path(folder) / "bench.sqlite3")
        old_name = connection.creation.create_test_db(
            verbosity=0, autoclobber=True, serialize=False
        )
        try:
            yield "SQLite file (WAL)" if connection.vendor == "sqlite" else connection.vendor
        finally:
            try:
                connection.creation.destroy_test_db(old_name, verbosity=0)
            except FileNotFoundError:  # the folder goes anyway; never hide the bench's error
                connection.settings_dict["NAME"] = old_name
            test_settings["NAME"] = previous_name


# --- Large databases, built once and kept ------------------------------------------------------

KEPT = Path(__file__).resolve().parent.parent / "var" / "bench"


def source_key(sources: list[str], *extra: object) -> str:
    """A short digest of the files under `sources` (paths from the repository's root, tests
    left out) and of `extra`: what a kept database is built from."""
    root = KEPT.parent.parent
    digest = hashlib.sha256(" ".join(map(str, extra)).encode())
    for source in sources:
        path = root / source
        files = [path] if path.is_file() else sorted(path.rglob("*"))
        for file in files:
            if file.is_file() and not {"__pycache__", "tests"} & set(file.parts):
                digest.update(str(file.relative_to(root)).encode())
                digest.update(file.read_bytes())
    return digest.hexdigest()[:12]


@contextmanager
def kept_database(name: str, build: Callable[[], None]) -> Iterator[str]:
    """On SQLite, the file var/bench/<name>.sqlite3 (name it after what it holds and its
    source_key), built by `build` the first time, in a migrated empty database, and kept for
    the next runs (other files of the same stem before the key are removed); migrations added
    since are applied. The benchmark must only read it. On PostgreSQL, a scratch database
    built every time."""
    if connection.vendor != "sqlite":
        with scratch_database("motcua-bench-") as where:
            build()
            yield where
        return
    path = KEPT / f"{name}.sqlite3"
    if not path.exists():
        KEPT.mkdir(parents=True, exist_ok=True)
        for old in KEPT.glob(f"{name.rsplit('-', 1)[0]}-*.sqlite3*"):
            old.unlink()
        _build_kept(path, build)
    previous = connection.settings_dict["NAME"]
    connection.close()
    connection.settings_dict["NAME"] = str(path)
    try:
        call_command("migrate", verbosity=0)
        yield f"SQLite file (WAL), kept in var/bench/{path.name}"
    finally:
        connection.close()
        connection.settings_dict["NAME"] = previous


def _build_kept(path: Path, build: Callable[[], None]) -> None:
    building = path.with_suffix(".building")
    for leftover in KEPT.glob(building.name + "*"):
        leftover.unlink()
    test_settings = connection.settings_dict.setdefault("TEST", {})
    previous_test, previous = test_settings.get("NAME"), connection.settings_dict["NAME"]
    test_settings["NAME"] = str(building)
    try:
        connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
        build()
    finally:
        connection.close()  # checkpoints the WAL into the file
        connection.settings_dict["NAME"] = settings.DATABASES[connection.alias]["NAME"] = previous
        test_settings["NAME"] = previous_test
    building.rename(path)
