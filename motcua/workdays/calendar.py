"""Working-time arithmetic on the civil-service calendar. Pure: no ORM, no settings.

A `WorkCalendar` answers "when is a limit of N working days / calendar days / months /
working hours from this moment due?" and "how much working time lies between two
moments?". The rules, with their sources (docs/domain.md §6):

* A period in days starts the day after the event and ends at the end of its last day; a
  last day that is a weekly rest day or holiday moves to the next working day (Civil Code
  2015 arts. 147-148). "End of the day" is the close of business (the end of the afternoon
  half-day): results are returned by the one-stop office, which closes then.
* Paper received after the cut-off (15:00) is handled from the next working day (Decree
  61/2018 art. 18); a receipt outside working hours counts from the next working moment
  (TH-SYS practice, domain.md §6.2). See `WorkCalendar.effective_receipt`.
* Hours are counted only inside the two working half-days (domain.md §6.2).

Weekdays (Monday-Friday) are working days unless listed as days off; Saturdays and
Sundays are rest days unless listed as extra working days (swapped days).

Performance: working days are kept in one sorted array of day ordinals per contiguous run
of years, built lazily year by year; the working-time position of a moment is
`index_of_day x seconds_per_day + seconds_worked_that_day` (every working day has the same
hours), so every computation is a bisect plus arithmetic: O(log n), never a loop over days.
Arrays are replaced, never mutated, so concurrent threads only ever see consistent ones.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, tzinfo
from decimal import Decimal
from enum import StrEnum
from typing import TypeVar
from zoneinfo import ZoneInfo

from .hours import WorkingHours

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")
FIRST_YEAR = 1900  # a guard against runaway computations, not a legal bound
LAST_YEAR = 2199

T = TypeVar("T")
Number = int | Decimal


class LimitUnit(StrEnum):
    """Units of a time limit; the values are those of `catalogue.models.TimeUnit`."""

    WORKING_DAYS = "working_days"
    CALENDAR_DAYS = "calendar_days"
    WORKING_HOURS = "working_hours"
    MONTHS = "months"


class CalendarRangeError(ValueError):
    """A computation reached a year outside FIRST_YEAR..LAST_YEAR."""


class NaiveDatetimeError(ValueError):
    """A datetime without a time zone: the calendar only takes aware moments."""


class _BeyondSpan(Exception):
    """Internal: the computation needs working days past the years built so far."""


# --- Which days are worked ------------------------------------------------------------------


@dataclass(frozen=True)
class YearDays:
    """The exceptions to the Monday-Friday week for one year."""

    days_off: frozenset[date] = frozenset()
    extra_working: frozenset[date] = frozenset()


DaySource = Callable[[int], YearDays]


def fixed_days(days_off: Iterable[date] = (), extra_working: Iterable[date] = ()) -> DaySource:
    """A DaySource from two explicit sets of dates (tests, benchmarks)."""
    off: dict[int, set[date]] = defaultdict(set)
    extra: dict[int, set[date]] = defaultdict(set)
    for day in days_off:
        off[day.year].add(day)
    for day in extra_working:
        extra[day.year].add(day)
    return lambda year: YearDays(frozenset(off[year]), frozenset(extra[year]))


@dataclass(frozen=True)
class _Span:
    """Working days of the years first..last as sorted ordinals."""

    first: int
    last: int
    ordinals: list[int]

    def index_on_or_after(self, day: date) -> int:
        return bisect_left(self.ordinals, day.toordinal())

    def index_after(self, day: date) -> int:
        return bisect_right(self.ordinals, day.toordinal())

    def day(self, index: int) -> date:
        if index >= len(self.ordinals):
            raise _BeyondSpan
        return date.fromordinal(self.ordinals[index])


# --- The calendar ---------------------------------------------------------------------------


@dataclass(eq=False)
class WorkCalendar:
    """Working-time arithmetic over `days` (per-year exceptions), `hours` and `tz`.

    Every moment in and out is an aware datetime; arithmetic is done in `tz` local time.
    """

    days: DaySource = field(default_factory=fixed_days)
    hours: WorkingHours = field(default_factory=WorkingHours)
    tz: tzinfo = VIETNAM
    _years: dict[int, YearDays] = field(default_factory=dict, init=False, repr=False)
    _span: _Span | None = field(default=None, init=False, repr=False)

    @classmethod
    def from_dates(
        cls,
        days_off: Iterable[date] = (),
        extra_working: Iterable[date] = (),
        *,
        hours: WorkingHours | None = None,
        tz: tzinfo = VIETNAM,
    ) -> WorkCalendar:
        return cls(fixed_days(days_off, extra_working), hours or WorkingHours(), tz)

    # Days ---------------------------------------------------------------------------------

    def is_working_day(self, day: date) -> bool:
        """Monday-Friday unless a day off; Saturday/Sunday only if an extra working day."""
        year = self._year(day.year)
        if day in year.extra_working:
            return True
        return day.weekday() < 5 and day not in year.days_off

    def working_dates(self, year: int) -> list[date]:
        day, end = date(year, 1, 1), date(year, 12, 31)
        found = []
        while day <= end:
            if self.is_working_day(day):
                found.append(day)
            day += timedelta(days=1)
        return found

    def nth_working_day_after(self, day: date, n: int) -> date:
        """The nth working day after `day` (counting starts the next day, Civil Code 2015
        art. 147); n=0 gives `day` itself if it is a working day, else the next one."""
        if n < 0:
            raise ValueError("n must not be negative")

        def find(span: _Span) -> date:
            if n == 0:
                return span.day(span.index_on_or_after(day))
            return span.day(span.index_after(day) + n - 1)

        return self._with_span(day.year, find)

    def working_days_between(self, start: date, end: date) -> int:
        """How many working days lie after `start` up to and including `end` (negative if
        `end` comes first)."""
        low, high = sorted((start, end))

        def count(span: _Span) -> int:
            return span.index_after(high) - span.index_after(low)

        result = self._with_span(low.year, count, high.year)
        return result if start <= end else -result

    # Moments ------------------------------------------------------------------------------

    def local(self, moment: datetime) -> datetime:
        """`moment` in local time; NaiveDatetimeError for a naive datetime."""
        if moment.tzinfo is None or moment.utcoffset() is None:
            raise NaiveDatetimeError("the calendar takes aware datetimes only")
        return moment.astimezone(self.tz)

    def at(self, day: date, clock: time) -> datetime:
        return datetime.combine(day, clock, tzinfo=self.tz)

    def opening_of(self, day: date) -> datetime:
        return self.at(day, self.hours.morning[0])

    def close_of(self, day: date) -> datetime:
        """The close of business of `day`: the end of its afternoon half-day."""
        return self.at(day, self.hours.afternoon[1])

    def is_working_moment(self, moment: datetime) -> bool:
        """Inside a working half-day of a working day (start included, end excluded)."""
        local = self.local(moment)
        return self.is_working_day(local.date()) and self.hours.is_open_at(local.time())

    def next_working_moment(self, moment: datetime) -> datetime:
        """`moment` itself if working; else the next start of a working half-day (TH-SYS:
        a receipt over lunch counts from 13:30, after close from the next morning)."""
        local = self.local(moment)
        if self.is_working_moment(local):
            return local
        day, clock = local.date(), local.time()
        if self.is_working_day(day):
            if clock < self.hours.morning[0]:
                return self.opening_of(day)
            if clock < self.hours.afternoon[0]:
                return self.at(day, self.hours.afternoon[0])
        return self.opening_of(self.nth_working_day_after(day, 1))

    def effective_receipt(self, moment: datetime) -> datetime:
        """The moment from which a limit counts: a receipt after the cut-off is handled from
        the start of the next working day (Decree 61/2018 art. 18); any other receipt
        outside working time from the next working moment (domain.md §6.2)."""
        local = self.local(moment)
        cutoff = self.hours.cutoff
        if cutoff is not None and local.time() > cutoff:
            return self.opening_of(self.nth_working_day_after(local.date(), 1))
        return self.next_working_moment(local)

    # Limits -------------------------------------------------------------------------------

    def add_working_days(self, start: datetime, days: Number) -> datetime:
        """The due moment of a limit of `days` working days from `start`.

        Whole days (Civil Code 2015 arts. 147-148): counting starts the day after `start`;
        the limit ends at the close of business of the nth working day after the date of
        `start`. n = 0 (a same-day procedure) ends at the close of that day, or of the next
        working day if `start` falls on a day off.

        Half days follow the EPAR half-day rule (domain.md §6.2: 0.5 day runs from morning
        to afternoon, from afternoon to the next morning): n + 0.5 days from a morning
        (before the end of the morning half-day) of a working day ends at the close of the
        nth working day after it (the same day for n = 0); from an afternoon, at the end of
        the morning of the (n+1)th working day after it. A start on a day off counts from the
        next working morning, as whole days do, so that a longer limit never ends earlier.
        Other fractions are refused (ValueError); a limit in hours uses `add_working_hours`.
        """
        whole, half = _whole_and_half(days)
        local = self.local(start)
        day = local.date()
        if not half:
            return self.close_of(self.nth_working_day_after(day, whole))
        if not self.is_working_day(day):
            first = self.nth_working_day_after(day, 0)
            return self.close_of(self.nth_working_day_after(first, whole))
        if local.time() < self.hours.morning[1]:
            return self.close_of(self.nth_working_day_after(day, whole))
        return self.at(self.nth_working_day_after(day, whole + 1), self.hours.morning[1])

    def add_calendar_days(self, start: datetime, days: Number) -> datetime:
        """A limit of `days` calendar days: the close of business of the date `days` days
        after `start`, moved to the next working day's close if that date is not worked
        (Civil Code 2015 arts. 147-148)."""
        count = _whole(days, "days")
        last = self.local(start).date() + timedelta(days=count)
        return self.close_of(self.nth_working_day_after(last, 0))

    def add_months(self, start: datetime, months: Number) -> datetime:
        """A limit of `months` months: ends on the same day of the last month, or on that
        month's last day when it has no such day, at the close of business; moved to the
        next working day's close if that day is not worked (Civil Code 2015 art. 148)."""
        count = _whole(months, "months")
        last = _plus_months(self.local(start).date(), count)
        return self.close_of(self.nth_working_day_after(last, 0))

    def add_working_hours(self, start: datetime, hours: Number) -> datetime:
        """The moment when `hours` working hours have passed since `start`, counting only
        inside the working half-days (domain.md §6.2, TH-SYS): from after close the count
        starts the next working morning, from lunch at the start of the afternoon."""
        seconds = Decimal(hours) * 3600
        if seconds != seconds.to_integral_value():
            raise ValueError("hours must be a whole number of seconds")
        return self.add_working_time(start, timedelta(seconds=int(seconds)))

    def add_working_time(self, start: datetime, duration: timedelta) -> datetime:
        """`start` plus `duration` of working time. The result is the earliest such moment,
        so a limit that uses up a half-day ends at 11:30 or 17:00; a zero duration gives
        the next working moment."""
        seconds = int(duration.total_seconds())
        if seconds < 0:
            raise ValueError("duration must not be negative")
        if seconds == 0:
            return self.next_working_moment(start)
        local = self.local(start)

        def compute(span: _Span) -> datetime:
            return self._moment_at(span, self._position(span, local) + seconds)

        return self._with_span(local.year, compute)

    def working_time_between(self, start: datetime, end: datetime) -> timedelta:
        """Working time between two moments, to the second (negative if `end` is earlier).
        Time outside the working half-days does not count."""
        a, b = self.local(start), self.local(end)

        def measure(span: _Span) -> int:
            return self._position(span, b) - self._position(span, a)

        low, high = sorted((a.year, b.year))
        return timedelta(seconds=self._with_span(low, measure, high))

    def working_hours_between(self, start: datetime, end: datetime) -> Decimal:
        seconds = int(self.working_time_between(start, end).total_seconds())
        return Decimal(seconds) / 3600

    def due_moment(
        self, received: datetime, amount: Number, unit: str, *, apply_cutoff: bool = True
    ) -> datetime:
        """The due moment of a limit of `amount` `unit` for a dossier received at
        `received`: counted from `effective_receipt(received)` (Decree 61/2018 art. 18)
        unless `apply_cutoff` is False, then by the unit's rule."""
        start = self.effective_receipt(received) if apply_cutoff else received
        adders = {
            LimitUnit.WORKING_DAYS: self.add_working_days,
            LimitUnit.CALENDAR_DAYS: self.add_calendar_days,
            LimitUnit.WORKING_HOURS: self.add_working_hours,
            LimitUnit.MONTHS: self.add_months,
        }
        return adders[LimitUnit(unit)](start, amount)

    # Internals ----------------------------------------------------------------------------

    def _year(self, year: int) -> YearDays:
        found = self._years.get(year)
        if found is None:
            if not FIRST_YEAR <= year <= LAST_YEAR:
                raise CalendarRangeError(f"year {year} is outside {FIRST_YEAR}-{LAST_YEAR}")
            found = self._years[year] = self.days(year)
        return found

    def _ordinals(self, first: int, last: int) -> list[int]:
        return [d.toordinal() for year in range(first, last + 1) for d in self.working_dates(year)]

    def _span_for(self, first: int, last: int) -> _Span:
        span = self._span
        if span is not None and span.first <= first and last <= span.last:
            return span
        if span is None:
            span = _Span(first, last, self._ordinals(first, last))
        else:
            before = self._ordinals(first, span.first - 1) if first < span.first else []
            after = self._ordinals(span.last + 1, last) if last > span.last else []
            ordinals = before + span.ordinals + after
            span = _Span(min(first, span.first), max(last, span.last), ordinals)
        self._span = span
        return span

    def _with_span(self, first: int, compute: Callable[[_Span], T], last: int = 0) -> T:
        """Run `compute` on a span covering first..last, extending it a year at a time
        while the computation runs past its end."""
        last = max(first, last)
        while True:
            span = self._span_for(first, last)
            try:
                return compute(span)
            except _BeyondSpan:
                last = span.last + 1

    def _position(self, span: _Span, local: datetime) -> int:
        """Working seconds from the first working day of `span` to `local`."""
        day = local.date()
        index = span.index_on_or_after(day)
        base = index * self.hours.day_seconds
        if span.day(index) != day:
            return base
        return base + self.hours.worked_seconds(local.time())

    def _moment_at(self, span: _Span, position: int) -> datetime:
        """The earliest moment at `position` (see `_position`): a position on a day
        boundary is the close of the earlier day."""
        index, worked = divmod(position, self.hours.day_seconds)
        if worked == 0 and index > 0:
            index, worked = index - 1, self.hours.day_seconds
        return self.at(span.day(index), self.hours.clock_at(worked))


def _whole(amount: Number, what: str) -> int:
    value = Decimal(amount)
    if value < 0 or value != value.to_integral_value():
        raise ValueError(f"{what} must be a whole, non-negative number")
    return int(value)


def _whole_and_half(days: Number) -> tuple[int, bool]:
    doubled = Decimal(days) * 2
    if doubled < 0 or doubled != doubled.to_integral_value():
        raise ValueError("working days must be a non-negative multiple of 0.5")
    whole, half = divmod(int(doubled), 2)
    return whole, bool(half)


def _plus_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    first_of_next = date(year + (month == 11), (month + 1) % 12 + 1, 1)
    last_day = (first_of_next - timedelta(days=1)).day
    return date(year, month + 1, min(day.day, last_day))
