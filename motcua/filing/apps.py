from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FilingConfig(AppConfig):
    name = "motcua.filing"
    verbose_name = _("Online filing")

    def ready(self) -> None:
        from motcua.outbox import schedule

        from . import tasks

        schedule.every(schedule.DAY, tasks.remove_expired_drafts, name="filing.expired_drafts")
