from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FakePayConfig(AppConfig):
    name = "motcua.fakepay"
    verbose_name = _("Fake payment platform (development)")

    def ready(self) -> None:
        from motcua.outbox import schedule

        from . import tasks

        # Delayed callbacks (chaos "delay") leave when their time comes; nothing when off.
        schedule.every(schedule.MINUTE, tasks.send_due_callbacks, name="fakepay.callbacks")
