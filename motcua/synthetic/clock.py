"""Working time for the generator: the calendar in force (workdays.loader), with the lookups
made millions of times turned into list indexing and a cache.

Inside the generator a moment is a naive local datetime (the calendar's zone); aware ones
are made only to ask the calendar. Appointments of whole working days (most procedures) are
computed here by index arithmetic over the calendar's working days, exactly as
`WorkCalendar.add_working_days` does (the tests compare them); the others come from
`WorkCalendar.due_moment` itself (the rule intake uses), cached per (limit, channel, local
day, part of the day): within one part of a day (before opening, morning, lunch, afternoon
up to the cut-off, after it, after close) every receipt gives the same appointment for
limits in days or months.
"""

from datetime import date, datetime, time, timedelta
from decimal import Decimal

from motcua.workdays.calendar import LimitUnit, WorkCalendar

Limit = tuple[Decimal, str]
DAY_UNITS = {LimitUnit.WORKING_DAYS, LimitUnit.CALENDAR_DAYS, LimitUnit.MONTHS}
MARGIN_BEFORE = timedelta(days=14)
MARGIN_AFTER = timedelta(days=500)  # late endings and returns run past the last day


WHOLE_WORKING_DAYS, OTHER = "whole_working_days", "other"


def _rule(limit: Limit) -> tuple[str, int]:
    """How `Clock.due` computes a limit: whole working days by index arithmetic (the common
    case, checked against the calendar by the tests), the rest by asking the calendar."""
    value, unit = limit
    if unit == LimitUnit.WORKING_DAYS and value == int(value):
        return WHOLE_WORKING_DAYS, int(value)
    return OTHER, 0


def _seconds(clock: time) -> int:
    return clock.hour * 3600 + clock.minute * 60 + clock.second


class Clock:
    def __init__(self, calendar: WorkCalendar, first: date, last: date):
        self.calendar = calendar
        self.hours = calendar.hours
        self.day_seconds = calendar.hours.day_seconds
        self.morning_seconds = calendar.hours.morning_seconds
        bounds = [*calendar.hours.morning, *calendar.hours.afternoon]
        self.bounds = [_seconds(t) for t in bounds]
        cutoff = calendar.hours.cutoff
        self._cutoff = _seconds(cutoff) if cutoff is not None else None
        self.base = (first - MARGIN_BEFORE).toordinal()
        end = (last + MARGIN_AFTER).toordinal()
        days = [date.fromordinal(n) for n in range(self.base, end + 1)]
        self.working = [d for d in days if calendar.is_working_day(d)]
        self._on_or_after: list[int] = []
        index = 0
        for day in days:
            self._on_or_after.append(index)
            if index < len(self.working) and self.working[index] == day:
                index += 1
        self._working_set = set(self.working)
        self._midnights = [datetime.combine(d, time()) for d in self.working]
        self._morning_start = self.bounds[0]
        self._afternoon_start = self.bounds[2]
        self._due: dict[tuple, datetime | None] = {}
        self._rules: dict[Limit, tuple[str, int]] = {}

    # Days ---------------------------------------------------------------------------------

    def is_working(self, day: date) -> bool:
        return day in self._working_set

    def index(self, day: date) -> int:
        """Index of `day` among the working days, or of the next working day."""
        return self._on_or_after[day.toordinal() - self.base]

    def day(self, index: int) -> date:
        return self.working[index]

    # Moments ------------------------------------------------------------------------------

    def at(self, index: int, worked: int) -> datetime:
        """The moment when `worked` working seconds of working day `index` have passed
        (WorkingHours.clock_at: a whole morning ends at the end of the morning)."""
        if worked <= self.morning_seconds:
            seconds = self._morning_start + worked
        else:
            seconds = self._afternoon_start + worked - self.morning_seconds
        return self._midnights[index] + timedelta(seconds=seconds)

    def worked(self, moment: datetime) -> int:
        """Working seconds of its day passed at `moment` (0 on a day off)."""
        if moment.date() not in self._working_set:
            return 0
        s = moment.hour * 3600 + moment.minute * 60 + moment.second
        m0, m1, a0, a1 = self.bounds
        if s <= m1:
            return max(0, s - m0)
        if s <= a0:
            return m1 - m0
        return (m1 - m0) + min(s, a1) - a0

    def position(self, moment: datetime) -> int:
        """Working seconds from the first working day to `moment` (WorkCalendar's rule)."""
        return self.index(moment.date()) * self.day_seconds + self.worked(moment)

    def moment_at(self, position: int) -> datetime:
        """The earliest moment at `position`: a day boundary is the close of the earlier day."""
        index, worked = divmod(position, self.day_seconds)
        if worked == 0 and index > 0:
            index, worked = index - 1, self.day_seconds
        return self.at(index, worked)

    def close(self, index: int) -> datetime:
        return self.at(index, self.day_seconds)

    # Appointments -------------------------------------------------------------------------

    def _part_of_day(self, moment: datetime) -> int:
        s = moment.hour * 3600 + moment.minute * 60 + moment.second
        m0, m1, a0, a1 = self.bounds
        if self._cutoff is not None and s > self._cutoff:
            return 4 if s < a1 else 5
        return 0 if s < m0 else 1 if s < m1 else 2 if s < a0 else 3 if s < a1 else 5

    def due(self, received: datetime, limit: Limit | None, paper: bool) -> datetime | None:
        """The appointment of `limit` for a dossier received at `received` (local)."""
        if limit is None:
            return None
        rule = self._rules.get(limit)
        if rule is None:
            rule = self._rules[limit] = _rule(limit)
        if rule[0] == WHOLE_WORKING_DAYS:
            return self._working_days_due(self.effective_receipt(received, paper), rule[1])
        if limit[1] not in DAY_UNITS:
            return self._ask(received, limit, paper)
        key = (received.date(), limit, paper, self._part_of_day(received))
        found = self._due.get(key, False)
        if found is False:
            found = self._due[key] = self._ask(received, limit, paper)
        return found

    def _working_days_due(self, start: datetime, days: int) -> datetime:
        """WorkCalendar.add_working_days for whole days: the close of the nth working day
        after the start's day (n = 0: that day, or the next working one)."""
        day = start.date()
        index = self.index(day)
        if days > 0:
            index += days - (0 if day in self._working_set else 1)
        return self.close(index)

    def forget_before(self, day: date) -> None:
        """Drop cached appointments of receipts before `day` (memory stays flat)."""
        self._due = {k: v for k, v in self._due.items() if k[0] >= day}

    def _ask(self, received: datetime, limit: Limit, paper: bool) -> datetime:
        tz = self.calendar.tz
        moment = received.replace(tzinfo=tz)
        due = self.calendar.due_moment(moment, limit[0], limit[1], apply_cutoff=paper)
        return due.astimezone(tz).replace(tzinfo=None)

    def effective_receipt(self, received: datetime, paper: bool) -> datetime:
        """When the time limit starts counting (intake._start_clock): a paper receipt in
        working time counts from itself, otherwise from a boundary that depends only on
        the day and the part of the day."""
        if not paper:
            return received
        part = self._part_of_day(received)
        if part in (1, 3) and received.date() in self._working_set:
            return received
        key = (received.date(), "start", part)
        found = self._due.get(key)
        if found is None:
            tz = self.calendar.tz
            moment = self.calendar.effective_receipt(received.replace(tzinfo=tz))
            found = self._due[key] = moment.astimezone(tz).replace(tzinfo=None)
        return found
