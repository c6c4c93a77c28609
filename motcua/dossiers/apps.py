from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DossiersConfig(AppConfig):
    name = "motcua.dossiers"
    verbose_name = _("Dossiers")

    def ready(self) -> None:
        from motcua.workdays.services import on_calendar_change

        from . import checks  # noqa: F401  (registers the system checks)
        from .deadlines import recompute_open_deadlines

        # A holiday added or removed moves the open deadlines (deadlines.py).
        on_calendar_change(recompute_open_deadlines)
