"""backup [--dest DIR] [--keep N]: back up the database and the uploaded files into a new
folder, check it, and keep the newest N backups (docs/backups.md). Safe while clerks work."""

import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from motcua.backups.errors import BackupError
from motcua.backups.services import take_backup

MB = 1024 * 1024


class Command(BaseCommand):
    # A backup must not depend on the rest of the project being importable and well
    # configured (URLs, views): it is what one falls back on when something is broken.
    requires_system_checks: list[str] = []
    help = "Back up the database and the uploaded files into a new folder, then rotate."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dest", type=Path, help="Backup folder (default: MOTCUA_BACKUP_DIR, var/backups)."
        )
        parser.add_argument(
            "--keep", type=int, help="Backups to keep (default: MOTCUA_BACKUP_KEEP, 14)."
        )

    def handle(self, *args: Any, dest: Path | None, keep: int | None, **options: Any) -> None:
        started = time.monotonic()
        steps = {
            "database": _("Database copied"),
            "checked": _("Database copy checked"),
            "media": _("Files archived"),
        }

        def report(step: str) -> None:
            if step in steps and options["verbosity"] > 1:
                self.stdout.write(f"{steps[step]} ({time.monotonic() - started:.1f} s)")

        try:
            backup = take_backup(root=dest, keep=keep, on_step=report)
        except BackupError as error:
            raise CommandError(error.message) from error
        self._summary(backup, time.monotonic() - started)

    def _summary(self, backup, seconds: float) -> None:
        manifest = backup.manifest
        size = sum(entry["bytes"] for entry in manifest["files"].values())
        self.stdout.write(
            _(
                "Backup written to %(folder)s in %(seconds).1f s (%(mb).1f MB): %(dossiers)s "
                "dossiers, %(events)s events, %(attachments)s attachments, %(files)s files."
            )
            % {
                "folder": backup.folder,
                "seconds": seconds,
                "mb": size / MB,
                "files": manifest["media"]["files"],
                **manifest["counts"],
            }
        )
        for path in backup.removed:
            self.stdout.write(_("Removed the old backup %(folder)s.") % {"folder": path})
        problems = manifest["media"]["attachment_problems"]
        if problems:
            self.stderr.write(
                _(
                    "Warning: %(count)d attachment files are missing or incomplete in "
                    "MEDIA_ROOT (listed in the manifest), e.g. %(name)s."
                )
                % {"count": len(problems), "name": problems[0]}
            )
