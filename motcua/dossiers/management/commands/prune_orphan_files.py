"""Remove uploaded files that no attachment names (left by a rolled-back upload)."""

from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError

from motcua.dossiers.orphans import prune_orphan_files


class Command(BaseCommand):
    help = "Remove uploaded files that no attachment names, once older than a grace period."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--older-than-minutes",
            type=int,
            default=60,
            help="leave files younger than this alone (an upload may still be committing)",
        )
        parser.add_argument("--dry-run", action="store_true", help="list, remove nothing")

    def handle(self, *args, older_than_minutes: int, dry_run: bool, **options) -> None:
        if older_than_minutes < 1:
            raise CommandError("--older-than-minutes must be at least 1")
        names = prune_orphan_files(
            older_than=timedelta(minutes=older_than_minutes), dry_run=dry_run
        )
        verb = "would remove" if dry_run else "removed"
        for name in names:
            self.stdout.write(f"{verb} {name}")
        self.stdout.write(f"{len(names)} orphan file(s) {verb}")
