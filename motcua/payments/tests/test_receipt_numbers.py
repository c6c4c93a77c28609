"""Receipt numbers (Decree 254/2026 art. 23.2): per series, from 1 each 1 January in
Vietnam's time, contiguous under concurrent confirmations (PostgreSQL, real threads), a
rolled-back confirmation giving its number back."""

import threading
from datetime import UTC, datetime
from uuid import uuid4

import pytest
from django.db import connection, connections, transaction

from motcua.dossiers.tests.conftest import vn
from motcua.payments.collection import record_counter_payment
from motcua.payments.errors import PaymentError
from motcua.payments.models import PaymentAttempt, PaymentRequest, Receipt, ReceiptCounter
from motcua.payments.numbering import next_number, receipt_year

from .conftest import at


def take(request: PaymentRequest, clerk) -> Receipt:
    done = record_counter_payment(
        request, actor=clerk, method="cash", amount=request.total, key=uuid4().hex
    )
    return done.attempt.receipt


@pytest.fixture
def requests_due(receive, fee_items, series):
    def make(count: int) -> list[PaymentRequest]:
        dossiers = [receive() for _ in range(count)]
        return [PaymentRequest.objects.get(dossier=d) for d in dossiers]

    return make


@pytest.mark.django_db
def test_numbers_restart_at_1_on_1_january_in_vietnam(requests_due, centre_clerk):
    first, second, third, fourth = requests_due(4)
    with at(vn(2026, 12, 31, 23, 50)):
        a = take(first, centre_clerk)
        b = take(second, centre_clerk)
    # 17:30 UTC on 31 December is already 00:30 on 1 January in Hà Tĩnh.
    with at(datetime(2026, 12, 31, 17, 30, tzinfo=UTC)):
        c = take(third, centre_clerk)
    with at(vn(2027, 1, 2, 8, 0)):
        d = take(fourth, centre_clerk)
    assert [(r.year, r.number) for r in (a, b, c, d)] == [
        (2026, 1),
        (2026, 2),
        (2027, 1),
        (2027, 2),
    ]
    assert [r.number_text for r in (c, d)] == ["00000001", "00000002"]
    assert sorted(ReceiptCounter.objects.values_list("year", "last_number")) == [
        (2026, 2),
        (2027, 2),
    ]


def test_the_year_is_vietnams():
    assert receipt_year(datetime(2026, 12, 31, 16, 59, tzinfo=UTC)) == 2026
    assert receipt_year(datetime(2026, 12, 31, 17, 0, tzinfo=UTC)) == 2027


@pytest.mark.django_db
def test_a_rolled_back_confirmation_gives_its_number_back(requests_due, centre_clerk):
    first, second = requests_due(2)
    with pytest.raises(RuntimeError), transaction.atomic():
        take(first, centre_clerk)
        raise RuntimeError("the printer caught fire before the commit")
    assert take(second, centre_clerk).number == 1
    assert take(first, centre_clerk).number == 2


@pytest.mark.django_db(transaction=True)
def test_a_number_is_taken_only_inside_a_transaction(series):
    with pytest.raises(RuntimeError):
        next_number(series, 2026)


@pytest.mark.django_db
def test_the_ninth_digit_is_refused(series):
    ReceiptCounter.objects.create(series=series, year=2026, last_number=99_999_999)
    with pytest.raises(PaymentError) as refused, transaction.atomic():
        next_number(series, 2026)
    assert refused.value.code == "series_full"


WORKERS = 6
PER_WORKER = 4


@pytest.mark.django_db(transaction=True)
def test_concurrent_confirmations_number_without_gaps_and_pay_once(requests_due, centre_clerk):
    """Six cashiers at once, each paying four dossiers; every dossier is also sent by a
    second cashier (another tab): each is paid once and the numbers run 1..24."""
    if connection.vendor != "postgresql":
        pytest.skip("needs a database shared between threads")
    requests = requests_due(WORKERS * PER_WORKER)
    barrier = threading.Barrier(WORKERS)
    refused: list[str] = []
    lock = threading.Lock()

    def work(index: int) -> None:
        barrier.wait()
        try:
            mine = requests[index * PER_WORKER : (index + 1) * PER_WORKER]
            theirs = requests[((index + 1) % WORKERS) * PER_WORKER :][:PER_WORKER]
            for request in [x for pair in zip(mine, theirs, strict=True) for x in pair]:
                try:
                    take(request, centre_clerk)
                except PaymentError as error:
                    with lock:
                        refused.append(error.code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work, args=(i,)) for i in range(WORKERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    numbers = sorted(Receipt.objects.values_list("number", flat=True))
    assert numbers == list(range(1, WORKERS * PER_WORKER + 1))
    assert refused == ["not_due"] * (WORKERS * PER_WORKER)
    confirmed = PaymentAttempt.objects.filter(state="confirmed")
    assert confirmed.count() == len(set(confirmed.values_list("request", flat=True))) == 24
    assert set(PaymentRequest.objects.values_list("state", flat=True)) == {"paid"}
