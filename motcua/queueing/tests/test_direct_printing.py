"""Direct printing of kiosk tickets (ESC/POS raster) to a printer of the kiosk, after the
ticket's commit through the outbox: a fake network printer served by the test records what
it receives; a printer that refuses makes the outbox retry and finally keep a dead letter,
and the kiosk says so; a job once printed is never printed again; the device-file transport
writes into a file; CUPS through `lp` (a stand-in `lp` here; the real one only where a raw
queue is named in MOTCUA_TEST_CUPS_QUEUE)."""

import contextlib
import os
import shutil
import socket
import stat
import threading
from datetime import date, time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import PASSWORD
from motcua.audit.models import AuditEvent
from motcua.outbox import delivery
from motcua.outbox.models import OutboxMessage
from motcua.queueing import calling, print_jobs, printers, printing, tickets
from motcua.queueing.models import (
    Appointment,
    PrintJob,
    PrintState,
    Ticket,
    TicketPrinter,
    Transport,
)

from .test_kiosk_pages import take


class FakePrinter:
    """A raw TCP printer on 127.0.0.1: each connection's bytes, in order of arrival."""

    def __init__(self, port: int = 0) -> None:
        self.server = socket.socket()
        self.server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.server.bind(("127.0.0.1", port))
        self.server.listen()
        self.port = self.server.getsockname()[1]
        self.received: list[bytes] = []
        self.arrived = threading.Condition()
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        while True:
            try:
                link, _ = self.server.accept()
            except OSError:
                return  # closed
            with link:
                chunks = []
                while chunk := link.recv(65536):
                    chunks.append(chunk)
            with self.arrived:
                self.received.append(b"".join(chunks))
                self.arrived.notify_all()

    def wait_for(self, count: int) -> list[bytes]:
        with self.arrived:
            self.arrived.wait_for(lambda: len(self.received) >= count, timeout=10)
        return self.received

    def close(self) -> None:
        with contextlib.suppress(OSError):
            self.server.shutdown(socket.SHUT_RDWR)  # wakes the accept() (Linux)
        self.server.close()
        self.thread.join(timeout=10)


def refused_port() -> int:
    """A port nobody listens on: connecting is refused at once."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def fake_printer():
    printer = FakePrinter()
    yield printer
    printer.close()


def make_printer(point, target, transport=Transport.NETWORK, code="kiosk-1"):
    return TicketPrinter.objects.create(
        point=point, code=code, name="Máy in kiosk 1", transport=transport, target=target
    )


def kiosk_take(client, point, service, printer, token="t1"):
    url = reverse("queueing-public:take", args=[point.slug]) + f"?may-in={printer.code}"
    return client.post(url, {"service": service.pk, "token": token})


def expected_bytes(ticket: Ticket, printer: TicketPrinter) -> bytes:
    ticket.refresh_from_db()
    address = "http://testserver" + reverse("queueing-public:ticket", args=[ticket.public_token])
    return printing.ticket_escpos(ticket, tickets.waiting_ahead(ticket), address, printer.width)


def retry_now(traveller, attempt: int) -> None:
    """Time moves past the outbox's backoff after failed attempt `attempt`."""
    traveller.shift(timedelta(seconds=delivery.backoff().ceiling(attempt) + 1))


