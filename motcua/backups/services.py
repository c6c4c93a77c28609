"""Taking, checking and restoring a backup of one installation (docs/backups.md).

A backup is a folder: the database (a SQLite copy or a pg_dump archive), the uploaded files
(media.tar) and manifest.json. It is taken while clerks work, checked after writing, and
published under its final name only when complete; then older backups are rotated away.

A restore goes into an empty installation only (no dossier and no user in its database)
unless forced; it verifies every checksum and the database copy first, unpacks the files,
restores the database, and compares the restored counts with the manifest.
"""

import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

from django.conf import settings
from django.db import connections
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.runtime.health import version

from . import folders, media, postgres_dumps, sqlite_files
from .contents import Contents
from .errors import BackupError
from .manifest import (
    FORMAT,
    VERSION,
    describe_files,
    read_manifest,
    verify_files,
    write_manifest,
)

ENGINES = {"sqlite3": sqlite_files, "postgresql": postgres_dumps}
Step = Callable[[str], None]


@dataclass(frozen=True)
class Installation:
    """The database (Django's settings for it) and the folder of uploaded files."""

    database: dict[str, Any]
    media_root: Path

    @classmethod
    def current(cls) -> "Installation":
        return cls(connections["default"].settings_dict, Path(settings.MEDIA_ROOT))

    @property
    def engine(self) -> ModuleType:
        name = self.database["ENGINE"].rsplit(".", 1)[-1]
        if name not in ENGINES:
            raise BackupError(
                "unsupported_engine",
                _("Backups support SQLite and PostgreSQL, not %(engine)s.")
                % {"engine": self.database["ENGINE"]},
            )
        return ENGINES[name]


@dataclass(frozen=True)
class Backup:
    folder: Path
    manifest: dict[str, Any]
    removed: list[Path]


@dataclass(frozen=True)
class Restored:
    manifest: dict[str, Any]
    kept: Path | None  # SQLite: the database file that was replaced, kept beside it


def take_backup(
    installation: Installation | None = None,
    *,
    root: Path | None = None,
    keep: int | None = None,
    on_step: Step | None = None,
) -> Backup:
    """Back up the installation into a new folder under `root`, then keep the newest `keep`
    backups there (defaults: MOTCUA_BACKUP_DIR, MOTCUA_BACKUP_KEEP)."""
    installation = installation or Installation.current()
    root = root or folders.backup_root()
    keep = folders.default_keep() if keep is None else keep
    if keep < 1:
        raise BackupError("invalid_keep", _("At least one backup must be kept."))
    engine = installation.engine  # an unsupported database is refused before anything is made
    folders.prepare_root(root)
    with folders.locked(root):
        folders.remove_partials(root)
        started = timezone.now()
        partial, final = folders.new_folder(root, started)
        try:
            manifest = _write(partial, installation, engine, root, started, on_step or _quiet)
            folders.publish(partial, final)
        except BaseException:
            shutil.rmtree(partial, ignore_errors=True)
            raise
        removed = folders.rotate(root, keep)
    return Backup(final, manifest, removed)


def _quiet(step: str) -> None:
    pass


def _write(folder: Path, installation: Installation, engine, root: Path, started, step: Step):
    """Database first, then files (see media.py), then the manifest with the checksums."""
    contents = engine.dump(installation.database, folder / engine.FILE)
    step("database")
    engine.check(folder / engine.FILE)
    step("checked")
    archived = media.write_archive(installation.media_root, folder / media.FILE, exclude=root)
    step("media")
    if media.read_archive(folder / media.FILE).sizes != archived.sizes:
        raise BackupError("media_damaged", _("The file archive does not read back whole."))
    manifest = _manifest(engine, started, contents, archived)
    manifest["files"] = describe_files(folder, [engine.FILE, media.FILE])
    write_manifest(folder, manifest)
    for path in folder.iterdir():
        path.chmod(0o600)  # personal data: for the service's user only
    step("manifest")
    return manifest


def _manifest(engine, started, contents: Contents, archived: media.Archived) -> dict:
    return {
        "format": FORMAT,
        "version": VERSION,
        "motcua_version": version(),
        "engine": engine.NAME,
        "created_at": timezone.localtime(started).isoformat(),
        "finished_at": timezone.localtime().isoformat(),
        "counts": contents.counts,
        "media": {
            "files": archived.files,
            "bytes": archived.bytes,
            "attachment_problems": archived.problems(contents.attachment_files),
        },
        "migrations": contents.migrations,
    }


def check_backup(folder: Path, installation: Installation | None = None) -> dict[str, Any]:
    """The backup's manifest once its checksums, its database copy and its archive have been
    verified, and it is known to suit this installation; else BackupError."""
    installation = installation or Installation.current()
    manifest = read_manifest(folder)
    engine = installation.engine
    if manifest.get("engine") != engine.NAME:
        raise BackupError(
            "engine_mismatch",
            _("This backup is of a %(backup)s database; this installation uses %(here)s.")
            % {"backup": manifest.get("engine"), "here": engine.NAME},
        )
    if set(manifest.get("files", {})) != {engine.FILE, media.FILE}:
        raise BackupError("not_a_backup", _("The manifest does not list the backup's files."))
    verify_files(folder, manifest)
    engine.check(folder / engine.FILE)
    media.read_archive(folder / media.FILE)
    return manifest


def unknown_migrations(manifest: dict[str, Any]) -> list[str]:
    """Migrations applied in the backup that this code does not have (a newer version)."""
    known = {f"{app}.{name}" for app, name in MigrationLoader(None).disk_migrations}
    return [name for name in manifest.get("migrations", []) if name not in known]


def restore_backup(
    folder: Path, installation: Installation | None = None, *, force: bool = False
) -> Restored:
    """Restore the backup in `folder` into the installation, which must be empty unless
    `force`. Stop the web and worker services first."""
    installation = installation or Installation.current()
    manifest = check_backup(folder, installation)
    engine = installation.engine
    _refuse_unless_forced(manifest, installation, force)
    connections.close_all()  # our own connection must not hold the database being replaced
    media.extract(folder / media.FILE, installation.media_root)
    kept = engine.restore(installation.database, folder / engine.FILE, timezone.now())
    restored = engine.target_contents(installation.database).counts
    if restored != manifest["counts"]:
        raise BackupError(
            "restore_incomplete",
            _("The restored database holds %(restored)s, the backup %(expected)s.")
            % {"restored": restored, "expected": manifest["counts"]},
        )
    return Restored(manifest, kept)


def _refuse_unless_forced(manifest: dict, installation: Installation, force: bool) -> None:
    if force:
        return
    unknown = unknown_migrations(manifest)
    if unknown:
        raise BackupError(
            "newer_backup",
            _(
                "The backup was taken by a newer version of motcua (migrations %(names)s are "
                "unknown here): upgrade this installation first, or use --force."
            )
            % {"names": ", ".join(unknown[:5])},
        )
    present = installation.engine.target_contents(installation.database)
    if not present.is_empty:
        raise BackupError(
            "not_empty",
            _(
                "This installation already has %(dossiers)s dossiers and %(users)s users: a "
                "backup is restored into an empty installation only (or use --force)."
            )
            % present.counts,
        )
