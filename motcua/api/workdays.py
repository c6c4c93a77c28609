"""The working-day calendar API (/api/v1/workdays), public and read-only.

GET /add?start=<ISO datetime>&days=<n>[&unit=working_days|calendar_days]  (or hours= / months=)
GET /<year>  days off, swapped working days and working hours of a year
"""

import re
from datetime import date, datetime, time
from decimal import Decimal

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from motcua.workdays.calendar import CalendarRangeError, LimitUnit, WorkCalendar
from motcua.workdays.errors import WorkdaysError
from motcua.workdays.loader import describe_year, get_calendar

from .schemas.responses import answers

router = Router(tags=["workdays"])

FIRST_YEAR = 1990
LAST_YEAR = 2100
MAXIMA = {
    LimitUnit.WORKING_DAYS: Decimal(3660),
    LimitUnit.CALENDAR_DAYS: Decimal(3660),
    LimitUnit.WORKING_HOURS: Decimal(3660 * 8),
    LimitUnit.MONTHS: Decimal(120),
}
UNITS_BY_PARAMETER = {
    "days": (LimitUnit.WORKING_DAYS, LimitUnit.CALENDAR_DAYS),
    "hours": (LimitUnit.WORKING_HOURS,),
    "months": (LimitUnit.MONTHS,),
}
# "+07:00" sent unencoded in a query string arrives as " 07:00".
UNENCODED_PLUS = re.compile(r"(\d{4}-\d{2}-\d{2}T[\d:.]+) (\d{2}:?\d{2})")


class DueQuery(Schema):
    start: str = Field(..., description="Receipt moment, ISO 8601 with offset (+07:00).")
    days: Decimal | None = Field(None, description="Limit in days (working days by default).")
    hours: Decimal | None = Field(None, description="Limit in working hours.")
    months: Decimal | None = Field(None, description="Limit in months.")
    unit: LimitUnit | None = Field(None, description="working_days or calendar_days for days.")
    cutoff: bool = Field(True, description="Apply the 15:00 cut-off (Decree 61/2018 art. 18).")


class DueOut(Schema):
    start: datetime
    effective_start: datetime
    amount: float
    unit: LimitUnit
    cutoff: bool
    due: datetime
    timezone: str


class HalfDayOut(Schema):
    start: str
    end: str


class WorkingHoursOut(Schema):
    morning: HalfDayOut
    afternoon: HalfDayOut
    cutoff: str | None
    hours_per_day: float


class NamedDayOut(Schema):
    date: date
    name: str
    source: str = Field(..., description="holiday (the holidays package) or override (local)")


class YearOut(Schema):
    year: int
    timezone: str
    working_hours: WorkingHoursOut
    weekly_rest_days: list[str]
    days_off: list[NamedDayOut]
    working_days: list[NamedDayOut]
    working_day_count: int


def _refuse(code: str, message: str) -> WorkdaysError:
    return WorkdaysError(code, message, status=422)


def _parse_start(text: str) -> datetime:
    text = UNENCODED_PLUS.sub(r"\1+\2", text.strip())
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise _refuse("invalid_datetime", _("start is not an ISO 8601 date and time.")) from None
    if moment.tzinfo is None:
        message = _("start needs a time zone offset, e.g. 2026-02-13T10:00:00+07:00.")
        raise _refuse("naive_datetime", message)
    if not FIRST_YEAR <= moment.year <= LAST_YEAR:
        message = _("start must fall between %(first)s and %(last)s.")
        raise _refuse("start_out_of_range", message % {"first": FIRST_YEAR, "last": LAST_YEAR})
    return moment


def _amount_and_unit(query: DueQuery) -> tuple[Decimal, LimitUnit]:
    given = [(name, getattr(query, name)) for name in UNITS_BY_PARAMETER]
    given = [(name, value) for name, value in given if value is not None]
    if len(given) != 1:
        code = "amount_required" if not given else "ambiguous_amount"
        raise _refuse(code, _("Give exactly one of days, hours or months."))
    name, amount = given[0]
    allowed = UNITS_BY_PARAMETER[name]
    unit = query.unit or allowed[0]
    if unit not in allowed:
        message = _("unit %(unit)s does not apply to %(parameter)s.")
        raise _refuse("unit_mismatch", message % {"unit": unit, "parameter": name})
    if not 0 <= amount <= MAXIMA[unit]:
        message = _("%(parameter)s must be between 0 and %(maximum)s.")
        raise _refuse("amount_out_of_range", message % {"parameter": name, "maximum": MAXIMA[unit]})
    return amount, unit


def _due(calendar: WorkCalendar, start: datetime, amount: Decimal, unit: LimitUnit) -> datetime:
    try:
        return calendar.due_moment(start, amount, unit, apply_cutoff=False)
    except CalendarRangeError:
        raise _refuse("out_of_range", _("The due date falls outside the calendar.")) from None
    except ValueError:
        message = _("Working days go by halves, calendar days and months by whole numbers.")
        raise _refuse("invalid_amount", message) from None


@router.get("/add", response=answers(DueOut, (422,)), summary="Due moment of a time limit")
def add(request: HttpRequest, query: Query[DueQuery]) -> dict:
    """The due moment of a limit counted from `start`: working days end at the close of
    the nth working day after the (effective) receipt (Civil Code 2015 arts. 147-148), a
    receipt after the cut-off counts from the next working day (Decree 61/2018 art. 18)."""
    start = _parse_start(query.start)
    amount, unit = _amount_and_unit(query)
    calendar = get_calendar()
    effective = calendar.effective_receipt(start) if query.cutoff else calendar.local(start)
    return {
        "start": calendar.local(start),
        "effective_start": effective,
        "amount": amount,
        "unit": unit,
        "cutoff": query.cutoff,
        "due": _due(calendar, effective, amount, unit),
        "timezone": settings.TIME_ZONE,
    }


def _working_hours(calendar: WorkCalendar) -> dict:
    hours = calendar.hours

    def half(span: tuple[time, time]) -> dict[str, str]:
        return {"start": f"{span[0]:%H:%M}", "end": f"{span[1]:%H:%M}"}

    return {
        "morning": half(hours.morning),
        "afternoon": half(hours.afternoon),
        "cutoff": f"{hours.cutoff:%H:%M}" if hours.cutoff else None,
        "hours_per_day": hours.day_seconds / 3600,
    }


@router.get(
    "/{int:year}",
    response=answers(YearOut, (404, 422)),
    summary="Days off and working days of a year",
)
def year_calendar(request: HttpRequest, year: int) -> dict:
    """Named days off (public holidays from the holidays package, Labour Code 2019 art. 112,
    and local overrides) and weekend days made working days. Saturdays and Sundays are
    rest days unless listed under working_days."""
    if not FIRST_YEAR <= year <= LAST_YEAR:
        message = _("year must be between %(first)s and %(last)s.")
        raise _refuse("year_out_of_range", message % {"first": FIRST_YEAR, "last": LAST_YEAR})
    listing = describe_year(year)
    return {
        "year": year,
        "timezone": settings.TIME_ZONE,
        "working_hours": _working_hours(get_calendar()),
        "weekly_rest_days": ["saturday", "sunday"],
        "days_off": listing.days_off,
        "working_days": listing.working_days,
        "working_day_count": listing.working_day_count,
    }
