"""The calendar in force: the holidays package + the override table + the settings.

`get_calendar()` is what every other app calls. The built calendar is kept in-process and
rebuilt when its stamp changes. The stamp is read from the database on each call (one
small aggregate query: number of overrides and their latest `updated_at`), so a change
made by any process, through any door, is seen by every process on its next call.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from functools import cache, partial
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from . import public_holidays
from .calendar import WorkCalendar, WorkingHours
from .models import CalendarOverride

_cached: tuple[tuple, WorkCalendar] | None = None


def working_hours_from_settings() -> WorkingHours:
    """MOTCUA_MORNING / MOTCUA_AFTERNOON ("HH:MM-HH:MM") and MOTCUA_CUTOFF ("HH:MM", empty
    disables it)."""
    try:
        return WorkingHours.parse(
            settings.MOTCUA_MORNING, settings.MOTCUA_AFTERNOON, settings.MOTCUA_CUTOFF or ""
        )
    except ValueError as exc:
        raise ImproperlyConfigured(f"MOTCUA_MORNING/AFTERNOON/CUTOFF: {exc}") from exc


@cache
def _stamp_sql(vendor: str) -> str:
    quote = connection.ops.quote_name
    meta = CalendarOverride._meta
    last = quote(meta.get_field("updated_at").column)
    return f"SELECT COUNT(*), MAX({last}) FROM {quote(meta.db_table)}"


def _stamp() -> tuple:
    """What tells that the overrides changed: their number and latest change (compared
    only, so left as the database returns them), and the settings."""
    with connection.cursor() as cursor:
        cursor.execute(_stamp_sql(connection.vendor))
        count, last = cursor.fetchone()
    policy = (settings.MOTCUA_MORNING, settings.MOTCUA_AFTERNOON, settings.MOTCUA_CUTOFF)
    return (count, last, policy, settings.TIME_ZONE)


def _overrides_by_year() -> dict[int, dict[date, str]]:
    grouped: dict[int, dict[date, str]] = defaultdict(dict)
    for day, kind in CalendarOverride.objects.values_list("date", "kind"):
        grouped[day.year][day] = kind
    return grouped


def _year_days(overrides: dict[int, dict[date, str]], year: int) -> public_holidays.YearDays:
    return public_holidays.year_days(year, overrides.get(year, {}))


def build_calendar() -> WorkCalendar:
    """A fresh calendar from the package, the override table and the settings."""
    return WorkCalendar(
        days=partial(_year_days, _overrides_by_year()),
        hours=working_hours_from_settings(),
        tz=ZoneInfo(settings.TIME_ZONE),
    )


def get_calendar() -> WorkCalendar:
    """The calendar in force; rebuilt only when the override table or the settings changed."""
    global _cached
    stamp = _stamp()
    if _cached is None or _cached[0] != stamp:
        _cached = (stamp, build_calendar())
    return _cached[1]


# --- A year, described (the public API lists it) --------------------------------------------


HOLIDAY = "holiday"
OVERRIDE = "override"


@dataclass(frozen=True)
class NamedDay:
    date: date
    name: str
    source: str  # HOLIDAY (the package) or OVERRIDE


@dataclass(frozen=True)
class YearListing:
    year: int
    days_off: list[NamedDay]
    working_days: list[NamedDay]  # weekend days worked and cancelled holidays
    working_day_count: int


def describe_year(year: int) -> YearListing:
    """The named days off and the swapped working days of `year`, as in force now: the
    package's, then the overrides, which replace or cancel the package's entry."""
    package = public_holidays.package_year(year, (get_language() or "vi")[:2])
    days_off = {day: NamedDay(day, name, HOLIDAY) for day, name in package.holidays.items()}
    swapped = _("Swapped working day")
    working = {day: NamedDay(day, swapped, HOLIDAY) for day in package.swapped_working}
    for override in CalendarOverride.objects.filter(date__year=year):
        is_off = override.kind == CalendarOverride.Kind.DAY_OFF
        mine, other = (days_off, working) if is_off else (working, days_off)
        mine[override.date] = NamedDay(override.date, override.name, OVERRIDE)
        other.pop(override.date, None)
    return YearListing(
        year=year,
        days_off=[days_off[day] for day in sorted(days_off)],
        working_days=[working[day] for day in sorted(working)],
        working_day_count=len(get_calendar().working_dates(year)),
    )
