"""fee_items_from_catalogue: fee items from the fees the national catalogue publishes, for the
published procedures that have none yet, and the list of what a person must complete
(payments.from_catalogue; the catalogue import does the same for the versions it publishes)."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils.translation import gettext as _

from motcua.catalogue.models import Procedure
from motcua.payments import from_catalogue


class Command(BaseCommand):
    help = (
        "Make fee items from the fees the national catalogue publishes, for the published "
        "procedures that have none, and list what a person must complete. Safe to run again: "
        "items a person made or edited are kept."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--procedure", action="append", default=[], help="Only this code (repeatable)."
        )
        parser.add_argument("--dry-run", action="store_true", help="Show, save nothing.")

    def handle(self, *args: Any, **options: Any) -> None:
        procedures = Procedure.objects.filter(current_version__isnull=False)
        if codes := options["procedure"]:
            procedures = procedures.filter(code__in=codes)
            missing = sorted(set(codes) - set(procedures.values_list("code", flat=True)))
            if missing:
                raise CommandError(
                    _("No published procedure has the code %(codes)s.")
                    % {"codes": ", ".join(missing)}
                )
        versions = [
            p.current_version
            for p in procedures.select_related("current_version__procedure").order_by("code")
        ]
        with transaction.atomic():
            found = from_catalogue.derive(versions)
            if options["dry_run"]:
                transaction.set_rollback(True)
        for line in from_catalogue.summary(found):
            self.stdout.write(line)
        if options["dry_run"]:
            self.stdout.write(_("Dry run: nothing was saved."))
