"""From a dossier event to notices: which actions the applicant hears of, the subscriber
that writes one outbox message in the transition's transaction, and the worker's fan-out of
that message into one message per channel (docs/notifications.md).

The transition pays one INSERT (the notice's outbox message), and only for the actions
below, when a channel is on and the dossier has a contact; everything else (the person's
preferences, the texts, the providers) is the worker's, after commit.
"""

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from motcua.dossiers.models import Dossier, DossierEvent
from motcua.dossiers.status import Action
from motcua.outbox.consumers import Message
from motcua.outbox.models import OutboxMessage
from motcua.outbox.services import enqueue

from . import addresses, conf
from .models import Channel, Event

# The dossier's actions that its applicant is told of (Decree 224/2026 art. 15).
NOTICES: dict[str, Event] = {
    Action.RECEIVE: Event.RECEIVED,
    Action.REFUSE_AT_RECEPTION: Event.NOT_RECEIVED,
    Action.REQUEST_SUPPLEMENT_AT_RECEPTION: Event.SUPPLEMENT,
    Action.REQUEST_SUPPLEMENT: Event.SUPPLEMENT,
    Action.APOLOGISE: Event.APOLOGY,
    Action.MARK_RESULT_READY: Event.RESULT_READY,
    Action.REFUSE_AFTER_APPRAISAL: Event.RESULT_READY,
    Action.RETURN_RESULT: Event.RETURNED,
}

EVENT_TOPIC = "notifications.event"


def channel_topic(channel: str) -> str:
    return f"notifications.{channel}"


class Subscriber:
    """dossiers.lifecycle subscriber, called in the transaction of every recorded event."""

    def __call__(self, dossier: Dossier, event: DossierEvent) -> None:
        if event.action not in NOTICES or not (dossier.applicant_phone or dossier.applicant_email):
            return
        if event.created_at < timezone.now() - conf.max_age() or not conf.channels():
            return
        payload = {"event": event.pk, "dossier": dossier.pk, "action": event.action}
        enqueue(EVENT_TOPIC, payload, key=f"{EVENT_TOPIC}:{event.pk}")

    def batch(self, rows: Sequence[dict[str, Any]]) -> Iterable[str] | None:
        """Dossiers written in bulk are history (the import): nobody is told of them."""
        return None


on_event = Subscriber()


def fan_out(message: Message) -> None:
    """Outbox consumer of a notice: one message per channel that has an address for the
    applicant, each with its key (event and channel), SMS held until the quiet hours end.
    Delivered again, it writes nothing more (the keys are taken)."""
    event = DossierEvent.objects.select_related("dossier").get(pk=message.payload["event"])
    dossier = event.dossier
    now = timezone.now()
    with transaction.atomic():
        for channel in conf.channels():
            to = addresses.for_channel(channel, dossier.applicant_phone, dossier.applicant_email)
            if to is None:
                continue
            quiet = conf.quiet_hours()
            after = quiet.until(now) if quiet and channel == Channel.SMS else None
            payload = {"event": event.pk, "channel": channel, "to": to}
            enqueue_at(channel_topic(channel), payload, key=notice_key(event.pk, channel), at=after)


def notice_key(event_id: int, channel: str) -> str:
    return f"{channel_topic(channel)}:{event_id}"


def enqueue_at(topic: str, payload: dict[str, Any], *, key: str, at: datetime | None) -> None:
    """outbox.enqueue, the message due at `at` instead of now (quiet hours). The outbox
    has no parameter for it: its row, just written and never tried, is moved."""
    enqueue(topic, payload, key=key)
    if at is not None:
        OutboxMessage.objects.filter(key=key, state=OutboxMessage.State.PENDING, attempts=0).update(
            available_at=at
        )
