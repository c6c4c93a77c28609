"""Concurrent intake never duplicates or skips a number (real threads, real connections).

Runs on PostgreSQL; SQLite's in-memory test database cannot be shared between threads, and
on SQLite IMMEDIATE transactions serialise writers anyway."""

import threading

import pytest
from django.db import connection, connections, transaction

from motcua.dossiers.codes import next_dossier_code
from motcua.organisations.models import Agency

WORKERS = 8
PER_WORKER = 10


@pytest.mark.django_db(transaction=True)
def test_concurrent_code_generation_is_gapless_and_unique(province):
    if connection.vendor != "postgresql":
        pytest.skip("needs a database shared between threads")
    from django.utils import timezone

    agency = Agency.objects.create(code="H42.77", name="A", kind="other_vertical", unit=province)
    now = timezone.now()
    codes: list[str] = []
    lock = threading.Lock()
    barrier = threading.Barrier(WORKERS)

    def work():
        barrier.wait()
        try:
            for _ in range(PER_WORKER):
                with transaction.atomic():
                    code = next_dossier_code(agency, now)
                with lock:
                    codes.append(code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work) for _ in range(WORKERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    numbers = sorted(int(code.rsplit("-", 1)[1]) for code in codes)
    assert numbers == list(range(1, WORKERS * PER_WORKER + 1))


@pytest.mark.django_db(transaction=True)
def test_sequence_outside_a_transaction_is_refused(province):
    from django.utils import timezone

    agency = Agency.objects.create(code="H42.78", name="B", kind="other_vertical", unit=province)
    with pytest.raises(RuntimeError):
        next_dossier_code(agency, timezone.now())
    with transaction.atomic():
        assert next_dossier_code(agency, timezone.now()).endswith("-0001")
