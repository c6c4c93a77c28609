"""restore PATH [--force] [--check]: restore a backup folder into this installation
(docs/backups.md). Only into an empty installation unless --force; stop the web and worker
services first."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from motcua.backups.errors import BackupError
from motcua.backups.services import check_backup, restore_backup


class Command(BaseCommand):
    # A backup must not depend on the rest of the project being importable and well
    # configured (URLs, views): it is what one falls back on when something is broken.
    requires_system_checks: list[str] = []
    help = "Restore a backup folder (database and uploaded files) into an empty installation."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path, help="The backup folder (motcua-...).")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Restore even over dossiers and users, or a backup from a newer version.",
        )
        parser.add_argument(
            "--check", action="store_true", help="Only verify the backup; change nothing."
        )

    def handle(self, *args: Any, path: Path, force: bool, check: bool, **options: Any) -> None:
        try:
            if check:
                manifest = check_backup(path)
                message = _("The backup %(folder)s is complete and sound: %(dossiers)s dossiers.")
                self.stdout.write(message % {"folder": path, **manifest["counts"]})
                return
            restored = restore_backup(path, force=force)
        except BackupError as error:
            raise CommandError(error.message) from error
        self._summary(path, restored)

    def _summary(self, path: Path, restored) -> None:
        self.stdout.write(
            _(
                "Restored %(folder)s (taken %(created_at)s): %(dossiers)s dossiers, "
                "%(events)s events, %(attachments)s attachments, %(users)s users."
            )
            % {
                "folder": path,
                "created_at": restored.manifest["created_at"],
                **restored.manifest["counts"],
            }
        )
        if restored.kept:
            self.stdout.write(
                _("The database file it replaced is kept as %(file)s.") % {"file": restored.kept}
            )
        self.stdout.write(_("Next: run manage.py migrate, then start the services."))
