"""Dossier codes (Decree 61/2018 art. 26; Circular 01/2018 art. 19; Circular 03/2025 art. 13).

`<receiving agency code>-<YYMMDD>-<sequence of the dossier that day>`, the sequence padded to
four digits and growing past 9999 when needed (lengths are not hard-coded: domain.md §5.1).
"""

import uuid
from datetime import date, datetime

from django.db import connection, transaction
from django.utils import timezone

from motcua.organisations.models import Agency

from .models import DailySequence, Dossier

SEQUENCE_DIGITS = 4

# One statement that creates the day's counter or increments it, and returns the new value.
# Both SQLite (3.35+) and PostgreSQL accept this upsert. The row stays locked until the
# surrounding transaction ends, so concurrent intakes queue on it: no duplicates, and a
# rolled-back intake gives its number back, so no gaps.
_NEXT_VALUE_SQL = (
    f"INSERT INTO {DailySequence._meta.db_table} (agency_id, day, last_value) "
    "VALUES (%(agency)s, %(day)s, 1) "
    "ON CONFLICT (agency_id, day) DO UPDATE "
    f"SET last_value = {DailySequence._meta.db_table}.last_value + 1 "
    "RETURNING last_value"
)


def next_sequence(agency: Agency, day: date) -> int:
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("next_sequence must run inside the intake's transaction")
    day_value = connection.ops.adapt_datefield_value(day)
    with connection.cursor() as cursor:
        cursor.execute(_NEXT_VALUE_SQL, {"agency": agency.pk, "day": day_value})
        (value,) = cursor.fetchone()
    return int(value)


def format_code(agency_code: str, day: date, sequence: int) -> str:
    return f"{agency_code}-{day:%y%m%d}-{sequence:0{SEQUENCE_DIGITS}d}"


def next_dossier_code(agency: Agency, moment: datetime) -> str:
    """The next code of `agency` for the local day of `moment`."""
    day = timezone.localtime(moment).date()
    return format_code(agency.code, day, next_sequence(agency, day))


def provisional_code() -> str:
    """A unique placeholder for a dossier being created, until assign_code takes its number."""
    return f"~{uuid.uuid4().hex}"


def assign_code(dossier: Dossier, moment: datetime) -> None:
    """Take the receiving agency's next number of the local day of `moment` and write the
    dossier's code. Intakes call it last, just before their commit: the day's counter row
    stays locked until then, and every receipt of the agency waits for it, so it is held
    for one UPDATE instead of the whole intake (decision record 0008: under load PostgreSQL
    spent most receipts' time waiting on that row)."""
    dossier.code = next_dossier_code(dossier.receiving_agency, moment)
    Dossier.objects.filter(pk=dossier.pk).update(code=dossier.code)
