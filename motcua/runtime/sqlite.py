"""SQLite's writers take turns in a queue of ours instead of polling for SQLite's lock.

SQLite lets one write transaction run at a time. A connection that finds the lock taken
sleeps and tries again (its busy handler: sleeps of 1 ms growing to 100 ms), with no order
among the waiters, so under load one unlucky request may wait ten times as long as the others
(decision 0008). Here a write transaction first takes its turn, and only then asks SQLite:

* between the threads of a process, a lock of the process for the database file: the waiting
  threads sleep on it and are woken when it is released;
* between processes (the server's, the worker, a command), an exclusive `flock` on the file
  `<database>-queue` beside the database, asked by one thread of each process at a time (the
  others wait on the process's lock), in short polls: the system has no timed wait for it.
  The system releases it if a process dies.

So a writer reaches SQLite's lock when it is free, and the processes of the server can use
every core (decision 0008 measured 2 processes x 2 threads against 1 x 4: 118 against 69
requests a second at 50 clerks).

How it hooks in, with public interfaces only: `sqlite3.connect(factory=...)` makes Django's
connections instances of `QueuedConnection` (settings.py passes it in the database's
OPTIONS, which Django hands to `sqlite3.connect`). Every transaction Django opens on SQLite
starts with the statement `BEGIN IMMEDIATE` (the `transaction_mode` option), executed through
a cursor of the connection: the turn is taken there, and given back when the transaction ends
(`commit`, `rollback`, `close`). A write run on its own, outside a transaction (Django's
autocommit: a rate limit's counter), takes its turn for the statement: left to SQLite's busy
handler, it would lose every race to the writers woken by the queue. The wait is bounded by
the connection's busy timeout; past it the request fails as SQLite's own timeout does
("database is locked", answered 503 with Retry-After by runtime/middleware.py).
"""

import fcntl
import os
import sqlite3
import threading
import time
from functools import cache

_locks: dict[str, threading.Lock] = {}
_locks_guard = threading.Lock()


def writer_lock(database: str) -> threading.Lock:
    """The process's lock for the write transactions on `database` (its name as opened)."""
    with _locks_guard:
        return _locks.setdefault(str(database), threading.Lock())


class QueuedConnection(sqlite3.Connection):
    """A SQLite connection whose write transactions take turns (module docstring)."""

    def __init__(self, database, timeout: float = 5.0, *args, **kwargs) -> None:
        super().__init__(database, timeout, *args, **kwargs)
        self.queue_timeout = timeout
        self.queue_lock = writer_lock(database)
        self.holds_queue = False
        # Between processes (the server's, the worker): a lock on a file beside the
        # database, one descriptor per connection (a database in memory has none).
        name = os.fspath(database)
        in_memory = name == ":memory:" or name.startswith("file:") or not name
        self.queue_file = None if in_memory else os.open(f"{name}-queue", os.O_RDWR | os.O_CREAT)

    def cursor(self, factory=sqlite3.Cursor):
        return super().cursor(_queued(factory))

    def wait_turn(self) -> None:
        if self.holds_queue:
            return
        deadline = time.monotonic() + self.queue_timeout
        if not self.queue_lock.acquire(timeout=self.queue_timeout):
            raise sqlite3.OperationalError("database is locked")
        try:
            self._lock_file(deadline)
        except BaseException:
            self.queue_lock.release()
            raise
        self.holds_queue = True

    def _lock_file(self, deadline: float) -> None:
        """The other processes' turn: only one thread of each process asks (the others wait
        on the process's lock), so a short poll costs little; no timed wait exists."""
        if self.queue_file is None:
            return
        while True:
            try:
                fcntl.flock(self.queue_file, fcntl.LOCK_EX | fcntl.LOCK_NB)
                return
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise sqlite3.OperationalError("database is locked") from None
                time.sleep(0.0005)

    def _release(self) -> None:
        self.holds_queue = False
        if self.queue_file is not None:
            fcntl.flock(self.queue_file, fcntl.LOCK_UN)
        self.queue_lock.release()

    def leave_queue(self) -> None:
        """Release the turn once no transaction is open (a failed COMMIT keeps it open)."""
        try:
            still_open = self.in_transaction
        except sqlite3.ProgrammingError:  # closed meanwhile
            still_open = False
        if self.holds_queue and not still_open:
            self._release()

    def commit(self) -> None:
        try:
            super().commit()
        finally:
            self.leave_queue()

    def rollback(self) -> None:
        try:
            super().rollback()
        finally:
            self.leave_queue()

    def close(self) -> None:
        try:
            super().close()
        finally:
            if self.holds_queue:
                self._release()
            if self.queue_file is not None:
                os.close(self.queue_file)
                self.queue_file = None


# Statements that write when run on their own (autocommit): each takes its turn for its run.
WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE")


@cache
def _queued(factory: type) -> type:
    """`factory` (Django's cursor class) whose BEGIN, and whose writes outside a transaction,
    wait for the connection's turn."""

    class QueuedCursor(factory):
        def execute(self, sql, *args, **kwargs):
            return self._in_turn(super().execute, sql, *args, **kwargs)

        def executemany(self, sql, *args, **kwargs):
            return self._in_turn(super().executemany, sql, *args, **kwargs)

        def _in_turn(self, run, sql, *args, **kwargs):
            connection = self.connection
            if connection.in_transaction:  # its turn was taken at BEGIN
                return run(sql, *args, **kwargs)
            head = sql.lstrip()[:7].upper()
            if not head.startswith(("BEGIN", *WRITES)):
                return run(sql, *args, **kwargs)
            connection.wait_turn()
            try:
                return run(sql, *args, **kwargs)
            finally:
                # Kept while the transaction a BEGIN opened lasts; given back after a write
                # on its own, or a BEGIN that failed.
                connection.leave_queue()

    QueuedCursor.__name__ = QueuedCursor.__qualname__ = f"Queued{factory.__name__}"
    return QueuedCursor
