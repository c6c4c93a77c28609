"""Ticket numbers: per service point, service and **local** day (Asia/Ho_Chi_Minh), starting
at 1 at local midnight, never duplicated nor skipped however many kiosks issue at once.

The next number is taken from a counter row (service, day) locked with SELECT ... FOR UPDATE
in the issuing transaction, as the dossier codes and the receipt numbers are: a second kiosk
waits for the first to commit or roll back, so a rolled-back issue gives its number back (a
database sequence would leave a gap). On SQLite the IMMEDIATE transactions serialise writers.
A ticket taken at 00:30 local time (17:30 UTC the day before) starts the new day's numbers:
The Q's "corrupted tickets after 5 pm" was a day counted in UTC (capabilities §5.2).
"""

from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.db import IntegrityError, transaction

from .models import QueueService, TicketSequence

ZONE = ZoneInfo("Asia/Ho_Chi_Minh")


def local_day(moment: datetime) -> date:
    return moment.astimezone(ZONE).date()


def next_number(service: QueueService, day: date) -> int:
    """Take the next number of `service` on `day`; call it inside the issuing transaction."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("ticket numbers are taken inside the issuing transaction")
    sequence = _locked_sequence(service, day)
    sequence.last_number += 1
    sequence.save(update_fields=["last_number"])
    return sequence.last_number


def _locked_sequence(service: QueueService, day: date) -> TicketSequence:
    found = TicketSequence.objects.select_for_update().filter(service=service, day=day).first()
    if found is not None:
        return found
    try:
        with transaction.atomic():  # the day's first ticket: the row is created, locked
            return TicketSequence.objects.create(service=service, day=day)
    except IntegrityError:  # another kiosk created it first; wait for its commit
        return TicketSequence.objects.select_for_update().get(service=service, day=day)


def display_code(prefix: str, number: int) -> str:
    return f"{prefix}{number:03d}"
