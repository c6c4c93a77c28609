"""Printing a ticket on the kiosk's thermal printer, directly from the server.

The print job is written with the ticket, in its transaction, with an outbox message: the
ticket commits with the promise to print it or not at all, and nothing of the printer is
touched before the commit. The worker renders the ticket (printing.py: a raster picture,
ESC/POS) and sends it (printers.py). A printer that is off fails the attempt: the outbox
tries again with its backoff and, after MOTCUA_OUTBOX_MAX_ATTEMPTS, keeps the message as a
dead letter; the job says so, and the kiosk tells the next applicant to take the ticket on
screen or ask staff. A job once PRINTED is never sent again (a second delivery of the same
message, after a worker died, prints nothing). A ticket no longer waiting, or older than
MOTCUA_TICKET_PRINT_WITHIN, or whose printer was switched off in the admin since, is not
printed late (SKIPPED)."""

from datetime import datetime, timedelta

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from motcua.outbox import consumers
from motcua.outbox.services import enqueue

from . import conf, numbering, printers, printing, tickets
from .models import PRINT_FAILED, PrintJob, PrintState, ServicePoint, State, Ticket, TicketPrinter

TOPIC = "queueing.print_ticket"


def printer_for(point: ServicePoint, code: str = "") -> TicketPrinter | None:
    """The kiosk's printer: the one named in its address (`?may-in=<code>`), else the
    point's only active printer; None: the browser prints."""
    active = TicketPrinter.objects.filter(point=point, is_active=True)
    if code:
        return active.filter(code=code).first()
    found = list(active[:2])
    return found[0] if len(found) == 1 else None


def queue_print(ticket: Ticket, printer: TicketPrinter, *, at: datetime, site: str = "") -> None:
    """Inside the ticket's transaction: the job and its outbox message. `site`: the
    kiosk's scheme and host, for the QR code (else MOTCUA_PUBLIC_URL)."""
    job = PrintJob.objects.create(
        printer=printer, ticket=ticket, site=site[:300], created_at=at, updated_at=at
    )
    enqueue(TOPIC, {"job": job.pk}, key=f"{TOPIC}:{job.pk}")


def is_failing(printer: TicketPrinter) -> bool:
    """Whether the printer's last attempt failed (its last job that is not waiting is
    waiting for a retry or given up). One indexed read."""
    last = (
        PrintJob.objects.filter(printer=printer)
        .exclude(state=PrintState.PENDING)
        .order_by("-id")
        .values_list("state", flat=True)
        .first()
    )
    return last in PRINT_FAILED


def ticket_address(ticket: Ticket, site: str = "") -> str:
    """The ticket's page, for its QR code: on the address the kiosk used (the ticket page's
    own QR code), else the public address."""
    path = reverse("queueing-public:ticket", args=[ticket.public_token])
    return (site or settings.MOTCUA_PUBLIC_URL).rstrip("/") + path


def _too_late(job: PrintJob, now: datetime) -> bool:
    ticket = job.ticket
    return (
        ticket.state != State.WAITING
        or ticket.day != numbering.local_day(now)
        or now - job.created_at > timedelta(seconds=conf.print_within())
    )


def _record(job: PrintJob, **values) -> None:
    values["updated_at"] = timezone.now()
    PrintJob.objects.filter(pk=job.pk).update(**values)


def deliver(message: consumers.Message) -> None:
    job = (
        PrintJob.objects.select_related("printer", "ticket__service", "ticket__point")
        .select_related("ticket__point__reception_point")
        .filter(pk=message.payload["job"])
        .first()
    )
    if job is None or job.state in (PrintState.PRINTED, PrintState.SKIPPED):
        return  # printed already (a second delivery), or given up as too late
    now = timezone.now()
    if _too_late(job, now) or not job.printer.is_active:
        _record(job, state=PrintState.SKIPPED)
        return
    ahead = tickets.waiting_ahead(job.ticket)  # seconds after the tap: as on the screen
    data = printing.ticket_escpos(
        job.ticket, ahead, ticket_address(job.ticket, job.site), job.printer.width
    )
    try:
        printers.send(job.printer, data)
    except printers.PrinterError as error:
        last = message.attempt >= settings.MOTCUA_OUTBOX_MAX_ATTEMPTS
        state = PrintState.DEAD if last else PrintState.RETRYING
        _record(job, state=state, attempts=message.attempt, last_error=str(error)[:500])
        raise
    _record(job, state=PrintState.PRINTED, attempts=message.attempt, printed_at=now, last_error="")
