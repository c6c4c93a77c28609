from datetime import date, timedelta

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.synthetic.generator import Options, generate
from motcua.synthetic.progress import duration


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise CommandError(_("Not a date (YYYY-MM-DD): %(text)s") % {"text": text}) from None


class Command(BaseCommand):
    help = (
        "Generate N synthetic dossiers (obviously fake applicants) received between two "
        "dates, on top of the agencies and procedures in the database, written in bulk; "
        "then rebuild the statistics. For load tests and benchmarks, not for production: "
        "nothing else may write dossiers while it runs."
    )

    def add_arguments(self, parser):
        parser.add_argument("count", type=int)
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument(
            "--start", type=_day, help="first day (default: 1 January, 4 years back)"
        )
        parser.add_argument("--end", type=_day, help="last day (default: yesterday)")
        parser.add_argument(
            "--communes",
            type=int,
            default=0,
            help="make sure the province has at least this many commune committees",
        )
        parser.add_argument("--batch", type=int, default=20_000)
        parser.add_argument("--steps", action="store_true", help="also write processing steps")
        parser.add_argument(
            "--no-rebuild", action="store_true", help="leave the statistics (rebuild_tallies)"
        )

    def handle(self, *args, **options):
        summary = generate(self._options(options), rebuild=not options["no_rebuild"])
        values = {name: f"{count:,}" for name, count in summary.written.items()}
        values.update(time=duration(summary.generate_seconds), rate=f"{summary.rate:,.0f}")
        self.stdout.write(
            _(
                "%(dossiers)s dossiers, %(supplements)s supplement requests, %(apologies)s "
                "apologies, %(steps)s steps written in %(time)s (%(rate)s dossiers/s)."
            )
            % values
        )
        if summary.communes_created:
            self.stdout.write(
                _("%(count)d commune committees created.") % {"count": summary.communes_created}
            )
        if summary.rebuild_seconds is not None:
            self.stdout.write(
                _("Statistics rebuilt in %(time)s.") % {"time": duration(summary.rebuild_seconds)}
            )

    def _options(self, options) -> Options:
        yesterday = timezone.localdate() - timedelta(days=1)
        last = options["end"] or yesterday
        first = options["start"] or date(last.year - 4, 1, 1)
        if options["count"] < 0:
            raise CommandError(_("The number of dossiers cannot be negative."))
        if options["batch"] < 1:
            raise CommandError(_("A batch holds at least one dossier."))
        if first > last:
            raise CommandError(_("The start date is after the end date."))
        if last > yesterday:
            raise CommandError(_("The end date must be in the past."))
        return Options(
            count=options["count"],
            first=first,
            last=last,
            seed=options["seed"],
            communes=options["communes"],
            batch=options["batch"],
            steps=options["steps"],
        )
