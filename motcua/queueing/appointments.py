"""Online appointments: a day and a time slot at a service point, booked on the portal,
checked in at the kiosk by code or QR (tickets.check_in). Slots follow the calendar's working
hours (workdays: holidays, half-days, lunch break); each holds `slot_capacity` bookings per
service, counted under a lock on the point so that two people never take the last place."""

import secrets
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.workdays.loader import get_calendar

from .errors import QueueError
from .models import Appointment, AppointmentState, QueueService, ServicePoint
from .numbering import ZONE, local_day

ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud and typed
HORIZON_DAYS = 30


def slots(point: ServicePoint, day: date) -> list[time]:
    """The slot starts of a working day (none on a day off)."""
    calendar = get_calendar()
    if not calendar.is_working_day(day):
        return []
    step = timedelta(minutes=max(point.slot_minutes, 5))
    moment, close = calendar.opening_of(day), calendar.close_of(day)
    found = []
    while moment + step <= close:
        if calendar.is_working_moment(moment):
            found.append(moment.astimezone(ZONE).time())
        moment += step
    return found


def free_slots(point: ServicePoint, service: QueueService, day: date) -> list[time]:
    now = timezone.now()
    taken = _taken(service, day)
    return [
        s
        for s in slots(point, day)
        if taken.get(s, 0) < point.slot_capacity and datetime.combine(day, s, tzinfo=ZONE) > now
    ]


def _taken(service: QueueService, day: date) -> dict[time, int]:
    counts: dict[time, int] = {}
    booked = Appointment.objects.filter(service=service, day=day).exclude(
        state=AppointmentState.CANCELLED
    )
    for slot in booked.values_list("slot", flat=True):
        counts[slot] = counts.get(slot, 0) + 1
    return counts


@dataclass(frozen=True)
class Booking:
    service: QueueService
    day: date
    slot: time
    name: str
    phone: str
    id_number: str = ""
    key: str = ""  # the form's token: the same form sent twice books once


def book_appointment(booking: Booking) -> Appointment:
    """Book a slot; refused when the slot is full, past, or not a working time. A form sent
    again (same key) gets the appointment it made."""
    for _attempt in range(3):
        earlier = _earlier(booking.key)
        if earlier is not None:
            return earlier
        try:
            with transaction.atomic():
                return _book(booking)
        except IntegrityError:  # the drawn code was taken, or the same form won: again
            continue
    raise QueueError("busy", _("Please try again."), status=503)


def _earlier(key: str) -> Appointment | None:
    return Appointment.objects.filter(request_key=key).first() if key else None


def _book(booking: Booking) -> Appointment:
    point = ServicePoint.objects.select_for_update().get(pk=booking.service.point_id)
    today = local_day(timezone.now())
    if not (today <= booking.day <= today + timedelta(days=HORIZON_DAYS)):
        raise QueueError(
            "bad_day", _("Choose a day within the next %(days)s days.") % {"days": HORIZON_DAYS}
        )
    if booking.slot not in free_slots(point, booking.service, booking.day):
        raise QueueError("slot_full", _("This time is no longer free: choose another."), status=409)
    return Appointment.objects.create(
        point=point,
        service=booking.service,
        day=booking.day,
        slot=booking.slot,
        code="".join(secrets.choice(ALPHABET) for _ in range(8)),
        name=booking.name,
        phone=booking.phone,
        id_number=booking.id_number,
        request_key=booking.key or None,
    )
