"""Vietnamese public holidays from the `holidays` package, merged with local overrides.

The package follows Labour Code 2019 art. 112 (Tết Dương lịch, five days of lunar Tết,
Hùng Kings on the 10th of the 3rd lunar month, 30/4, 1/5, two days of National Day) and
the Prime Minister's yearly notices: compensatory days off and Saturdays swapped into
working days (its `weekend_workdays`). It knows no holiday after 2100: later years are
weekdays and weekends only. Pure: no ORM; the override table is passed in.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from types import MappingProxyType

import holidays

from .calendar import YearDays

DAY_OFF = "day_off"
WORKING_DAY = "working_day"
# Django language code -> the package's; the package speaks only these.
PACKAGE_LANGUAGES = {"vi": "vi", "en": "en_US"}


@dataclass(frozen=True)
class PackageYear:
    """One year as the package sees it: named days off and swapped working days."""

    holidays: Mapping[date, str]
    swapped_working: frozenset[date]


@lru_cache(maxsize=512)
def package_year(year: int, language: str = "vi") -> PackageYear:
    """The package's days for `year`, names in `language` (a Django language code)."""
    found = holidays.country_holidays(
        "VN", years=year, language=PACKAGE_LANGUAGES.get(language, "vi")
    )
    # weekend_workdays also lists days of other years the package knows about.
    swapped = frozenset(day for day in found.weekend_workdays if day.year == year)
    return PackageYear(MappingProxyType(dict(sorted(found.items()))), swapped)


def year_days(year: int, overrides: Mapping[date, str]) -> YearDays:
    """The exceptions to the Monday-Friday week in `year`: the package's holidays and
    swapped Saturdays, then the local overrides (date -> DAY_OFF | WORKING_DAY), which
    win: a WORKING_DAY override cancels a holiday, a DAY_OFF override cancels a swap."""
    package = package_year(year)
    days_off = set(package.holidays)
    extra_working = set(package.swapped_working)
    for day, kind in overrides.items():
        if day.year != year:
            continue
        if kind == DAY_OFF:
            days_off.add(day)
            extra_working.discard(day)
        else:
            extra_working.add(day)
            days_off.discard(day)
    return YearDays(frozenset(days_off), frozenset(extra_working))


def package_year_days(year: int) -> YearDays:
    """A DaySource with the package's days and no overrides (pure tests, benchmarks)."""
    return year_days(year, {})
