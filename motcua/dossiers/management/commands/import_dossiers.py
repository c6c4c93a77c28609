import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from motcua.dossiers.history import import_history, read_rows


class Command(BaseCommand):
    help = (
        "Import historical dossiers (CSV with a header, JSON array or JSON Lines) with their "
        "real timestamps. Bad rows are reported with their line number and skipped; a "
        "second run of the same file imports nothing twice."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)

    def handle(self, *args, **options):
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(_("No such file: %(path)s") % {"path": path})
        try:
            rows = read_rows(path)
        except (UnicodeDecodeError, json.JSONDecodeError, ValueError) as error:
            raise CommandError(
                _("%(path)s is not a CSV or JSON file of dossiers: %(error)s")
                % {"path": path, "error": error}
            ) from None
        result = import_history(rows, source=path.name)
        for row in result.results:
            if row.action == "skipped":
                self.stdout.write(f"line {row.line}\t{row.code}\t{row.reason}")
        self.stdout.write(
            _("imported: %(imported)d, skipped: %(skipped)d")
            % {"imported": result.count("imported"), "skipped": result.count("skipped")}
        )
