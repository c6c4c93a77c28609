"""Concurrent attempts from several connections lose no update (real threads, PostgreSQL).

SQLite's in-memory test database cannot be shared between threads, and there IMMEDIATE
transactions serialise writers anyway."""

import threading

import pytest
from django.db import connection, connections

from motcua.throttle.models import AttemptCounter
from motcua.throttle.services import hit

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
