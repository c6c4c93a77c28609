from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DossiersConfig(AppConfig):
    name = "motcua.dossiers"
    verbose_name = _("Dossiers")

    def ready(self) -> None:
        from django.conf import settings

        from motcua.outbox import consumers, schedule
        from motcua.workdays.services import CALENDAR_CHANGED

        from . import (
            checks,  # noqa: F401  (registers the system checks)
            deadlines,
            tasks,
        )

        # A holiday added or removed moves the open deadlines (deadlines.py).
        consumers.register(CALENDAR_CHANGED, deadlines.on_calendar_change)
        # Due-soon, apology and overdue warnings, recorded by the worker.
        schedule.every(
            settings.MOTCUA_DEADLINES_INTERVAL,
            tasks.record_deadline_warnings,
            name="dossiers.deadlines",
        )
