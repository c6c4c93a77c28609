"""manifest.json: what a backup holds, and the checksums that prove it is unchanged.

    {"format": "motcua-backup", "version": 1, "motcua_version": "0.1.0",
     "engine": "sqlite" | "postgresql", "created_at": "...", "finished_at": "...",
     "counts": {"dossiers": 0, "events": 0, "attachments": 0, "users": 0},
     "media": {"files": 0, "bytes": 0, "attachment_problems": []},
     "migrations": ["app.0001_initial", ...],
     "files": {"database.sqlite3": {"sha256": "...", "bytes": 0}, "media.tar": {...}}}

`created_at` is the moment the backup began: everything committed before it is in the
backup. The manifest is written last, after every other file has been written and checked.
"""

import hashlib
import json
import os
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

from .errors import BackupError

MANIFEST = "manifest.json"
FORMAT = "motcua-backup"
VERSION = 1
CHUNK = 1024 * 1024


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as file:
        while chunk := file.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def describe_files(folder: Path, names: list[str]) -> dict[str, dict[str, Any]]:
    return {
        name: {"sha256": sha256_of(folder / name), "bytes": (folder / name).stat().st_size}
        for name in names
    }


def write_manifest(folder: Path, manifest: dict[str, Any]) -> None:
    path = folder / MANIFEST
    with path.open("w", encoding="utf-8") as file:
        json.dump(manifest, file, ensure_ascii=False, indent=2)
        file.write("\n")
        file.flush()
        os.fsync(file.fileno())


def _unusable(folder: Path, reason: str) -> BackupError:
    return BackupError(
        "not_a_backup",
        _("%(folder)s is not a usable motcua backup: %(reason)s")
        % {"folder": folder, "reason": reason},
    )


def read_manifest(folder: Path) -> dict[str, Any]:
    """The folder's manifest, or BackupError if it is not a complete backup we can read."""
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise _unusable(folder, _("it has no manifest.json (an unfinished backup?)")) from None
    except (OSError, ValueError) as error:
        raise _unusable(folder, str(error)) from error
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise _unusable(folder, _("manifest.json is not a motcua backup manifest"))
    if manifest.get("version") != VERSION:
        raise _unusable(
            folder,
            _("format version %(version)s is not supported") % {"version": manifest.get("version")},
        )
    return manifest


def verify_files(folder: Path, manifest: dict[str, Any]) -> None:
    """Every file listed is there with its size and checksum, or BackupError naming them."""
    bad = []
    for name, expected in manifest.get("files", {}).items():
        path = folder / name
        if Path(name).name != name or not path.is_file():
            bad.append(_("%(file)s is missing") % {"file": name})
        elif path.stat().st_size != expected.get("bytes") or sha256_of(path) != expected.get(
            "sha256"
        ):
            bad.append(_("%(file)s does not match its checksum") % {"file": name})
    if bad:
        raise BackupError(
            "checksum_mismatch",
            _("The backup %(folder)s is damaged: %(problems)s")
            % {"folder": folder, "problems": "; ".join(bad)},
        )
