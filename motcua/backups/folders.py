"""The backup folder: where backups live, what they are called, how one is published and how
old ones are rotated.

Each backup is one folder `motcua-YYYYMMDDTHHMMSSZ` (the UTC moment it started, so names sort
in time order whatever TIME_ZONE is). It is written under the name `<name>.partial` and
renamed only once everything in it has been written, synced and checked: a folder with the
final name is always complete. A lock file keeps two backups from running at once; a
`.partial` folder found by the next backup is the remains of a crashed one and is removed.
Rotation only ever deletes complete backups, and only after a new one has been published.
"""

import os
import re
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _

from .errors import BackupError

try:  # the lock is advisory and POSIX only; without it, don't start two backups at once
    import fcntl
except ImportError:  # pragma: no cover
    fcntl = None  # type: ignore[assignment]

NAME = re.compile(r"^motcua-\d{8}T\d{6}Z(-\d+)?$")
PARTIAL = ".partial"
LOCK = ".lock"
DEFAULT_KEEP = 14


def backup_root() -> Path:
    """MOTCUA_BACKUP_DIR (a setting or the environment), else var/backups in the project."""
    configured = getattr(settings, "MOTCUA_BACKUP_DIR", None) or os.environ.get("MOTCUA_BACKUP_DIR")
    return Path(configured) if configured else Path(settings.BASE_DIR) / "var" / "backups"


def default_keep() -> int:
    """MOTCUA_BACKUP_KEEP (a setting or the environment), else 14."""
    configured = getattr(settings, "MOTCUA_BACKUP_KEEP", None) or os.environ.get(
        "MOTCUA_BACKUP_KEEP"
    )
    try:
        return int(configured) if configured else DEFAULT_KEEP
    except ValueError:
        raise BackupError(
            "invalid_keep",
            _("MOTCUA_BACKUP_KEEP must be a whole number, not %(value)r.") % {"value": configured},
        ) from None


def prepare_root(root: Path) -> None:
    try:
        root.mkdir(parents=True, exist_ok=True, mode=0o700)
    except OSError as error:
        raise BackupError(
            "folder_unusable",
            _("Cannot create the backup folder %(folder)s: %(error)s")
            % {"folder": root, "error": error.strerror or error},
        ) from error


@contextmanager
def locked(root: Path) -> Iterator[None]:
    """Hold the backup folder's lock, or refuse at once if another backup holds it."""
    with open(root / LOCK, "a") as lock:
        if fcntl is not None:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                raise BackupError(
                    "backup_running",
                    _("Another backup is being written to %(folder)s.") % {"folder": root},
                ) from None
        yield


def remove_partials(root: Path) -> list[Path]:
    """Delete the remains of interrupted backups (call with the lock held)."""
    stale = [path for path in root.iterdir() if path.is_dir() and path.name.endswith(PARTIAL)]
    for path in stale:
        shutil.rmtree(path)
    return stale


def new_folder(root: Path, started: datetime) -> tuple[Path, Path]:
    """(partial folder, created empty and private; final name, not yet taken)."""
    base = f"motcua-{started.astimezone(UTC):%Y%m%dT%H%M%SZ}"
    name, number = base, 1
    while (root / name).exists() or (root / f"{name}{PARTIAL}").exists():
        number += 1
        name = f"{base}-{number}"
    partial = root / f"{name}{PARTIAL}"
    partial.mkdir(mode=0o700)
    return partial, root / name


def sync_folder(folder: Path) -> None:
    """Make the folder's entries (new or renamed files) durable."""
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def sync_file(path: Path) -> None:
    with path.open("rb") as file:
        os.fsync(file.fileno())


def publish(partial: Path, final: Path) -> None:
    """Give the complete backup its final name (an atomic rename in the same folder), once
    its files and their names are on the disk."""
    for path in partial.iterdir():
        sync_file(path)
    sync_folder(partial)
    os.rename(partial, final)
    sync_folder(final.parent)


def complete_backups(root: Path) -> list[Path]:
    """Complete backups in `root`, oldest first."""
    found = [
        path
        for path in root.iterdir()
        if NAME.match(path.name) and path.is_dir() and (path / "manifest.json").is_file()
    ]
    return sorted(found, key=lambda path: _sort_key(path.name))


def _sort_key(name: str) -> tuple[str, int]:
    stamp, _dash, number = name.removeprefix("motcua-").partition("-")
    return stamp, int(number or 1)


def rotate(root: Path, keep: int) -> list[Path]:
    """Delete all but the newest `keep` complete backups; returns those deleted."""
    backups = complete_backups(root)
    old = backups[: max(len(backups) - keep, 0)]
    for path in old:
        shutil.rmtree(path)
    return old
