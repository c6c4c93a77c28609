"""SQLite's writers queue in the process (runtime/sqlite.py)."""

import signal
import sqlite3
import subprocess
import sys
import threading
import time

import pytest
from django.conf import settings
from django.db import connection, transaction

from motcua.runtime.sqlite import QueuedConnection, writer_lock


def _connect(path, timeout: float = 5.0) -> QueuedConnection:
    # As Django opens them: autocommit, transactions begun explicitly.
    return QueuedConnection(
        str(path), timeout=timeout, isolation_level=None, check_same_thread=False
    )


def _begin_and_write(db: QueuedConnection, value: int) -> None:
    db.cursor().execute("BEGIN IMMEDIATE")
    db.cursor().execute("INSERT INTO t VALUES (?)", (value,))


def _waits_then_writes(write, *, until) -> object:
    """Run `write` in a thread: it must still be waiting 0.3 s later; then `until()` (the
    other writer's end); what `write` came to: "written", or the exception it raised."""
    outcome: list[object] = []

    def attempt() -> None:
        try:
            write()
            outcome.append("written")
        except Exception as exc:  # noqa: BLE001 - reported to the caller's assertion
            outcome.append(exc)

    thread = threading.Thread(target=attempt)
    thread.start()
    thread.join(0.3)
    assert thread.is_alive(), f"the writer must wait, not {outcome}"
    until()
    thread.join(5)
    return outcome[0] if outcome else "still waiting"


@pytest.fixture
def database(tmp_path):
    path = tmp_path / "queue.sqlite3"
    setup = _connect(path)
    setup.execute("PRAGMA journal_mode=WAL")
    setup.execute("CREATE TABLE t (v INTEGER)")
    setup.close()
    return path


def test_a_writer_waits_for_its_turn_in_the_process_not_in_sqlite(database):
    holder, waiter = _connect(database), _connect(database)
    # SQLite's own busy handler would fail at once: the wait can only be the queue's.
    waiter.execute("PRAGMA busy_timeout = 0")
    _begin_and_write(holder, 1)

    def second() -> None:
        _begin_and_write(waiter, 2)
        waiter.commit()

    assert _waits_then_writes(second, until=holder.commit) == "written"
    assert [v for (v,) in holder.execute("SELECT v FROM t ORDER BY v")] == [1, 2]
    assert not writer_lock(str(database)).locked()


def test_a_wait_past_the_timeout_is_sqlites_locked_error_and_leaks_no_turn(database):
    holder, waiter = _connect(database), _connect(database, timeout=0.2)
    _begin_and_write(holder, 1)
    with pytest.raises(sqlite3.OperationalError, match="database is locked"):
        waiter.cursor().execute("BEGIN IMMEDIATE")
    assert not waiter.holds_queue
    holder.rollback()
    _begin_and_write(waiter, 2)  # the turn came back when the holder ended
    waiter.commit()
    assert [v for (v,) in waiter.execute("SELECT v FROM t")] == [2]


def test_every_way_out_of_a_transaction_gives_the_turn_back(database):
    db = _connect(database)
    lock = writer_lock(str(database))
    for end in (db.commit, db.rollback):
        _begin_and_write(db, 1)
        assert db.holds_queue and lock.locked()
        end()
        assert not db.holds_queue and not lock.locked()
    # A BEGIN that fails (already in a transaction) keeps the turn of the open one only.
    _begin_and_write(db, 1)
    with pytest.raises(sqlite3.OperationalError, match="within a transaction"):
        db.cursor().execute("BEGIN IMMEDIATE")
    assert db.holds_queue  # the first transaction is still open
    db.close()
    assert not lock.locked()


def test_a_write_outside_a_transaction_gives_its_turn_back_and_reads_take_none(database):
    db = _connect(database)
    db.cursor().execute("INSERT INTO t VALUES (3)")
    assert not db.holds_queue and not writer_lock(str(database)).locked()
    _begin_and_write(_connect(database), 4)  # another connection's transaction, left open
    assert list(db.cursor().execute("SELECT count(*) FROM t")) == [(1,)]  # WAL: no wait


@pytest.mark.django_db(transaction=True)
def test_djangos_connections_on_sqlite_queue_their_transactions():
    if connection.vendor != "sqlite":
        pytest.skip("SQLite's queue")
    connection.ensure_connection()
    raw = connection.connection
    assert isinstance(raw, QueuedConnection)
    with transaction.atomic():
        connection.cursor().execute("SELECT 1")
        assert raw.holds_queue
    assert not raw.holds_queue
    with pytest.raises(ZeroDivisionError), transaction.atomic():
        assert raw.holds_queue
        raise ZeroDivisionError
    assert not raw.holds_queue and not raw.queue_lock.locked()


def test_a_write_outside_a_transaction_waits_its_turn_too(database):
    holder, writer = _connect(database), _connect(database)
    writer.execute("PRAGMA busy_timeout = 0")  # SQLite alone would refuse at once
    _begin_and_write(holder, 1)

    def autocommit_write() -> None:
        writer.cursor().execute("INSERT INTO t VALUES (2)")

    assert _waits_then_writes(autocommit_write, until=holder.commit) == "written"
    assert not writer.holds_queue and not writer_lock(str(database)).locked()


HOLDER = """
import sys, time
from motcua.runtime.sqlite import QueuedConnection
db = QueuedConnection(sys.argv[1], timeout=5, isolation_level=None)
db.cursor().execute("BEGIN IMMEDIATE")
db.cursor().execute("INSERT INTO t VALUES (1)")
print("holding", flush=True)
time.sleep(float(sys.argv[2]))
db.commit()
print("committed", flush=True)
time.sleep(60)
"""


def _holder(database, seconds: float):
    """Another process in a write transaction for `seconds` (then alive, idle)."""
    process = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(database), str(seconds)],
        stdout=subprocess.PIPE,
        text=True,
        cwd=settings.BASE_DIR,
    )
    assert process.stdout is not None and process.stdout.readline() == "holding\n"
    return process


def _write_without_sqlites_wait(database) -> float:
    db = _connect(database)
    db.execute("PRAGMA busy_timeout = 0")  # SQLite alone would refuse at once
    started = time.monotonic()
    _begin_and_write(db, 2)
    db.commit()
    return time.monotonic() - started


def test_another_process_in_a_transaction_is_waited_for_in_turn(database):
    process = _holder(database, 0.5)
    try:
        waited = _write_without_sqlites_wait(database)
        assert process.stdout is not None and process.stdout.readline() == "committed\n"
    finally:
        process.kill()
        process.wait()
    assert waited >= 0.3  # it waited for the other's commit, not SQLite's lock
    assert [v for (v,) in _connect(database).execute("SELECT v FROM t ORDER BY v")] == [1, 2]


def test_a_process_killed_in_its_transaction_gives_its_turn_back(database):
    process = _holder(database, 60)
    process.send_signal(signal.SIGKILL)
    process.wait()
    _write_without_sqlites_wait(database)
    assert [v for (v,) in _connect(database).execute("SELECT v FROM t")] == [2]
