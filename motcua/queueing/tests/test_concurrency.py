"""Counters calling at the same moment never call the same ticket and pass none over; kiosks
issuing at once never give a number twice nor skip one (real threads, real connections).

Runs on PostgreSQL; SQLite's in-memory test database cannot be shared between threads, and on
SQLite IMMEDIATE transactions serialise writers anyway."""

import threading

import pytest
from django.db import connection, connections

from conftest import make_user
from motcua.organisations.roles import Role
from motcua.queueing import calling, tickets
from motcua.queueing.models import Ticket

from .conftest import make_counter

COUNTERS = 8
TICKETS = 60


def run_together(work, count: int) -> None:
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
