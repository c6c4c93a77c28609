from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FeedbackConfig(AppConfig):
    name = "motcua.feedback"
    verbose_name = _("Ratings and feedback")

    def ready(self) -> None:
        from motcua.outbox import consumers

        from . import notices
        from .register import NOTICE_TOPIC

        # The sender hears of the answer (or the refusal) after the change commits.
        consumers.register(NOTICE_TOPIC, notices.on_notice)
