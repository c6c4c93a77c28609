"""Counters calling at the same moment never call the same ticket and pass none over; kiosks
issuing at once never give a number twice nor skip one (real threads, real connections).

Runs on PostgreSQL; SQLite's in-memory test database cannot be shared between threads, and on
SQLite IMMEDIATE transactions serialise writers anyway."""

import threading
import time
from contextlib import contextmanager

import pytest
from django.db import connection, connections

from conftest import make_user
from motcua.organisations.roles import Role
from motcua.queueing import calling, tickets
from motcua.queueing.models import Ticket, TicketEvent

from .conftest import make_counter

COUNTERS = 8
TICKETS = 60


@contextmanager
def own_connections():
    """Each thread on a connection of its own, as each server process or thread has: the
    connection pool (MOTCUA_DB_POOL, 4 per process) would otherwise make the threads take
    turns, and fewer than `count` transactions would overlap."""
    options = connection.settings_dict.setdefault("OPTIONS", {})
    pool = options.pop("pool", None)
    try:
        yield
    finally:
        if pool is not None:
            options["pool"] = pool


def run_together(work, count: int) -> None:
    before = _sessions()
    with own_connections():
        _run_together(work, count)
    # The threads' connections are closed; their server processes end a moment later. Wait
    # for them (at most 10 s), or dropping the test database at the end may find them.
    for _ in range(100):
        if _sessions() <= before:
            break
        time.sleep(0.1)


def _sessions() -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        return cursor.fetchone()[0]


def _run_together(work, count: int) -> None:
    barrier = threading.Barrier(count)

    def run(index: int) -> None:
        barrier.wait()
        try:
            work(index)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


@pytest.mark.django_db(transaction=True)
def test_concurrent_kiosks_number_without_gaps_or_twins(at_nine, intake_service):
    if connection.vendor != "postgresql":
        pytest.skip("needs a database shared between threads")

    def work(_index: int) -> None:
        for _ in range(TICKETS // COUNTERS):
            tickets.issue_ticket(tickets.Request(service=intake_service))

    run_together(work, COUNTERS)
    numbers = sorted(Ticket.objects.values_list("number", flat=True))
    assert numbers == list(range(1, COUNTERS * (TICKETS // COUNTERS) + 1))


@pytest.mark.django_db(transaction=True)
def test_concurrent_counters_never_call_a_ticket_twice(
    at_nine, point, intake_service, commune_agency
):
    if connection.vendor != "postgresql":
        pytest.skip("needs a database shared between threads")
    counters = []
    for number in range(1, COUNTERS + 1):
        counter = make_counter(point, number, intake_service)
        officer = make_user(f"officer{number}", commune_agency, Role.RECEIVING_CLERK)
        calling.take_duty(counter, actor=officer)
        counters.append((counter, officer))
    for _ in range(TICKETS):
        tickets.issue_ticket(tickets.Request(service=intake_service))
    called: list[int] = []
    lock = threading.Lock()

    def work(index: int) -> None:
        counter, officer = counters[index]
        while True:
            ticket = calling.call_next(counter, actor=officer)
            if ticket is None:
                return
            calling.start_serving(counter, ticket.pk, actor=officer)
            with lock:
                called.append(ticket.pk)

    run_together(work, COUNTERS)
    assert len(called) == len(set(called)) == TICKETS
    assert not Ticket.objects.filter(state="waiting").exists()


BUSY_COUNTERS = 50
BUSY_TICKETS = 300


@pytest.mark.django_db(transaction=True)
def test_fifty_counters_calling_at_once(at_nine, point, intake_service, commune_agency):
    """The issue's load case: 50 counters call next and start serving over one pool of
    tickets until it is empty, each on its own connection. No ticket is called twice, none is
    left waiting, every call left one 'called' event, and the tickets were called in the
    order of the line: SKIP LOCKED passes over only the tickets other counters are calling at
    that moment, so the n-th call takes a ticket numbered at most n + 49."""
    if connection.vendor != "postgresql":
        pytest.skip("needs a database shared between threads")
    counters = []
    for number in range(1, BUSY_COUNTERS + 1):
        counter = make_counter(point, number, intake_service)
        officer = make_user(f"officer{number}", commune_agency, Role.RECEIVING_CLERK)
        calling.take_duty(counter, actor=officer)
        counters.append((counter, officer))
    for _ in range(BUSY_TICKETS):
        tickets.issue_ticket(tickets.Request(service=intake_service))
    called: list[tuple[int, int]] = []  # (ticket number, counter)
    lock = threading.Lock()

    def work(index: int) -> None:
        counter, officer = counters[index]
        while (ticket := calling.call_next(counter, actor=officer)) is not None:
            calling.start_serving(counter, ticket.pk, actor=officer)
            with lock:
                called.append((ticket.number, counter.pk))

    started = time.monotonic()
    run_together(work, BUSY_COUNTERS)
    took = time.monotonic() - started
    numbers = [number for number, _ in called]
    assert sorted(numbers) == list(range(1, BUSY_TICKETS + 1))  # each once, none skipped
    assert not Ticket.objects.filter(state="waiting").exists()
    assert TicketEvent.objects.filter(action="called").count() == BUSY_TICKETS
    assert len({counter for _, counter in called}) > 1  # the counters did share the work
    calls = list(
        TicketEvent.objects.filter(action="called")
        .order_by("id")
        .values_list("ticket__number", flat=True)
    )
    for position, number in enumerate(calls):
        assert number <= position + BUSY_COUNTERS  # never far ahead of the line
    print(f"{BUSY_COUNTERS} counters, {BUSY_TICKETS} calls in {took:.1f} s")