def test_a_kiosk_ticket_is_printed_by_the_server(
    client, at_nine, point, intake_service, fake_printer
):
    printer = make_printer(point, f"127.0.0.1:{fake_printer.port}")
    kiosk = client.get(reverse("queueing-public:kiosk", args=[point.slug]) + "?may-in=kiosk-1")
    assert "lay-so/?may-in=kiosk-1" in kiosk.content.decode()
    response = kiosk_take(client, point, intake_service, printer)
    ticket = Ticket.objects.get()
    job = PrintJob.objects.get()
    assert (job.ticket, job.printer, job.state) == (ticket, printer, PrintState.PENDING)
    page = client.get(response["Location"]).content.decode()
    assert 'data-print="0"' in page  # the browser does not print it too
    assert "?may-in=kiosk-1" in page  # and comes back to the same kiosk
    assert "Phiếu của quý vị đang được in" in page

    assert delivery.deliver_due("test").delivered == 1
    received = fake_printer.wait_for(1)
    assert received == [expected_bytes(ticket, printer)]
    assert received[0].startswith(b"\x1b@\x1dv0\x00") and received[0].endswith(b"\x1dVB\x00")
    job.refresh_from_db()
    assert (job.state, job.attempts, job.printed_at is not None) == (PrintState.PRINTED, 1, True)
    assert "data-printer-failing" not in client.get(kiosk.request["PATH_INFO"]).content.decode()


def test_a_double_tap_prints_once(client, at_nine, point, intake_service, fake_printer):
    printer = make_printer(point, f"127.0.0.1:{fake_printer.port}")
    kiosk_take(client, point, intake_service, printer)
    kiosk_take(client, point, intake_service, printer)
    delivery.deliver_due("test")
    assert len(fake_printer.wait_for(1)) == 1
    assert PrintJob.objects.count() == OutboxMessage.objects.count() == 1


def test_a_refusing_printer_is_retried_then_dead_and_the_kiosk_says_so(
    client, settings, at_nine, point, intake_service
):
    settings.MOTCUA_OUTBOX_MAX_ATTEMPTS = 3
    port = refused_port()
    printer = make_printer(point, f"127.0.0.1:{port}")
    kiosk_take(client, point, intake_service, printer)
    message = OutboxMessage.objects.get(topic=print_jobs.TOPIC)
    kiosk_url = reverse("queueing-public:kiosk", args=[point.slug]) + "?may-in=kiosk-1"
    for attempt in (1, 2, 3):
        summary = delivery.deliver_due("test")
        assert (summary.delivered, summary.failed) == (0, 1)
        job = PrintJob.objects.get()
        message.refresh_from_db()
        assert job.attempts == message.attempts == attempt
        assert "Connection refused" in job.last_error or "refused" in job.last_error.lower()
        page = client.get(kiosk_url).content.decode()
        assert "data-printer-failing" in page
        assert "Máy in phiếu không phản hồi" in page
        if attempt < 3:
            assert (job.state, message.state) == (PrintState.RETRYING, "pending")
            assert delivery.deliver_due("test").failed == 0  # not before its backoff
            retry_now(at_nine, attempt)
    assert (job.state, message.state) == (PrintState.DEAD, "dead")
    retry_now(at_nine, 3)
    assert delivery.deliver_due("test").failed == 0  # a dead letter waits for an administrator


def test_a_printer_back_on_prints_the_ticket_once(
    client, at_nine, point, intake_service, commune_agency
):
    port = refused_port()
    printer = make_printer(point, f"127.0.0.1:{port}")
    kiosk_take(client, point, intake_service, printer)
    assert delivery.deliver_due("test").failed == 1
    retry_now(at_nine, 1)
    fake = FakePrinter(port)  # switched on again
    try:
        assert delivery.deliver_due("test").delivered == 1
        ticket = Ticket.objects.get()
        assert fake.wait_for(1) == [expected_bytes(ticket, printer)]
        # The worker died after printing, before the outbox recorded it: delivered again.
        OutboxMessage.objects.update(state="pending", available_at=timezone.now())
        assert delivery.deliver_due("test").delivered == 1
        assert len(fake.received) == 1  # never printed twice
        job = PrintJob.objects.get()
        assert (job.state, job.attempts, job.last_error) == (PrintState.PRINTED, 2, "")
        kiosk = reverse("queueing-public:kiosk", args=[point.slug])
        assert "data-printer-failing" not in client.get(kiosk).content.decode()
    finally:
        fake.close()


