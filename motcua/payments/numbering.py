"""Receipt numbers: at most 8 digits, per series, restarting at 1 each 1 January (Decree
254/2026 art. 23.2), without gaps or duplicates however many cashiers confirm at once.

The next number is taken from a counter row (series, year) locked with SELECT ... FOR
UPDATE in the confirming transaction: a second confirmation waits for the first to commit
or roll back, so a rolled-back confirmation gives its number back and no number is skipped
(a sequence would leave a gap). On SQLite the IMMEDIATE transactions serialise writers in
the same way. Decision 0014.
"""

from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from .conf import RECEIPT_ZONE
from .errors import PaymentError
from .models import ReceiptCounter, ReceiptSeries

LARGEST = 99_999_999


def receipt_year(moment: datetime) -> int:
    """The calendar year of `moment` in Vietnam (a receipt at 00:30 on 1 January, 17:30 UTC
    the day before, is the new year's)."""
    return moment.astimezone(RECEIPT_ZONE).year


def next_number(series: ReceiptSeries, year: int) -> int:
    """Take the next number of `series` in `year`; call it inside the issuing transaction."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("receipt numbers are taken inside the issuing transaction")
    counter = _locked_counter(series, year)
    if counter.last_number >= LARGEST:
        raise PaymentError(
            "series_full",
            _("Receipt series %(series)s has used all its numbers for %(year)s.")
            % {"series": series, "year": year},
            status=409,
        )
    counter.last_number += 1
    counter.save(update_fields=["last_number"])
    return counter.last_number


def _locked_counter(series: ReceiptSeries, year: int) -> ReceiptCounter:
    found = ReceiptCounter.objects.select_for_update().filter(series=series, year=year).first()
    if found is not None:
        return found
    try:
        with transaction.atomic():  # the year's first receipt: the row is created, locked
            return ReceiptCounter.objects.create(series=series, year=year)
    except IntegrityError:  # another cashier created it first; wait for their commit
        return ReceiptCounter.objects.select_for_update().get(series=series, year=year)
