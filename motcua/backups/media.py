"""The uploaded files (MEDIA_ROOT) as one uncompressed tar archive in the backup.

A tar rather than hard links: the backup then holds its own copy, can sit on another disk or
be copied off the machine as one file, and has one checksum. Scans and PDFs are compressed
already, so the archive is not compressed again.

The archive is written after the database copy: every attachment row in the copy was
committed after its file had been written (dossiers/attachments.py saves the file, then the
row), so its file is on disk when the archive is made. Files added meanwhile are archived
too and are harmless without their rows. Each attachment of the copy is then looked for in
the archive, at its recorded size; one that is missing or short is named in the manifest.
"""

import os
import tarfile
from dataclasses import dataclass, field
from pathlib import Path

from django.utils.translation import gettext as _

from .errors import BackupError

FILE = "media.tar"


@dataclass
class Archived:
    files: int = 0
    bytes: int = 0
    sizes: dict[str, int] = field(default_factory=dict)

    def problems(self, expected: dict[str, int]) -> list[str]:
        """Attachment files (name -> size) that are missing from the archive or not whole."""
        return sorted(name for name, size in expected.items() if self.sizes.get(name) != size)


def _regular_files(root: Path, exclude: Path | None) -> list[Path]:
    found = []
    for folder, folders, names in os.walk(root):
        here = Path(folder)
        folders[:] = sorted(name for name in folders if here / name != exclude)
        found += [here / name for name in sorted(names) if (here / name).is_file()]
    return [path for path in found if not path.is_symlink()]


def write_archive(root: Path, target: Path, *, exclude: Path | None = None) -> Archived:
    """Archive every regular file under `root` (symbolic links and `exclude`, the backup
    folder if it lies inside, left out); a file deleted meanwhile is skipped."""
    archived = Archived()
    root = root.resolve()
    try:
        with tarfile.open(target, "w", format=tarfile.PAX_FORMAT) as archive:
            if root.is_dir():
                for path in _regular_files(root, exclude.resolve() if exclude else None):
                    _add(archive, path, path.relative_to(root).as_posix(), archived)
    except (tarfile.TarError, OSError) as error:
        raise BackupError(
            "media_backup_failed",
            _("Archiving the files of %(folder)s failed: %(error)s")
            % {"folder": root, "error": error},
        ) from error
    return archived


def _add(archive: tarfile.TarFile, path: Path, name: str, archived: Archived) -> None:
    try:
        with path.open("rb") as file:
            info = archive.gettarinfo(arcname=name, fileobj=file)
            archive.addfile(info, file)
    except FileNotFoundError:
        return  # deleted since the folder was listed
    archived.files += 1
    archived.bytes += info.size
    archived.sizes[name] = info.size


def read_archive(path: Path) -> Archived:
    """The archive's files, reading every header (a truncated archive fails here)."""
    archived = Archived()
    try:
        with tarfile.open(path, "r:") as archive:
            for member in archive:
                if member.isfile():
                    archived.files += 1
                    archived.bytes += member.size
                    archived.sizes[member.name] = member.size
    except (tarfile.TarError, OSError) as error:
        raise BackupError(
            "media_damaged",
            _("The file archive %(file)s cannot be read: %(error)s")
            % {"file": path, "error": error},
        ) from error
    return archived


def extract(path: Path, root: Path) -> None:
    """Unpack the archive into `root`; names that would land outside it, links and device
    files are refused (tarfile's "data" filter)."""
    root.mkdir(parents=True, exist_ok=True)
    try:
        with tarfile.open(path, "r:") as archive:
            archive.extractall(root, filter="data")
    except (tarfile.TarError, OSError) as error:
        raise BackupError(
            "media_restore_failed",
            _("Unpacking the files into %(folder)s failed: %(error)s")
            % {"folder": root, "error": error},
        ) from error