def test_a_ticket_called_before_its_printer_answers_is_not_printed_late(
    client, at_nine, on_duty, clerk, point, intake_service, fake_printer
):
    printer = make_printer(point, f"127.0.0.1:{fake_printer.port}")
    kiosk_take(client, point, intake_service, printer)
    calling.call_next(on_duty, actor=clerk)
    delivery.deliver_due("test")
    assert PrintJob.objects.get().state == PrintState.SKIPPED
    assert fake_printer.received == []


def test_a_ticket_waiting_too_long_for_its_printer_is_not_printed(
    client, settings, at_nine, point, intake_service, fake_printer
):
    settings.MOTCUA_TICKET_PRINT_WITHIN = 60
    printer = make_printer(point, f"127.0.0.1:{fake_printer.port}")
    kiosk_take(client, point, intake_service, printer)
    at_nine.shift(timedelta(seconds=61))
    delivery.deliver_due("test")
    assert PrintJob.objects.get().state == PrintState.SKIPPED
    assert fake_printer.received == []


def test_a_printer_deactivated_meanwhile_is_not_sent_to(
    client, at_nine, point, intake_service, fake_printer
):
    printer = make_printer(point, f"127.0.0.1:{fake_printer.port}")
    kiosk_take(client, point, intake_service, printer)
    TicketPrinter.objects.update(is_active=False)
    delivery.deliver_due("test")
    assert PrintJob.objects.get().state == PrintState.SKIPPED
    assert fake_printer.received == []


def test_a_checked_in_appointment_is_printed(client, at_nine, point, intake_service, fake_printer):
    Appointment.objects.create(
        point=point, service=intake_service, day=date(2026, 12, 1), slot=time(9, 30),
        code="H7K2M9", name="Nguyễn Văn An", phone="0912345678",
    )  # fmt: skip
    printer = make_printer(point, f"127.0.0.1:{fake_printer.port}")
    url = reverse("queueing-public:check-in", args=[point.slug]) + "?may-in=kiosk-1"
    assert client.post(url, {"code": "h7k2m9"}).status_code == 302
    delivery.deliver_due("test")
    assert fake_printer.wait_for(1) == [expected_bytes(Ticket.objects.get(), printer)]


def test_without_a_printer_the_browser_prints(client, at_nine, point, intake_service):
    response = take(client, point, intake_service)
    page = client.get(response["Location"]).content.decode()
    assert 'data-print="1"' in page
    assert not PrintJob.objects.exists()
    assert not OutboxMessage.objects.filter(topic=print_jobs.TOPIC).exists()


def test_the_points_only_printer_serves_a_kiosk_that_names_none(
    client, at_nine, point, intake_service, fake_printer
):
    make_printer(point, f"127.0.0.1:{fake_printer.port}")
    take(client, point, intake_service)
    assert PrintJob.objects.count() == 1
    make_printer(point, "10.0.0.9", code="kiosk-2")  # two printers: each kiosk names its own
    take(client, point, intake_service, token="t2")
    assert PrintJob.objects.count() == 1


def test_the_device_file_transport_writes_the_ticket(
    client, settings, at_nine, point, intake_service, tmp_path
):
    settings.MOTCUA_PRINTER_DEVICES = f"{tmp_path}/lp*"
    device = tmp_path / "lp0"
    device.write_bytes(b"")
    printer = make_printer(point, str(device), Transport.DEVICE)
    kiosk_take(client, point, intake_service, printer)
    delivery.deliver_due("test")
    assert device.read_bytes() == expected_bytes(Ticket.objects.get(), printer)
    OutboxMessage.objects.update(state="pending", available_at=timezone.now())
    delivery.deliver_due("test")  # delivered again: the file is not written twice
    assert device.read_bytes() == expected_bytes(Ticket.objects.get(), printer)


