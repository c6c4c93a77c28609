"""The dossiers' lifecycle registry (lifecycle.py): subscribers in the event's transaction,
and after-commit consumers through the outbox; the domain core imports none of its readers."""

import ast
from pathlib import Path

import pytest
from django.db import transaction

from motcua.dossiers import lifecycle
from motcua.dossiers.models import Dossier, DossierEvent
from motcua.dossiers.status import Action
from motcua.outbox import consumers
from motcua.outbox.delivery import deliver_due
from motcua.outbox.models import OutboxMessage

TOPIC = "test.dossier_received"
DOSSIERS = Path(__file__).resolve().parent.parent
READERS = ("motcua.reports",)


@pytest.fixture
def notified():
    received: list[consumers.Message] = []
    lifecycle.after_commit(TOPIC, received.append, actions={Action.RECEIVE})
    yield received
    lifecycle._relays.pop(TOPIC, None)
    consumers._consumers.pop(TOPIC, None)


def test_a_received_dossier_is_announced_after_commit_through_the_outbox(receive, notified):
    dossier = receive()
    event = DossierEvent.objects.get(dossier=dossier, action=Action.RECEIVE)
    message = OutboxMessage.objects.get(topic=TOPIC)
    assert message.key == f"{TOPIC}:{event.pk}"
    assert notified == []  # not before the worker delivers it
    deliver_due("test-worker")
    [delivered] = notified
    assert delivered.payload == {
        "event": event.pk,
        "dossier": dossier.pk,
        "action": "receive",
    }


def test_other_actions_write_no_message(notified, processing):
    assert processing.events.filter(action=Action.HAND_OVER).exists()
    assert OutboxMessage.objects.filter(topic=TOPIC).count() == 1  # the receipt only


def test_a_change_rolled_back_leaves_neither_event_nor_message(receive, notified):
    with pytest.raises(RuntimeError), transaction.atomic():
        receive()
        raise RuntimeError("after the event, before the commit")
    assert not Dossier.objects.exists()
    assert not OutboxMessage.objects.filter(topic=TOPIC).exists()


def test_in_transaction_subscribers_see_each_event(receive):
    seen: list[tuple[int, str]] = []

    def subscriber(dossier, event):
        assert transaction.get_connection().in_atomic_block
        seen.append((dossier.pk, event.action))

    lifecycle.subscribe(subscriber)
    try:
        dossier = receive()
    finally:
        lifecycle._in_transaction.remove(subscriber)
    assert seen == [(dossier.pk, "receive")]


def test_the_statistics_keep_in_step_through_the_registry(receive):
    dossier = receive()
    dossier.refresh_from_db()
    assert dossier.tally  # reports.tallies subscribed from reports.apps


def _imports(path: Path) -> set[str]:
    """Every module `path` imports, relative imports made absolute, `from a import b` also
    counted as `a.b` (b may be a module)."""
    package = ["motcua", *path.relative_to(DOSSIERS.parent).parent.parts]
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else []
            module = ".".join([*base, *([node.module] if node.module else [])])
            names.add(module)
            names.update(f"{module}.{alias.name}" for alias in node.names)
    return names


def test_no_module_of_the_domain_core_imports_a_reader_of_it():
    """style.md: `dossiers` reacts to nobody; readers subscribe (lifecycle.py)."""
    offenders = {}
    for path in DOSSIERS.rglob("*.py"):
        if "tests" in path.relative_to(DOSSIERS).parts:
            continue
        found = [name for name in _imports(path) if name.startswith(READERS)]
        if found:
            offenders[str(path.relative_to(DOSSIERS))] = sorted(found)
    assert offenders == {}
    assert "motcua.dossiers.lifecycle" in _imports(DOSSIERS / "events.py")  # the walk works
    assert "motcua.reports.tallies" in _imports(DOSSIERS.parent / "reports" / "apps.py")
