from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FeedbackConfig(AppConfig):
    name = "motcua.feedback"
    verbose_name = _("Ratings and feedback")

    def ready(self) -> None:
        from motcua.dossiers import lifecycle
        from motcua.outbox import consumers

        from . import conf, invitations, notices
        from .register import NOTICE_TOPIC

        # The sender hears of the answer (or the refusal) after the change commits.
        consumers.register(NOTICE_TOPIC, notices.on_notice)
        # The applicant is invited to rate when the result is returned, if the centre wants it.
        consumers.register(invitations.INVITE_TOPIC, invitations.on_returned)
        if conf.rating_invitations():
            lifecycle.after_commit(
                invitations.INVITE_TOPIC, invitations.on_returned, actions={"return_result"}
            )
