from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QueueingConfig(AppConfig):
    name = "motcua.queueing"
    verbose_name = _("Queue and centre devices")

    def ready(self) -> None:
        from motcua.dossiers import lifecycle
        from motcua.outbox import consumers, schedule

        from . import linking, near, print_jobs, tasks

        # In the recording transaction: the ticket being served takes the dossier.
        lifecycle.subscribe(linking.on_event, batch=linking.on_batch)
        # "Your turn is near", after the call's commit, through the notices' SMS channel.
        consumers.register(near.TOPIC, near.deliver)
        # Tickets sent to the kiosk's thermal printer after their commit (retried, dead letter).
        consumers.register(print_jobs.TOPIC, print_jobs.deliver)
        # Tickets left open by a day that ended are closed (the day's figures are final).
        schedule.every(schedule.HOUR, tasks.close_past_tickets, name="queueing.close_days")
