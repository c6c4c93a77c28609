"""Delivering the outbox: claim a batch of due messages under a lease, call each one's consumer,
record the outcome (decision record 0009).

At least once: a message is marked delivered only after its consumer returned; a worker that
dies in between leaves it leased, and it is taken again when the lease runs out. Never twice
at the same time: the claim takes rows with SELECT ... FOR UPDATE SKIP LOCKED on PostgreSQL,
so concurrent workers split the due messages between them; on SQLite the claim is one
IMMEDIATE transaction (settings), which holds the database's write lock, so claims are
serialised. A leased message is due again only when its lease ends, so the lease must
outlast the slowest consumer (MOTCUA_OUTBOX_LEASE_SECONDS).

Every claim counts as an attempt, including one whose worker died: a message that kills the
worker cannot be retried forever. After MOTCUA_OUTBOX_MAX_ATTEMPTS it is dead, with its last
error, until an administrator retries it (admin, services.retry_messages).
"""

import logging
import os
import secrets
import socket
import time
import traceback
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from .backoff import Backoff
from .consumers import Message, consumer_of
from .models import OutboxMessage

logger = logging.getLogger(__name__)
State = OutboxMessage.State
BATCH_SIZE = 20
ERROR_LENGTH = 4000
LEASE_LOST = "the worker delivering it stopped before it finished (its lease ran out)"


def backoff() -> Backoff:
    return Backoff(settings.MOTCUA_OUTBOX_BACKOFF_BASE, settings.MOTCUA_OUTBOX_BACKOFF_CAP)


@cache
def worker_id() -> str:
    """This process's name in `leased_by` (host, pid and a random part: unique even when a
    pid is reused)."""
    return f"{socket.gethostname()[:40]}:{os.getpid()}:{secrets.token_hex(4)}"


def _due(now: datetime):
    return OutboxMessage.objects.filter(
        state__in=[State.PENDING, State.LEASED], available_at__lte=now
    ).order_by("available_at", "id")


def has_due(now: datetime | None = None) -> bool:
    """Whether a message waits for delivery now (one indexed read)."""
    return _due(now or timezone.now()).exists()


def claim(owner: str, *, size: int = BATCH_SIZE, now: datetime | None = None) -> list[Message]:
    """Lease up to `size` due messages to `owner` and return them; those whose last attempt
    was lost with its worker and that have no attempt left become dead letters instead."""
    now = now or timezone.now()
    until = now + timedelta(seconds=settings.MOTCUA_OUTBOX_LEASE_SECONDS)
    skip = connection.features.has_select_for_update_skip_locked
    fields = ("pk", "topic", "key", "payload", "attempts", "state")
    with transaction.atomic():
        rows = list(_due(now).select_for_update(skip_locked=skip).values_list(*fields)[:size])
        spent = [r[0] for r in rows if r[5] == State.LEASED and _exhausted(r[4])]
        taken = [r for r in rows if r[0] not in spent]
        if spent:
            OutboxMessage.objects.filter(pk__in=spent).update(
                state=State.DEAD, leased_until=None, last_error=LEASE_LOST
            )
        OutboxMessage.objects.filter(pk__in=[r[0] for r in taken]).update(
            state=State.LEASED,
            leased_by=owner,
            leased_until=until,
            available_at=until,
            attempts=F("attempts") + 1,
        )
    return [
        Message(pk, topic, key, payload, attempts + 1)
        for pk, topic, key, payload, attempts, _ in taken
    ]


def _exhausted(attempts: int) -> bool:
    return attempts >= settings.MOTCUA_OUTBOX_MAX_ATTEMPTS


def deliver(message: Message, owner: str) -> bool:
    """Call the consumer of `message` and record the outcome; True when it succeeded."""
    try:
        consumer_of(message.topic)(message)
    except Exception as error:  # noqa: BLE001 - any failure of a consumer is an attempt
        _failed(message, owner, error)
        return False
    _finish(message, owner, state=State.DELIVERED, delivered_at=timezone.now(), last_error="")
    return True


def _failed(message: Message, owner: str, error: Exception) -> None:
    text = "".join(traceback.format_exception(error))[-ERROR_LENGTH:]
    logger.warning("outbox: %s failed (attempt %s): %s", message.key, message.attempt, error)
    if _exhausted(message.attempt):
        _finish(message, owner, state=State.DEAD, last_error=text)
        return
    wait = timedelta(seconds=backoff().delay(message.attempt))
    _finish(
        message, owner, state=State.PENDING, available_at=timezone.now() + wait, last_error=text
    )


def _finish(message: Message, owner: str, **values) -> None:
    """Record an outcome, if `owner` still holds the lease (else another worker has taken the
    message since, and its outcome counts)."""
    held = OutboxMessage.objects.filter(pk=message.id, state=State.LEASED, leased_by=owner)
    if not held.update(leased_until=None, **values):
        logger.warning("outbox: lease of %s lost before its outcome was recorded", message.key)


@dataclass
class Summary:
    delivered: int = 0
    failed: int = 0

    def __str__(self) -> str:
        return f"delivered: {self.delivered}, failed: {self.failed}"


def deliver_due(
    owner: str, *, size: int = BATCH_SIZE, budget_seconds: float | None = None
) -> Summary:
    """Deliver due messages batch after batch until none is due (or `budget_seconds` passed,
    so that a long backlog does not hold one task forever)."""
    summary, started = Summary(), time.monotonic()
    while budget_seconds is None or time.monotonic() - started < budget_seconds:
        batch = claim(owner, size=size)
        for message in batch:
            if deliver(message, owner):
                summary.delivered += 1
            else:
                summary.failed += 1
        if len(batch) < size:
            break
    return summary
