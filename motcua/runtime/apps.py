from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RuntimeConfig(AppConfig):
    name = "motcua.runtime"
    verbose_name = _("Running system")

    def ready(self) -> None:
        from motcua.outbox import schedule

        from . import maintenance

        # SQLite's planner statistics, refreshed daily (maintenance.py).
        schedule.every(schedule.DAY, maintenance.analyse_database, name="runtime.analyse")
