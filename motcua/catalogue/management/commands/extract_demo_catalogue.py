"""extract_demo_catalogue: rebuild motcua/catalogue/data/demo_procedures.jsonl from the
national data (../shared/data/procedures/procedures.jsonl). Which procedures and how their
process templates are generated: motcua.catalogue.interchange.demo and
docs/catalogue-import.md."""

import json
from collections import Counter
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from motcua.catalogue.interchange.demo import select_demo_records

DEFAULT_SOURCE = Path(settings.BASE_DIR).parent / "shared/data/procedures/procedures.jsonl"
DEFAULT_OUTPUT = Path(__file__).resolve().parents[2] / "data" / "demo_procedures.jsonl"


class Command(BaseCommand):
    help = "Pick the demo procedures out of the national data and give each a process template."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--source", type=Path, default=DEFAULT_SOURCE)
        parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)

    def handle(self, *args: Any, **options: Any) -> None:
        source: Path = options["source"]
        if not source.is_file():
            raise CommandError(_("No such file: %(file)s") % {"file": source})
        with source.open(encoding="utf-8") as lines:
            records = [json.loads(line) for line in lines if line.strip()]
        demo = select_demo_records(records)
        with options["output"].open("w", encoding="utf-8", newline="\n") as out:
            for record in demo:
                out.write(json.dumps(record, ensure_ascii=False) + "\n")
        self.stdout.write(
            _("%(count)d procedures written to %(file)s.")
            % {"count": len(demo), "file": options["output"]}
        )
        for (field, levels), count in sorted(Counter(_group(r) for r in demo).items()):
            self.stdout.write(f"  {count:3d}  {field} [{levels}]")


def _group(record: dict[str, Any]) -> tuple[str, str]:
    return record["field"], ", ".join(record["levels"])
