"""The centre's queue: tickets issued and calls made per second, and what boards polling cost.

In a throwaway database (bench/scratch.py) with one service point, one service and COUNTERS
counters with an officer on duty each, at 09:00 on a working Tuesday:

* **tickets issued** through the kiosk's form (the view, the form, the number taken under the
  service's row lock, the ticket, its event), one POST each;
* **calls**: the counters in turn call the next ticket and start serving it (the previous one
  is finished by the call): the row locks, the events, "your turn is near";
* **a board polling** with the last event id it saw: the 204 "nothing new" answer, against the
  same server's bare endpoint (/healthz) measured in the same run; what 100 boards polling every
  second would take of one process is 100 / (answers per second), and of the CPU 100 x the
  processor time of one answer (time.process_time: the server's own work, one core);
* **50 counters at once**: BUSY_COUNTERS threads, each on its own database connection, call
  next and start serving over BUSY_TICKETS waiting tickets until none is left (calls per
  second of wall-clock time, every ticket called once: checked).

Sequential in one process (the test client) except the 50 counters: the figures are the cost of
one request; the proof that no ticket is called twice is the tests'
(queueing/tests/test_concurrency.py).
"""

import secrets
import statistics
import threading
import time
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import time_machine
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection, connections
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext

from motcua.organisations.models import (
    AdministrativeUnit,
    Agency,
    Counter,
    Membership,
    ReceptionPoint,
)
from motcua.organisations.roles import Role
from motcua.queueing import calling, tickets
from motcua.queueing.models import QueueCounter, QueueService, ServicePoint, Ticket, TicketEvent

from .scratch import scratch_database

TICKETS = 400
MONTH_DAYS = 30  # the month page: 30 more days of TICKETS tickets each, four events a ticket
COUNTERS = 4
POLLS = 1000
BUSY_COUNTERS = 50
BUSY_TICKETS = 1000
MORNING = datetime(2026, 12, 1, 9, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))


def run() -> None:
    with (
        scratch_database("motcua-bench-queue-") as where,
        override_settings(ALLOWED_HOSTS=["testserver"], MOTCUA_QUEUE_TICKET_LIMIT=0),
        time_machine.travel(MORNING, tick=True),
    ):
        point, service, counters = _setup()
        client = Client()
        issued = _issue(client, point, service)
        calls = _calls(counters)
        assert Ticket.objects.filter(state="waiting").count() == 0, "every ticket called"
        polls, bare = _polls(client, point)
        _report(where, issued, calls, polls, bare)
        _busy(point, service)
        _month(point, service, counters)


def _setup():
    province = AdministrativeUnit.objects.create(code="42", name="Tỉnh Hà Tĩnh", kind="province")
    agency = Agency.objects.create(
        code="H42.01", name="Trung tâm", kind="provincial_service_centre", unit=province
    )
    reception = ReceptionPoint.objects.create(agency=agency, name="Trung tâm")
    point = ServicePoint.objects.create(reception_point=reception, slug="tinh")
    service = QueueService.objects.create(point=point, prefix="A", name="Tiếp nhận hồ sơ")
    counters = []
    for number in range(1, COUNTERS + 1):
        counter = QueueCounter.objects.create(
            counter=Counter.objects.create(reception_point=reception, number=number),
            point=point,
            code=f"tinh-{number}",
        )
        counter.services.add(service)
        officer = get_user_model().objects.create_user(f"officer{number}")
        Membership.objects.create(user=officer, agency=agency, role=Role.RECEIVING_CLERK)
        counters.append((calling.take_duty(counter, actor=officer), officer))
    return point, service, counters


def _issue(client: Client, point, service) -> list[float]:
    timings = []
    url = f"/kiosk/{point.slug}/lay-so/"
    for index in range(TICKETS):
        started = time.perf_counter()
        response = client.post(url, {"service": service.pk, "token": f"t{index}"})
        timings.append(time.perf_counter() - started)
        assert response.status_code == 302, response.status_code
    return timings


def _calls(counters) -> list[float]:
    timings = []
    for index in range(TICKETS):
        counter, officer = counters[index % COUNTERS]
        started = time.perf_counter()
        ticket = calling.call_next(counter, actor=officer)
        assert ticket is not None
        calling.start_serving(counter, ticket.pk, actor=officer)
        timings.append(time.perf_counter() - started)
    return timings


class Timings(list):
    """Wall-clock seconds of each request, and the processor seconds of them all."""

    cpu: float = 0.0


def _polls(client: Client, point) -> tuple[Timings, Timings]:
    last = TicketEvent.objects.latest("id").pk
    url = f"/bang-dien-tu/{point.slug}/su-kien/?after={last}"
    polls, bare = Timings(), Timings()
    for _ in range(POLLS):
        cpu, started = time.process_time(), time.perf_counter()
        assert client.get(url).status_code == 204
        polls.append(time.perf_counter() - started)
        polls.cpu += time.process_time() - cpu
        cpu, started = time.process_time(), time.perf_counter()
        client.get("/healthz")
        bare.append(time.perf_counter() - started)
        bare.cpu += time.process_time() - cpu
    return polls, bare


def _report(where: str, issued, calls, polls, bare) -> None:
    def line(label: str, timings: list[float]) -> str:
        rate = len(timings) / sum(timings)
        median = statistics.median(timings) * 1000
        return f"   {label:<48} {rate:7.0f} /s   median {median:6.2f} ms"

    print(f"   {TICKETS} tickets, {COUNTERS} counters, {where}")
    print(line("tickets issued through the kiosk's form", issued))
    print(line("calls (call next + start serving)", calls))
    print(line("board poll, nothing new (204)", polls))
    print(line("bare endpoint (/healthz), same run", bare))
    share = 100 / (len(polls) / sum(polls))
    print(f"   100 boards polling every second: {share:.0%} of one process's time")
    for label, timings in (("board polls", polls), ("bare endpoint requests", bare)):
        per_answer = timings.cpu / len(timings)
        print(
            f"   CPU of 100 {label} a second: {100 * per_answer:.0%} of one core "
            f"({per_answer * 1000:.2f} ms of processor time each)"
        )


