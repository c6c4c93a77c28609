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
  With `batch=` (or a `batch` method of the subscriber object, as reports.tallies.on_event
  has), the same subscriber also hears of new dossiers written in bulk, set-based
  (`announce_batch`, the history import): called once per batch with the rows about to be
  inserted, in the same transaction, it does what the dossier-by-dossier calls would have
  done, and it may set fields in the rows and return their names: they are written with
  the INSERT, as events.record saves a subscriber's fields with the dossier's change. A
  subscriber without one hears each dossier's last event once the rows are stored
  (`announce_written`; correct, slow).
* `after_commit(topic, consumer, actions=...)`: each such event writes an outbox message of
  `topic` in the same transaction (payload: event id, dossier id, action; key
  "<topic>:<event id>"), and `consumer` receives it after commit, in the worker, at least
  once (outbox.consumers). For notifications, sync messages, recomputations.
"""

from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from motcua.outbox import consumers
from motcua.outbox.services import enqueue

from .models import Dossier, DossierEvent

# Returns the names of the dossier's fields it changed and left for the caller to save.
Subscriber = Callable[[Dossier, DossierEvent], Iterable[str] | None]
# Called with the rows of new dossiers about to be inserted in bulk (every concrete field by
# attribute name, no primary key yet); returns the names of the fields it set in them.
BatchSubscriber = Callable[[Sequence[dict[str, Any]]], Iterable[str] | None]


@dataclass(frozen=True)
class _Relay:
    topic: str
    actions: frozenset[str] | None  # None: every action


_in_transaction: list[Subscriber] = []
_batch: dict[Subscriber, BatchSubscriber] = {}
_relays: dict[str, _Relay] = {}


def subscribe(callback: Subscriber, *, batch: BatchSubscriber | None = None) -> None:
    """Call `callback(dossier, event)` in the transaction of every recorded event, and
    `batch(rows)` (if given) for each batch of new dossiers written in bulk."""
    if callback not in _in_transaction:
        _in_transaction.append(callback)
    batch = batch or getattr(callback, "batch", None)
    if batch is not None:
        _batch[callback] = batch


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


def announce_batch(rows: Sequence[dict[str, Any]]) -> set[str]:
    """Tell the batch subscribers of new dossiers about to be inserted in bulk, outside
    events.record (the history import), in the caller's transaction: `rows` has every
    concrete field of each dossier by attribute name, without the primary key. Returns the
    fields they set in the rows, for the caller to write with the INSERT. Then, once the rows
    and their events are stored, the caller calls `announce_written`."""
    changed: set[str] = set()
    if rows:
        for callback in list(_in_transaction):
            if callback in _batch:
                changed.update(_batch[callback](rows) or ())
    return changed


@dataclass(frozen=True)
class Written:
    """A dossier written in bulk and its last event (announce_written)."""

    dossier: int
    event: int
    action: str


def hears_written() -> bool:
    """Whether `announce_written` has anyone to tell (else the caller may skip finding the
    last events)."""
    return bool(_relays) or any(c not in _batch for c in _in_transaction)


def announce_written(written: Sequence[Written]) -> None:
    """After `announce_batch` and the INSERT, in the same transaction: the subscribers
    without a batch function hear each dossier's last event, as `announce` would tell them
    (the fields they change are saved here), and each relay gets the message of each last
    event whose action it follows, as after a live change."""
    single = [c for c in list(_in_transaction) if c not in _batch]
    if single and written:
        _one_by_one(single, written)
    for relay in list(_relays.values()):
        for w in written:
            if relay.actions is None or w.action in relay.actions:
                payload = {"event": w.event, "dossier": w.dossier, "action": w.action}
                enqueue(relay.topic, payload, key=f"{relay.topic}:{w.event}")


def _one_by_one(callbacks: list[Subscriber], written: Sequence[Written]) -> None:
    dossiers = Dossier.objects.in_bulk([w.dossier for w in written])
    events = DossierEvent.objects.in_bulk([w.event for w in written])  # their real moments
    for w in written:
        dossier = dossiers[w.dossier]
        event = events[w.event]
        event.dossier = dossier
        unsaved: set[str] = set()
        for callback in callbacks:
            unsaved.update(callback(dossier, event) or ())
        if unsaved:
            dossier.save(update_fields=sorted(unsaved))
