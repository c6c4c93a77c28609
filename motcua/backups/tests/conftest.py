"""Installations to back up and to restore into, on the engine the suite runs on.

SQLite: the suite's test database is in memory, which is not what a commune runs and cannot
be copied while another thread writes. `live` copies it (migrated, with whatever the test's
fixtures put in it so far) to a file in WAL mode and points Django's connection in this
thread at that file for the test; `thread_database` does the same in another thread.
PostgreSQL: `live` is the test database itself, and `empty_installation` a new database on
the same server, dropped afterwards.
"""

import sqlite3
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.db import connection, connections
from django.db.backends.sqlite3.base import DatabaseWrapper
from psycopg import sql

from motcua.backups import postgres_dumps
from motcua.backups.services import Installation
from motcua.testing.files import blank_pdf

PDF = blank_pdf()  # a real PDF: scans of documents are read (registry.quality)


def is_sqlite() -> bool:
    return connection.vendor == "sqlite"


@pytest.fixture
def media_root(tmp_path, settings) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MEDIA_ROOT.mkdir()
    return settings.MEDIA_ROOT


@pytest.fixture
def backup_root(tmp_path) -> Path:
    return tmp_path / "backups"


@pytest.fixture
def live(transactional_db, tmp_path, media_root) -> Iterator[Installation]:
    if not is_sqlite():
        yield Installation(connection.settings_dict, media_root)
        return
    path = tmp_path / "live.sqlite3"
    original = connections["default"]
    original.ensure_connection()
    with sqlite3.connect(path) as copy:
        original.connection.backup(copy)
    copy.close()
    wrapper = DatabaseWrapper({**original.settings_dict, "NAME": str(path)}, "default")
    connections["default"] = wrapper
    try:
        yield Installation(wrapper.settings_dict, media_root)
    finally:
        wrapper.close()
        connections["default"] = original


@contextmanager
def thread_database(installation: Installation) -> Iterator[None]:
    """Django's connection in this (new) thread goes to the installation's database."""
    if is_sqlite():
        connections["default"] = DatabaseWrapper(installation.database, "default")
    try:
        yield
    finally:
        connections.close_all()


@pytest.fixture
def new_installation(tmp_path, live) -> Iterator[Callable[[], Installation]]:
    """Makes new installations with nothing in them: no database file (SQLite) or a new,
    empty database on the same server (PostgreSQL, dropped afterwards), and no files."""
    databases: list[str] = []

    def make() -> Installation:
        suffix = f"restored{len(databases) + 1}"
        databases.append(f"{live.database['NAME']}_{suffix}_{uuid.uuid4().hex[:8]}")
        media = tmp_path / f"{suffix}-media"
        if is_sqlite():
            return Installation(
                {**live.database, "NAME": str(tmp_path / f"{suffix}.sqlite3")}, media
            )
        _admin(live, sql.SQL("CREATE DATABASE {}").format(sql.Identifier(databases[-1])))
        return Installation({**live.database, "NAME": databases[-1]}, media)

    yield make
    for name in databases if not is_sqlite() else []:
        _admin(
            live, sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )


@pytest.fixture
def empty_installation(new_installation) -> Installation:
    return new_installation()


def _admin(installation: Installation, statement: sql.Composed) -> None:
    with postgres_dumps.connect(installation.database) as admin:
        admin.autocommit = True
        admin.execute(statement)


def query(installation: Installation, statement: str) -> list[tuple]:
    """Rows of `statement` run on the installation's database with its plain driver."""
    if installation.engine.NAME == "sqlite":
        db = sqlite3.connect(installation.database["NAME"])
        try:
            return db.execute(statement).fetchall()
        finally:
            db.close()
    with postgres_dumps.connect(installation.database) as db:
        return db.execute(statement).fetchall()
