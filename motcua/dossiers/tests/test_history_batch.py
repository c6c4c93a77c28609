"""The lifecycle's batch announcement, as import_dossiers uses it (lifecycle.announce_batch,
announce_written): a batch subscriber hears each batch once, before the INSERT, with every
field of the new dossiers, and the fields it sets are written with them; a subscriber
without a batch function, and the after-commit relays, hear each dossier's last event once
the rows are stored, as after a live change."""

import pytest
from django.db import transaction

from motcua.dossiers import lifecycle
from motcua.dossiers.models import Dossier, DossierEvent
from motcua.dossiers.status import Action
from motcua.dossiers.tests.test_import_dossiers import row, run, write_csv
from motcua.outbox import consumers
from motcua.outbox.models import OutboxMessage

TOPIC = "test.history_returned"
ROWS = [
    row(code="H42.50.01-250310-0001"),  # returned: received, result ready, returned
    row(code="H42.50.01-250310-0002", status="4", finished_at="", returned_at=""),
    row(code="H42.50.01-250310-0003", status="7", returned_at=""),
]


@pytest.fixture(autouse=True)
def _english():
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture
def registered():
    """Registers subscribers for one test and removes them after."""
    added: list = []

    def register(callback, **options):
        lifecycle.subscribe(callback, **options)
        added.append(callback)

    yield register
    for callback in added:
        lifecycle._in_transaction.remove(callback)
        lifecycle._batch.pop(callback, None)


def test_a_batch_subscriber_hears_each_batch_once_before_the_insert(
    tmp_path, birth_registration, commune_agency, registered
):
    batches: list[list[dict]] = []

    def batch(rows):
        assert transaction.get_connection().in_atomic_block
        assert not Dossier.objects.filter(code__in=[r["code"] for r in rows]).exists()
        batches.append([dict(r) for r in rows])
        for r in rows:
            r["outcome_note"] = f"seen {r['code'][-1]}"
        return ["outcome_note"]

    def each(dossier, event):
        raise AssertionError("a subscriber with a batch function is not called per dossier")

    registered(each, batch=batch)
    output = run(write_csv(tmp_path / "old.csv", ROWS))
    assert "imported: 3, skipped: 0" in output
    assert [[r["code"] for r in rows] for rows in batches] == [[r["code"] for r in ROWS]]
    names = {f.attname for f in Dossier._meta.concrete_fields if not f.primary_key}
    assert set(batches[0][0]) == names  # every field, as the dossier will be stored
    assert batches[0][0]["status"] == 10 and batches[0][0]["apology_count"] == 0
    assert sorted(Dossier.objects.values_list("outcome_note", flat=True)) == [
        "seen 1",
        "seen 2",
        "seen 3",
    ]


def test_a_subscriber_without_a_batch_function_hears_each_last_event(
    tmp_path, birth_registration, commune_agency, registered
):
    heard: list[tuple[str, str, int]] = []

    def each(dossier, event):
        heard.append((dossier.code, event.action, event.pk))
        assert event.created_at.year == 2025  # the event's historical moment, not now
        dossier.outcome_note = "heard"
        return ["outcome_note"]

    registered(each)
    run(write_csv(tmp_path / "old.csv", ROWS))
    last = {
        code: DossierEvent.objects.filter(dossier__code=code).latest("pk")
        for code in (r["code"] for r in ROWS)
    }
    assert sorted(heard) == sorted((code, e.action, e.pk) for code, e in last.items())
    assert [a for _c, a, _p in sorted(heard)] == [
        Action.RETURN_RESULT,
        Action.RECEIVE,
        Action.WITHDRAW,
    ]
    assert set(Dossier.objects.values_list("outcome_note", flat=True)) == {"heard"}
    assert all(d.tally for d in Dossier.objects.all())  # the tallies' batch function ran too


def test_relays_get_the_last_event_of_each_dossier_they_follow(
    tmp_path, birth_registration, commune_agency
):
    delivered: list = []
    lifecycle.after_commit(TOPIC, delivered.append, actions={Action.RETURN_RESULT})
    try:
        run(write_csv(tmp_path / "old.csv", ROWS))
    finally:
        lifecycle._relays.pop(TOPIC, None)
        consumers._consumers.pop(TOPIC, None)
    [message] = OutboxMessage.objects.filter(topic=TOPIC)
    returned = DossierEvent.objects.get(dossier__code=ROWS[0]["code"], action=Action.RETURN_RESULT)
    assert message.key == f"{TOPIC}:{returned.pk}"
    assert message.payload == {
        "event": returned.pk,
        "dossier": returned.dossier_id,
        "action": "return_result",
    }


def test_nobody_to_tell_after_the_insert_without_relays_or_plain_subscribers():
    assert not lifecycle.hears_written()  # only reports.tallies, which has a batch function
