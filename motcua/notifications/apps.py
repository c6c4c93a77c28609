from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "motcua.notifications"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        from motcua.dossiers import lifecycle
        from motcua.outbox import consumers

        from . import checks, delivery, notices  # noqa: F401 - checks registers itself
        from .models import Channel

        # In the transition's transaction: the notice commits with the change or not at all.
        lifecycle.subscribe(notices.on_event)
        consumers.register(notices.EVENT_TOPIC, notices.fan_out)
        for channel in Channel.values:
            consumers.register(notices.channel_topic(channel), delivery.deliver)
