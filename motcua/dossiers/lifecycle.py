"""Who hears of each recorded dossier event: a small explicit registry (no Django signals), so
that the domain core never imports the apps that react to it (style.md: `dossiers` must not
import `reports`).

Two kinds of subscriber, registered in the subscribing app's AppConfig.ready:

* `subscribe(callback)`: called with (dossier, event) inside the transaction that records the
  event, before it commits. For what must stay exact with the dossiers (the statistics'
  running tallies, reports.tallies): it commits with the change or not at all. It must be
  quick and must not fail for reasons other than the database's. It may change fields of
  the dossier and return their names instead of saving them: events.record saves them with
  the dossier's own change, in one UPDATE.
* `after_commit(topic, consumer, actions=...)`: each such event writes an outbox message of
  `topic` in the same transaction (payload: event id, dossier id, action; key
  "<topic>:<event id>"), and `consumer` receives it after commit, in the worker, at least
  once (outbox.consumers). For notifications, sync messages, recomputations.
"""

from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass

from motcua.outbox import consumers
from motcua.outbox.services import enqueue

from .models import Dossier, DossierEvent

# Returns the names of the dossier's fields it changed and left for the caller to save.
Subscriber = Callable[[Dossier, DossierEvent], Iterable[str] | None]


@dataclass(frozen=True)
class _Relay:
    topic: str
    actions: frozenset[str] | None  # None: every action


_in_transaction: list[Subscriber] = []
_relays: dict[str, _Relay] = {}


def subscribe(callback: Subscriber) -> None:
    """Call `callback(dossier, event)` in the transaction of every recorded event."""
    if callback not in _in_transaction:
        _in_transaction.append(callback)


def after_commit(
    topic: str, consumer: consumers.Consumer, *, actions: Collection[str] | None = None
) -> None:
    """Deliver the events of `actions` (all when None) to `consumer` after commit, through
    the outbox under `topic`."""
    consumers.register(topic, consumer)
    _relays[topic] = _Relay(topic, frozenset(actions) if actions is not None else None)


def announce(dossier: Dossier, event: DossierEvent) -> set[str]:
    """Tell the subscribers of `event`, just recorded for `dossier` (events.record calls it;
    nothing else should). Returns the dossier's fields they changed, for record to save."""
    unsaved: set[str] = set()
    for callback in list(_in_transaction):
        unsaved.update(callback(dossier, event) or ())
    for relay in list(_relays.values()):
        if relay.actions is None or event.action in relay.actions:
            # No code: at reception it is provisional until just before commit (codes.py).
            payload = {"event": event.pk, "dossier": dossier.pk, "action": event.action}
            enqueue(relay.topic, payload, key=f"{relay.topic}:{event.pk}")
    return unsaved
