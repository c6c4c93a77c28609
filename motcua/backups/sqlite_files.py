"""SQLite: the copy through SQLite's online backup API, the checks, and the restore.

The copy is made in one step (`Connection.backup` with all pages at once), inside one read
transaction: in WAL mode clerks keep writing meanwhile, and the copy is the database as it
was when that transaction began, never half of a write. A copy made in several steps would
restart whenever another connection writes, and might never finish on a busy day. The copy
is switched to a rollback journal, so it is one self-contained file.

Restoring replaces the database file, so the web and worker services must be stopped first:
if another process still has the database open, its write-ahead log outlives our own
connection, and the restore refuses.
"""

import os
import shutil
import sqlite3
from datetime import datetime
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

from .contents import Contents, nothing, read_contents
from .errors import BackupError
from .folders import sync_file, sync_folder

NAME = "sqlite"
FILE = "database.sqlite3"
BUSY_TIMEOUT = 60  # seconds to wait for a writer holding a lock (not in WAL mode)


def _connect(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(path, timeout=BUSY_TIMEOUT, isolation_level=None)


def _tables(db: sqlite3.Connection) -> set[str]:
    return {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}


def _source(spec: dict[str, Any]) -> Path:
    path = Path(spec["NAME"])
    if not path.is_file():
        raise BackupError(
            "database_missing", _("The database file %(file)s does not exist.") % {"file": path}
        )
    return path


def dump(spec: dict[str, Any], target: Path) -> Contents:
    """Copy the live database to `target`; what the copy holds. (`check` follows.)"""
    source = _connect(_source(spec))
    copy = _connect(target)
    try:
        source.backup(copy)
    except sqlite3.Error as error:
        raise BackupError(
            "database_copy_failed", _("Copying the database failed: %(error)s") % {"error": error}
        ) from error
    finally:
        source.close()
    try:
        copy.execute("PRAGMA journal_mode = DELETE")
        return read_contents(copy.cursor(), _tables(copy))
    finally:
        copy.close()


def _check(db: sqlite3.Connection, path: Path) -> None:
    """PRAGMA integrity_check and foreign_key_check, or BackupError naming the problem."""
    try:
        problems = [row[0] for row in db.execute("PRAGMA integrity_check")]
        if problems == ["ok"]:
            problems = [str(row) for row in db.execute("PRAGMA foreign_key_check")]
    except sqlite3.DatabaseError as error:
        problems = [str(error)]
    if problems:
        raise BackupError(
            "database_damaged",
            _("The database copy %(file)s failed its integrity check: %(problems)s")
            % {"file": path, "problems": "; ".join(problems[:5])},
        )


def check(path: Path) -> None:
    """The copy in a backup is a sound SQLite database."""
    db = sqlite3.connect(f"{path.absolute().as_uri()}?mode=ro", uri=True)
    try:
        _check(db, path)
    finally:
        db.close()


def _in_use(target: Path) -> bool:
    """After our own connection closed, a write-ahead log left behind means another process
    (the web server, a worker) still has the database open."""
    return Path(f"{target}-wal").exists()


def target_contents(spec: dict[str, Any]) -> Contents:
    """What the installation's database holds now (empty if there is no file)."""
    target = Path(spec["NAME"])
    if not target.exists():
        return nothing()
    db = _connect(target)
    try:
        return read_contents(db.cursor(), _tables(db))
    finally:
        db.close()


def restore(spec: dict[str, Any], source: Path, moment: datetime) -> Path | None:
    """Put the backup's database in place of the installation's; the file it replaced is
    kept beside it (`<name>.before-restore-<moment>`), and returned."""
    target = Path(spec["NAME"])
    target_contents(spec)  # opens and closes it: checkpoints and removes its WAL if unused
    if _in_use(target):
        raise BackupError(
            "database_in_use",
            _(
                "The database %(file)s is still open in another process: stop the web and "
                "worker services, then restore."
            )
            % {"file": target},
        )
    target.parent.mkdir(parents=True, exist_ok=True)
    incoming = target.with_name(f"{target.name}.restoring")
    shutil.copyfile(source, incoming)
    sync_file(incoming)
    kept = None
    if target.exists():
        kept = target.with_name(f"{target.name}.before-restore-{moment:%Y%m%dT%H%M%S}")
        os.replace(target, kept)
    Path(f"{target}-shm").unlink(missing_ok=True)
    os.replace(incoming, target)
    sync_folder(target.parent)
    return kept
