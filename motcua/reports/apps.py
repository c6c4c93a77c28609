from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "motcua.reports"
    verbose_name = _("Reports")

    def ready(self) -> None:
        from motcua.dossiers import lifecycle
        from motcua.outbox import schedule

        from . import tallies, tasks

        # The running tallies stay exact: kept in the transaction of each dossier event.
        lifecycle.subscribe(tallies.on_event)
        # The month snapshots are the worker's, never a report's (tallies.py).
        schedule.every(schedule.HOUR, tasks.make_month_snapshots, name="reports.snapshots")
