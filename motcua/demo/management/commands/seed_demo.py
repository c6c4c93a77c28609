from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from motcua.demo.catalogue import seed_catalogue
from motcua.demo.history import HISTORY_COUNT, Seeded, queue_counts, seed_dossiers
from motcua.demo.organisations import DEMO_PASSWORD, seed_organisations


class Command(BaseCommand):
    help = (
        "Load the demo province (Hà Tĩnh: service centre, three departments, two communes), "
        "one account per role and a few hundred real procedures; with --dossiers, also "
        "months of history and live dossiers in every demo user's queues. Safe to run again."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dossiers",
            action="store_true",
            help=(
                "also write about six months of history and live dossiers waiting at every "
                "stage, if the database holds no dossier yet (what `make demo` does)"
            ),
        )
        parser.add_argument(
            "--history",
            type=int,
            default=HISTORY_COUNT,
            help=f"how many history dossiers --dossiers writes (default {HISTORY_COUNT:,})",
        )

    def handle(self, *args, **options):
        if options["history"] < 0:
            raise CommandError(_("The number of dossiers cannot be negative."))
        translation.activate("vi")
        accounts = seed_organisations()
        result, localised = seed_catalogue()
        self.stdout.write(
            f"Procedures: {result.count('created')} created, "
            f"{result.count('new_version')} updated, {result.count('unchanged')} unchanged, "
            f"{result.count('skipped')} skipped; {localised} localised to the demo province."
        )
        call_command("seed_demo_fees", stdout=self.stdout)  # payments: fee items, receipt series
        call_command("seed_demo_signing", stdout=self.stdout)  # signing: a token, seals, signatures
        call_command("seed_queue_demo", stdout=self.stdout)  # queueing: a queue at each point
        if options["dossiers"]:
            self._dossiers(seed_dossiers(count=options["history"]))
        call_command("seed_demo_feedback", stdout=self.stdout)  # feedback: ratings, PAKN items
        self.stdout.write(self.style.SUCCESS("Demo data ready."))
        self.stdout.write(f"Demo accounts (password: {DEMO_PASSWORD}):")
        for username, role, agency in accounts:
            self.stdout.write(f"  {username:<20} {role:<32} {agency}")

    def _dossiers(self, seeded: Seeded) -> None:
        write = self.stdout.write
        if seeded.existing:
            write(
                _(
                    "Dossiers: the database holds %(count)s already; no history or live "
                    "dossier added."
                )
                % {"count": f"{seeded.existing:,}"}
            )
        if seeded.history_skipped:
            write(
                _("History not written: agencies outside the demo province exist (%(codes)s).")
                % {"codes": ", ".join(seeded.history_skipped)}
            )
        elif seeded.history:
            write(
                _(
                    "History %(first)s to %(last)s: %(dossiers)s dossiers, %(steps)s steps, "
                    "%(events)s events, %(supplements)s supplement requests, %(apologies)s "
                    "apologies."
                )
                % {
                    "first": seeded.first,
                    "last": seeded.last,
                    **{name: f"{count:,}" for name, count in seeded.history.items()},
                }
            )
        if seeded.live_skipped:
            write(
                _("No live dossiers: %(reason)s (uv sync installs it).")
                % {"reason": seeded.live_skipped}
            )
        elif seeded.live:
            write(
                _("Live dossiers received and moved through the services: %(count)d.")
                % {"count": len(seeded.live)}
            )
        write(_("Work waiting in the demo users' queues (my work):"))
        for username, counts in queue_counts():
            queues = "; ".join(f"{title} {count}" for title, count in counts)
            write(f"  {username:<20} {queues}")