def test_a_missing_device_fails_and_other_files_are_never_written(
    client, settings, at_nine, point, intake_service, tmp_path
):
    settings.MOTCUA_PRINTER_DEVICES = f"{tmp_path}/lp*"
    printer = make_printer(point, str(tmp_path / "lp0"), Transport.DEVICE)  # unplugged
    kiosk_take(client, point, intake_service, printer)
    assert delivery.deliver_due("test").failed == 1
    assert "No such file" in PrintJob.objects.get().last_error
    assert not (tmp_path / "lp0").exists()  # never created
    elsewhere = tmp_path / "notes.txt"
    elsewhere.write_text("keep")
    with pytest.raises(printers.PrinterError):
        printers.send(TicketPrinter(transport=Transport.DEVICE, target=str(elsewhere)), b"\x1b@")
    assert elsewhere.read_text() == "keep"


def test_the_cups_transport_hands_the_bytes_to_lp(
    client, at_nine, point, intake_service, tmp_path, monkeypatch
):
    """A stand-in `lp` on the PATH records its arguments and input: the command line the
    real one gets (lp -d <queue> -o raw, the bytes on standard input)."""
    out = tmp_path / "lp-input"
    script = tmp_path / "lp"
    script.write_text(f'#!/bin/sh\necho "$@" > {tmp_path}/lp-args\ncat > {out}\n')
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("PATH", f"{tmp_path}{os.pathsep}{os.environ['PATH']}")
    printer = make_printer(point, "TM-T82", Transport.CUPS)
    kiosk_take(client, point, intake_service, printer)
    delivery.deliver_due("test")
    assert (tmp_path / "lp-args").read_text().strip() == "-d TM-T82 -o raw"
    assert out.read_bytes() == expected_bytes(Ticket.objects.get(), printer)
    assert PrintJob.objects.get().state == PrintState.PRINTED


def test_a_real_cups_queue(at_nine, point, intake_service):
    queue = os.environ.get("MOTCUA_TEST_CUPS_QUEUE", "")
    if not shutil.which("lp") or not queue:
        pytest.skip("needs CUPS (lp) and a raw queue named in MOTCUA_TEST_CUPS_QUEUE")
    printer = make_printer(point, queue, Transport.CUPS)
    printers.send(printer, printing.escpos_raster(printing.Image.new("1", (384, 8), 1)))


@pytest.mark.parametrize(
    ("transport", "target", "good"),
    [
        (Transport.NETWORK, "192.168.1.50", True),
        (Transport.NETWORK, "printer.local:9101", True),
        (Transport.NETWORK, "[fe80::1]:9100", True),
        (Transport.NETWORK, "host:99999", False),
        (Transport.NETWORK, "a b", False),
        (Transport.DEVICE, "/dev/usb/lp0", True),
        (Transport.DEVICE, "/dev/usb/../sda", False),
        (Transport.DEVICE, "/etc/passwd", False),
        (Transport.CUPS, "TM-T82_raw", True),
        (Transport.CUPS, "-o evil", False),
    ],
)
def test_printer_addresses_are_checked(transport, target, good):
    assert (printers.target_error(transport, target) is None) == good


def test_the_administrator_sets_up_a_printer(client, agency_admin, point, tmp_path):
    client.login(username=agency_admin.username, password=PASSWORD)
    url = reverse("admin:queueing_ticketprinter_add")
    data = {
        "point": point.pk, "code": "kiosk-1", "name": "Máy in kiosk", "transport": "device",
        "target": "/etc/passwd", "width": 512, "is_active": "on",
    }  # fmt: skip
    response = client.post(url, data)
    assert response.status_code == 200
    assert "/etc/passwd" in response.content.decode()  # what was typed is kept
    assert not TicketPrinter.objects.exists()
    data["target"] = "/dev/usb/lp0"
    assert client.post(url, data).status_code == 302
    assert TicketPrinter.objects.get().target == "/dev/usb/lp0"
    assert AuditEvent.objects.filter(target_type="queueing.ticketprinter").exists()
    assert client.get(reverse("admin:queueing_printjob_changelist")).status_code == 200
