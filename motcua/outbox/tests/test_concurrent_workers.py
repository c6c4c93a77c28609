"""Several workers on PostgreSQL (real threads, each with its own connection) split the due
messages between them: no message is delivered by two workers at the same time, and each is
delivered once (SELECT ... FOR UPDATE SKIP LOCKED in outbox.delivery.claim). SQLite runs one
worker (its writers are serialised anyway); skipped there."""

import threading
import time
from collections import Counter

import pytest
from django.db import connection, connections, transaction

from motcua.outbox import consumers, delivery
from motcua.outbox.models import OutboxMessage
from motcua.outbox.services import enqueue

WORKERS, MESSAGES = 4, 240
TOPIC = "test.concurrent"


@pytest.mark.django_db(transaction=True)
def test_workers_never_deliver_the_same_message_at_the_same_time():
    if connection.vendor != "postgresql":
        pytest.skip("needs a database shared between threads with row locks")
    lock = threading.Lock()
    in_flight: set[str] = set()
    overlaps: list[str] = []
    deliveries: Counter[str] = Counter()
    by_worker: Counter[str] = Counter()

    def consume(message: consumers.Message) -> None:
        with lock:
            if message.key in in_flight:
                overlaps.append(message.key)
            in_flight.add(message.key)
            deliveries[message.key] += 1
        time.sleep(0.002)  # a consumer that takes a little while widens any window
        with lock:
            in_flight.discard(message.key)

    consumers.register(TOPIC, consume)
    with transaction.atomic():
        for n in range(MESSAGES):
            enqueue(TOPIC, {"n": n}, key=f"{TOPIC}:{n}")
    barrier, errors = threading.Barrier(WORKERS), []

    def worker(name: str) -> None:
        barrier.wait()
        try:
            while delivery.has_due():
                by_worker[name] += delivery.deliver_due(name, size=5).delivered
        except BaseException as error:  # noqa: BLE001 - reported by the main thread
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(f"w{n}",)) for n in range(WORKERS)]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        consumers._consumers.pop(TOPIC, None)
    assert errors == []
    assert overlaps == []
    assert len(deliveries) == MESSAGES and set(deliveries.values()) == {1}
    assert OutboxMessage.objects.filter(state="delivered").count() == MESSAGES
    assert sum(by_worker.values()) == MESSAGES
    assert len([name for name, count in by_worker.items() if count]) > 1  # they shared it
