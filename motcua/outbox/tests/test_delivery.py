"""The outbox's contract, in one process: written in the caller's transaction, delivered at
least once under a lease, retried with backoff, dead after the last attempt with its error."""

from datetime import timedelta

import pytest
import time_machine
from django.db import transaction
from django.utils import timezone

from motcua.outbox import delivery
from motcua.outbox.models import OutboxMessage
from motcua.outbox.services import NotInTransaction, enqueue

State = OutboxMessage.State
pytestmark = pytest.mark.django_db


def put(topic, key="k1", **payload):
    with transaction.atomic():
        enqueue(topic.name, payload or {"n": 1}, key=key)


def test_a_message_commits_with_its_transaction_or_not_at_all(topic):
    with pytest.raises(RuntimeError), transaction.atomic():
        enqueue(topic.name, {"n": 1}, key="rolled-back")
        raise RuntimeError("the change failed")
    assert not OutboxMessage.objects.exists()
    put(topic)
    assert OutboxMessage.objects.get().state == State.PENDING


@pytest.mark.django_db(transaction=True)
def test_enqueue_outside_a_transaction_is_refused(topic):
    with pytest.raises(NotInTransaction):
        enqueue(topic.name, {}, key="x")  # autocommit: it would commit without any change
    assert not OutboxMessage.objects.exists()


def test_the_same_key_twice_is_one_message(topic):
    put(topic, key="same")
    put(topic, key="same")
    assert OutboxMessage.objects.count() == 1


def test_a_delivered_message_is_not_delivered_again(topic):
    put(topic, day=timezone.localdate())
    summary = delivery.deliver_due("w1")
    assert (summary.delivered, summary.failed) == (1, 0)
    [message] = topic.received
    assert (message.key, message.attempt) == ("k1", 1)
    assert message.payload["day"] == timezone.localdate().isoformat()
    row = OutboxMessage.objects.get()
    assert (row.state, row.attempts, row.last_error) == (State.DELIVERED, 1, "")
    assert row.delivered_at is not None
    assert delivery.deliver_due("w1").delivered == 0


def test_a_failure_waits_for_a_backoff_then_succeeds(topic, settings):
    settings.MOTCUA_OUTBOX_BACKOFF_BASE, settings.MOTCUA_OUTBOX_BACKOFF_CAP = 60, 600
    topic.failures.append(ConnectionError("the SMS gateway is down"))
    put(topic)
    assert delivery.deliver_due("w1").failed == 1
    row = OutboxMessage.objects.get()
    assert row.state == State.PENDING and row.attempts == 1
    assert "the SMS gateway is down" in row.last_error
    waited = (row.available_at - timezone.now()).total_seconds()
    assert 29 <= waited <= 60  # [base/2, base] after the first failure
    assert delivery.deliver_due("w1").delivered == 0  # not yet
    with time_machine.travel(row.available_at + timedelta(seconds=1)):
        assert delivery.deliver_due("w1").delivered == 1
    assert [m.attempt for m in topic.received] == [1, 2]


def test_after_the_last_attempt_it_is_a_dead_letter_with_its_error(topic, settings):
    settings.MOTCUA_OUTBOX_MAX_ATTEMPTS = 3
    topic.failures.extend(ValueError(f"bad {n}") for n in range(5))
    put(topic)
    now = timezone.now()
    for day in (1, 2, 3):
        with time_machine.travel(now + timedelta(days=day)):
            delivery.deliver_due("w1")
    row = OutboxMessage.objects.get()
    assert (row.state, row.attempts) == (State.DEAD, 3)
    assert "ValueError: bad 2" in row.last_error
    with time_machine.travel(timezone.now() + timedelta(days=30)):
        assert delivery.deliver_due("w1").failed == 0  # dead letters wait for a person
    assert len(topic.received) == 3


def test_a_message_held_by_a_dead_worker_is_taken_again_after_its_lease(topic, settings):
    settings.MOTCUA_OUTBOX_LEASE_SECONDS = 120
    put(topic)
    [taken] = delivery.claim("dead-worker")  # ... and the worker died
    assert delivery.claim("w2") == []  # leased: nobody else takes it meanwhile
    with time_machine.travel(timezone.now() + timedelta(seconds=121)):
        assert delivery.deliver_due("w2").delivered == 1
    row = OutboxMessage.objects.get()
    assert (row.state, row.attempts, row.leased_by) == (State.DELIVERED, 2, "w2")
    assert [m.key for m in topic.received] == [taken.key]


def test_the_late_outcome_of_a_lost_lease_does_not_count(topic, settings):
    put(topic)
    [message] = delivery.claim("slow-worker")
    with time_machine.travel(timezone.now() + timedelta(seconds=301)):
        [again] = delivery.claim("w2")
    assert again.attempt == 2
    topic.failures.append(RuntimeError("too late anyway"))
    assert not delivery.deliver(message, "slow-worker")  # its failure is not recorded
    assert OutboxMessage.objects.get().leased_by == "w2"
    assert delivery.deliver(again, "w2")
    assert OutboxMessage.objects.get().state == State.DELIVERED


def test_a_message_that_kills_every_worker_ends_dead(topic, settings):
    settings.MOTCUA_OUTBOX_MAX_ATTEMPTS = 2
    put(topic)
    now = timezone.now()
    for hours in (1, 2):  # claimed, and the worker dies each time
        with time_machine.travel(now + timedelta(hours=hours)):
            assert delivery.claim("doomed") != []
    with time_machine.travel(now + timedelta(hours=3)):
        assert delivery.claim("next") == []
    row = OutboxMessage.objects.get()
    assert (row.state, row.last_error) == (State.DEAD, delivery.LEASE_LOST)
    assert topic.received == []


def test_a_topic_without_consumer_fails_visibly(db):
    with transaction.atomic():
        enqueue("nobody.listens", {}, key="orphan")
    assert delivery.deliver_due("w1").failed == 1
    assert "no consumer is registered" in OutboxMessage.objects.get().last_error
