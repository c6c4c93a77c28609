"""Concurrent attempts from several connections lose no update (real threads, PostgreSQL).

SQLite's in-memory test database cannot be shared between threads, and there IMMEDIATE
transactions serialise writers anyway."""

import threading

import pytest
from django.db import connection, connections

from motcua.throttle.models import AttemptCounter
from motcua.throttle.services import Limit, hit, hit_all

WORKERS = 8
PER_WORKER = 25
LIMIT = 60


@pytest.mark.django_db(transaction=True)
def test_concurrent_hits_count_every_attempt_and_admit_exactly_the_limit(settings):
    if connection.vendor != "postgresql":
        pytest.skip("needs a database shared between threads")
    settings.MOTCUA_THROTTLE_PRUNE_EVERY = 0
    admitted: list[bool] = []
    lock = threading.Lock()
    barrier = threading.Barrier(WORKERS)

    def work() -> None:
        barrier.wait()
        try:
            for _ in range(PER_WORKER):
                allowed = hit("shared", limit=LIMIT, window_seconds=3600)
                with lock:
                    admitted.append(allowed)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work) for _ in range(WORKERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert AttemptCounter.objects.get(key="shared").count == WORKERS * PER_WORKER
    assert admitted.count(True) == LIMIT
    assert len(admitted) == WORKERS * PER_WORKER


@pytest.mark.django_db(transaction=True)
def test_concurrent_attempts_on_the_same_keys_in_any_order_do_not_deadlock(settings):
    if connection.vendor != "postgresql":
        pytest.skip("needs a database shared between threads")
    settings.MOTCUA_THROTTLE_PRUNE_EVERY = 0
    first, second = Limit("address", LIMIT, 3600), Limit("address code", LIMIT, 3600)
    barrier = threading.Barrier(WORKERS)
    failures: list[BaseException] = []

    def work(limits: list[Limit]) -> None:
        barrier.wait()
        try:
            for _ in range(PER_WORKER):
                hit_all(limits)
        except BaseException as exc:  # a deadlock would surface here
            failures.append(exc)
        finally:
            connections.close_all()

    orders = [[first, second], [second, first]]
    threads = [threading.Thread(target=work, args=(orders[n % 2],)) for n in range(WORKERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert failures == []
    assert dict(AttemptCounter.objects.values_list("key", "count")) == {
        "address": WORKERS * PER_WORKER,
        "address code": WORKERS * PER_WORKER,
    }
