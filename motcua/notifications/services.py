"""What an administrator does to notices: send refused ones again (a notice still waiting
is retried by the outbox; its dead letter is retried from the outbox's admin)."""

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from motcua.audit.services import record_event

from .models import Notification
from .notices import channel_topic, enqueue_at, notice_key

State = Notification.State


@transaction.atomic
def send_again(notices: QuerySet[Notification], *, actor) -> int:
    """Put refused notices back for delivery now, each through a new outbox message (the
    first one is spent). Others are left alone. Audited, one event per notice."""
    now = timezone.now()
    chosen = list(notices.select_for_update().filter(state=State.REFUSED))
    for notice in chosen:
        previous = {"state": notice.state, "attempts": notice.attempts}
        notice.state = State.PENDING
        notice.save(update_fields=["state"])
        payload = {"event": notice.event_id, "channel": notice.channel, "to": notice.recipient}
        key = f"{notice_key(notice.event_id, notice.channel)}:again:{now:%Y%m%d%H%M%S%f}"
        enqueue_at(channel_topic(notice.channel), payload, key=key, at=None)
        record_event("notification.sent_again", notice, actor=actor, previous=previous)
    return len(chosen)
