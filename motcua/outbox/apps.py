from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutboxConfig(AppConfig):
    name = "motcua.outbox"
    verbose_name = _("Background work")

    def ready(self) -> None:
        from . import schedule, tasks

        # Delivered messages and finished task results are removed after a while.
        schedule.every(schedule.DAY, tasks.prune, name="outbox.prune")