def _busy(point, service) -> None:
    """BUSY_COUNTERS counters calling at once until BUSY_TICKETS tickets are all called."""
    reception = point.reception_point
    counters = []
    for number in range(101, 101 + BUSY_COUNTERS):
        counter = QueueCounter.objects.create(
            counter=Counter.objects.create(reception_point=reception, number=number),
            point=point,
            code=f"busy-{number}",
        )
        counter.services.add(service)
        officer = get_user_model().objects.create_user(f"busy{number}")
        Membership.objects.create(user=officer, agency=reception.agency, role=Role.RECEIVING_CLERK)
        counters.append((calling.take_duty(counter, actor=officer), officer))
    for _ in range(BUSY_TICKETS):
        tickets.issue_ticket(tickets.Request(service=service))
    called: list[int] = []
    lock = threading.Lock()
    barrier = threading.Barrier(BUSY_COUNTERS)

    def work(index: int) -> None:
        counter, officer = counters[index]
        barrier.wait()
        try:
            while (ticket := calling.call_next(counter, actor=officer)) is not None:
                calling.start_serving(counter, ticket.pk, actor=officer)
                with lock:
                    called.append(ticket.pk)
        finally:
            connections.close_all()

    options = connection.settings_dict.setdefault("OPTIONS", {})
    pool = options.pop("pool", None)  # a connection per counter, as 50 server threads have
    busy_timeout = options.get("timeout")
    if connection.vendor == "sqlite":
        # 50 writers queue for SQLite's one write lock; its busy handler is not fair, so one
        # may wait longer than the 10 s deployed (a commune PC has a few counters, not 50).
        options["timeout"] = 120
    try:
        threads = [threading.Thread(target=work, args=(i,)) for i in range(BUSY_COUNTERS)]
        started = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        took = time.perf_counter() - started
    finally:
        if pool is not None:
            options["pool"] = pool
        if busy_timeout is not None:
            options["timeout"] = busy_timeout
    assert len(called) == len(set(called)) == BUSY_TICKETS, "each ticket called once"
    print(
        f"   {BUSY_COUNTERS} counters calling at once (call next + start serving, "
        f"{BUSY_TICKETS} tickets): {BUSY_TICKETS / took:.0f} calls/s, all in {took:.1f} s"
    )


def _month(point, service, counters) -> None:
    """The monthly figures page (and its Excel) over December: the day above plus MONTH_DAYS
    days of TICKETS tickets, each issued, called, started and finished (written in bulk)."""
    started = time.perf_counter()
    for day in range(2, 2 + MONTH_DAYS):  # 2 to 31 December
        _bulk_day(point, service, counters, MORNING.replace(day=day))
    written = time.perf_counter() - started
    if connection.vendor == "postgresql":
        # As autovacuum would soon after a day's work: without statistics on the bulk-written
        # rows the planner walks every event through the ticket index (11 s instead of 0.6 s).
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE queueing_ticket, queueing_ticketevent")
    client = Client()
    client.force_login(counters[0][1])
    plain = {**settings.STORAGES, "staticfiles": {"BACKEND": STATIC}}  # no collectstatic here
    with override_settings(STORAGES=plain):
        _month_pages(client, written)


STATIC = "django.contrib.staticfiles.storage.StaticFilesStorage"


def _month_pages(client: Client, written: float) -> None:
    for label, url in (
        ("monthly page", "/backoffice/hang-doi/thang/?thang=2026-12"),
        ("monthly Excel", "/backoffice/hang-doi/thang/excel/?thang=2026-12"),
    ):
        client.get(url)  # warm
        with CaptureQueriesContext(connection) as queries:
            began = time.perf_counter()
            response = client.get(url)
            took = time.perf_counter() - began
        assert response.status_code == 200, response.status_code
        print(
            f"   {label}, {Ticket.objects.count()} tickets / {TicketEvent.objects.count()} "
            f"events: {took * 1000:.0f} ms, {len(queries)} queries "
            f"(data written in {written:.0f} s)"
        )


def _bulk_day(point, service, counters, morning: datetime) -> None:
    day = morning.date()
    made = Ticket.objects.bulk_create(
        Ticket(
            point=point, service=service, issued_service=service, day=day, number=n,
            display_code=f"A{n:03d}", channel="kiosk", state="done",
            public_token=secrets.token_hex(16), issued_at=morning + timedelta(minutes=n),
            queued_at=morning + timedelta(minutes=n), finished_at=morning,
        )
        for n in range(1, TICKETS + 1)
    )  # fmt: skip
    if made[0].pk is None:  # backends that do not return ids
        made = list(Ticket.objects.filter(point=point, day=day).order_by("number"))
    events = []
    for index, ticket in enumerate(made):
        counter, officer = counters[index % COUNTERS]
        issued = ticket.issued_at
        wait, length = 5 + index % 40, 8 + index % 7
        steps = (
            ("issued", 0),
            ("called", wait),
            ("started", wait + 1),
            ("finished", wait + length),
        )
        for action, minutes in steps:
            events.append(
                TicketEvent(
                    point=point, ticket=ticket, action=action, state="done", service=service,
                    counter=None if action == "issued" else counter,
                    actor=None if action == "issued" else officer,
                    at=issued + timedelta(minutes=minutes),
                )
            )  # fmt: skip
    TicketEvent.objects.bulk_create(events, batch_size=2000)
