"""Who receives the messages of each topic: one consumer per topic, registered by the app that
owns the reaction (in its AppConfig.ready), so that the app writing a message never imports
the one reacting to it.

A consumer is called by the worker after the message's transaction committed, outside any
transaction of ours (it opens its own), at least once: after a crash, or a lease that ran
out, the same message comes again. A consumer therefore ignores a second delivery of the
same `Message.key` (or its effect is the same when repeated). An exception is a failed
attempt: the message is retried later (outbox.backoff), and after
MOTCUA_OUTBOX_MAX_ATTEMPTS it waits in the dead letters with the error.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Message:
    """What a consumer receives."""

    id: int
    topic: str
    key: str  # unique per message: the idempotency key
    payload: dict[str, Any]
    attempt: int  # 1 for the first delivery


Consumer = Callable[[Message], None]

_consumers: dict[str, Consumer] = {}


class NoConsumer(LookupError):
    """A message of a topic nobody consumes: a failed attempt, kept with this error."""


def register(topic: str, consumer: Consumer) -> None:
    """Make `consumer` the receiver of `topic`'s messages (registering it again is a no-op;
    a second, different consumer for the same topic is a programming error)."""
    known = _consumers.get(topic)
    if known is not None and known is not consumer:
        raise ValueError(f"topic {topic!r} already has a consumer: {known!r}")
    _consumers[topic] = consumer


def consumer_of(topic: str) -> Consumer:
    try:
        return _consumers[topic]
    except KeyError:
        raise NoConsumer(f"no consumer is registered for topic {topic!r}") from None


def topics() -> list[str]:
    return sorted(_consumers)
