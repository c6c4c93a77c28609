"""Issuing tickets: at the kiosk, at a counter, or by checking in an online appointment."""

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.workdays.loader import get_calendar

from . import events, numbering, print_jobs
from .errors import QueueError
from .models import (
    Action,
    Appointment,
    AppointmentState,
    Channel,
    PriorityCategory,
    QueueService,
    ServiceKind,
    ServicePoint,
    State,
    Ticket,
    TicketPrinter,
)


@dataclass(frozen=True)
class Request:
    """What the kiosk or the clerk asked for."""

    service: QueueService
    channel: str = Channel.KIOSK
    phone: str = ""
    priority_category: str = ""
    pickup_code: str = ""
    applicant_name: str = ""
    applicant_id_number: str = ""
    key: str = ""  # the form's token: a second tap gives the same ticket
    printer: TicketPrinter | None = None  # the kiosk's printer: printed after the commit
    site: str = ""  # the address the kiosk uses (scheme and host), for the printed QR code


def is_open(point: ServicePoint, moment: datetime) -> bool:
    """Tickets are given on the calendar's working days, from `opens_early_minutes` before
    the opening until the close of the working day (workdays: hours and holidays)."""
    calendar = get_calendar()
    day = numbering.local_day(moment)
    if not calendar.is_working_day(day):
        return False
    opening = calendar.opening_of(day) - timedelta(minutes=point.opens_early_minutes)
    return opening <= moment < calendar.close_of(day)


def waiting_ahead(ticket: Ticket) -> int:
    """How many tickets of the same service would be called before this one."""
    if ticket.state != State.WAITING:
        return 0
    line = Ticket.objects.filter(service_id=ticket.service_id, day=ticket.day, state=State.WAITING)
    return (
        line.filter(priority__lt=ticket.priority).count()
        + line.filter(priority=ticket.priority, queued_at__lt=ticket.queued_at).count()
    )


def issue_ticket(request: Request, *, actor=None, at: datetime | None = None) -> Ticket:
    """Give the next ticket of the service. A request with a key already used returns the
    ticket it gave (a double tap on the kiosk)."""
    if request.key:
        found = Ticket.objects.filter(request_key=request.key).first()
        if found is not None:
            return found
    try:
        with transaction.atomic():
            return _issue(request, actor=actor, at=at or timezone.now())
    except IntegrityError:
        found = Ticket.objects.filter(request_key=request.key).first() if request.key else None
        if found is None:
            raise
        return found


def _check(request: Request, point: ServicePoint, moment: datetime) -> None:
    service = request.service
    if not (service.is_active and point.is_active):
        raise QueueError("closed_service", _("This service takes no tickets now."), status=409)
    if request.channel != Channel.COUNTER and not is_open(point, moment):
        raise QueueError(
            "closed", _("The centre is closed: tickets are given in working hours."), status=409
        )
    if request.priority_category and request.priority_category not in PriorityCategory.values:
        raise QueueError("bad_priority", _("Unknown priority category."))


def _issue(request: Request, *, actor, at: datetime) -> Ticket:
    service = QueueService.objects.select_related("point").get(pk=request.service.pk)
    point = service.point
    _check(request, point, at)
    day = numbering.local_day(at)
    number = numbering.next_number(service, day)
    category = request.priority_category
    ticket = Ticket.objects.create(
        point=point,
        service=service,
        issued_service=service,
        day=day,
        number=number,
        display_code=numbering.display_code(service.prefix, number),
        channel=request.channel,
        priority=0 if point.gives_priority_to(category) else 1,
        priority_category=category,
        phone=request.phone,
        applicant_name=request.applicant_name,
        applicant_id_number=request.applicant_id_number,
        pickup_code=request.pickup_code if service.kind == ServiceKind.PICKUP else "",
        public_token=secrets.token_urlsafe(12),
        request_key=request.key or None,
        issued_at=at,
        queued_at=at,
    )
    events.record(ticket, Action.ISSUED, actor=actor, at=at, channel=request.channel)
    if request.printer is not None:
        print_jobs.queue_print(ticket, request.printer, at=at, site=request.site)
    return ticket


def check_in(
    point: ServicePoint,
    code: str,
    *,
    at: datetime | None = None,
    printer: TicketPrinter | None = None,
    site: str = "",
) -> Ticket:
    """The applicant with an appointment today checks in at the kiosk (code or QR): a ticket
    of the booked service, in the line at the time of the slot if they came early. Checking
    in twice gives the same ticket."""
    at = at or timezone.now()
    with transaction.atomic():
        appointment = (
            Appointment.objects.select_for_update()
            .select_related("service")
            .filter(point=point, code=code.strip().upper())
            .first()
        )
        if appointment is None or appointment.state == AppointmentState.CANCELLED:
            raise QueueError("unknown_appointment", _("No appointment has this code."), status=404)
        if appointment.ticket is not None:
            return appointment.ticket
        if appointment.day != numbering.local_day(at):
            raise QueueError(
                "not_today",
                _("This appointment is for %(day)s.")
                % {"day": appointment.day.strftime("%d/%m/%Y")},
                status=409,
            )
        ticket = _issue(
            Request(
                service=appointment.service,
                channel=Channel.APPOINTMENT,
                phone=appointment.phone,
                applicant_name=appointment.name,
                applicant_id_number=appointment.id_number,
                printer=printer,
                site=site,
            ),
            actor=None,
            at=at,
        )
        slot = timezone.make_aware(
            datetime.combine(appointment.day, appointment.slot), numbering.ZONE
        )
        # In the line from the booked time if late, from arrival if early: a booking keeps
        # its place ahead of who came after its slot.
        ticket.queued_at = min(at, slot)
        ticket.save(update_fields=["queued_at"])
        appointment.ticket = ticket
        appointment.state = AppointmentState.CHECKED_IN
        appointment.checked_in_at = at
        appointment.save(update_fields=["ticket", "state", "checked_in_at"])
        return ticket
