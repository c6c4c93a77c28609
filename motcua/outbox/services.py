"""Writing messages into the outbox, and an administrator's retry.

`enqueue` is called inside the transaction of the change it follows: the message commits
with the change or not at all (a commit without its message, or a message without its
commit, cannot happen). Delivery is the worker's (outbox.delivery).
"""

import json
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from motcua.audit.services import record_event

from .models import OutboxMessage

State = OutboxMessage.State


class NotInTransaction(RuntimeError):
    """`enqueue` outside a transaction: the message could commit without its change."""


def enqueue(topic: str, payload: dict[str, Any], *, key: str) -> None:
    """Write a message of `topic` for delivery after the current transaction commits.

    `key` identifies the message: unique across all topics (prefix it with the topic), the
    same when the same change is enqueued again (a second enqueue of a key is ignored), and
    handed to the consumer so that it can ignore a second delivery. One INSERT."""
    if not transaction.get_connection().in_atomic_block:
        raise NotInTransaction("outbox.enqueue must run inside the change's transaction")
    message = OutboxMessage(
        topic=topic, key=key, payload=_jsonable(payload), available_at=timezone.now()
    )
    OutboxMessage.objects.bulk_create([message], ignore_conflicts=True)


def _jsonable(payload: dict[str, Any]) -> dict[str, Any]:
    """Dates, decimals, UUIDs... as JSON text, at any depth (as the consumer will read them)."""
    return json.loads(json.dumps(payload, cls=DjangoJSONEncoder))


@transaction.atomic
def retry_messages(messages: QuerySet[OutboxMessage], *, actor) -> int:
    """Put dead (or waiting) messages back for delivery now, with a fresh count of attempts;
    delivered and leased ones are left alone. Audited, one event per message. Returns how
    many were put back."""
    chosen = list(messages.select_for_update().filter(state__in=[State.DEAD, State.PENDING]))
    now = timezone.now()
    for message in chosen:
        previous = {"state": message.state, "attempts": message.attempts}
        message.state, message.attempts, message.available_at = State.PENDING, 0, now
        message.save(update_fields=["state", "attempts", "available_at"])
        record_event("outbox_message.retried", message, actor=actor, previous=previous)
    return len(chosen)
