"""Dates and times as Vietnamese administrative documents write them, in local time.

Decree 30/2020/NĐ-CP (Phụ lục I) writes a date as "ngày 09 tháng 3 năm 2026": days below 10
and the months 1 and 2 take a leading zero, other months do not. Tables use dd/mm/yyyy.
"""

from datetime import date, datetime

from django.utils import timezone


def as_local(moment: datetime) -> datetime:
    """`moment` in the local time zone (Asia/Ho_Chi_Minh by default)."""
    return timezone.localtime(moment)


def _month(month: int) -> str:
    return f"{month:02d}" if month <= 2 else str(month)


def long_date(day: date | datetime | None) -> str:
    """ "ngày 09 tháng 3 năm 2026"; "" for None."""
    if day is None:
        return ""
    if isinstance(day, datetime):
        day = as_local(day).date()
    return f"ngày {day.day:02d} tháng {_month(day.month)} năm {day.year}"


def long_moment(moment: datetime | None) -> str:
    """ "08 giờ 30 phút, ngày 09 tháng 3 năm 2026"; "" for None."""
    if moment is None:
        return ""
    local = as_local(moment)
    return f"{local.hour:02d} giờ {local.minute:02d} phút, {long_date(local)}"


def short_date(day: date | datetime | None) -> str:
    """ "09/03/2026"; "" for None."""
    if day is None:
        return ""
    if isinstance(day, datetime):
        day = as_local(day).date()
    return f"{day:%d/%m/%Y}"


def short_moment(moment: datetime | None) -> str:
    """ "08:30 09/03/2026"; "" for None."""
    if moment is None:
        return ""
    return f"{as_local(moment):%H:%M %d/%m/%Y}"


def local_naive(moment: datetime | None) -> datetime | None:
    """Local wall-clock time without zone, for spreadsheets (Excel has no time zones)."""
    return None if moment is None else as_local(moment).replace(tzinfo=None)
