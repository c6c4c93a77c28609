"""'Your turn is near': a text message to whoever left a phone number at the kiosk, once, when
a call leaves at most NEAR tickets of their service before theirs. Written in the call's
transaction as an outbox message (delivered after commit, at least once, its key making a
second delivery harmless) and sent through the notices' SMS channel (the console in
development); nothing is sent where no SMS channel is configured."""

from datetime import datetime

from django.utils.translation import gettext as _

from motcua.notifications import channels, conf
from motcua.notifications.models import Channel
from motcua.notifications.rendering import Rendered
from motcua.outbox import consumers
from motcua.outbox.services import enqueue

from .models import State, Ticket

TOPIC = "queueing.turn_near"
NEAR = 2


def after_call(ticket: Ticket, *, at: datetime) -> None:
    """Inside the call's transaction: the first NEAR waiting tickets of the called ticket's
    service that left a phone and were not told yet are told now."""
    line = Ticket.objects.filter(
        service_id=ticket.service_id, day=ticket.day, state=State.WAITING
    ).order_by("priority", "queued_at", "id")[:NEAR]
    for near in line:
        if near.phone and near.near_notice_at is None:
            near.near_notice_at = at
            near.save(update_fields=["near_notice_at"])
            enqueue(TOPIC, {"ticket": near.pk}, key=f"{TOPIC}:{near.pk}")


def _channel() -> str | None:
    chosen = conf.channels()
    for channel in (Channel.SMS, Channel.CONSOLE):
        if channel in chosen:
            return channel
    return None


def deliver(message: consumers.Message) -> None:
    ticket = (
        Ticket.objects.select_related("point__reception_point", "service")
        .filter(pk=message.payload["ticket"])
        .first()
    )
    channel = _channel()
    if ticket is None or ticket.state != State.WAITING or channel is None:
        return  # called already, or no way to send: nothing to say
    text = _("%(code)s: your turn at %(point)s is near. Please stay close to the counters.") % {
        "code": ticket.display_code,
        "point": ticket.point,
    }
    channels.send(channel, ticket.phone, Rendered(text, text, text, "", {}), key=message.key)
