"""Due-date arithmetic: the bisect tables of motcua.workdays.calendar against the obvious
day-by-day loop, on the same 100,000 random inputs (receipts 2024-2027, limits of 0-60
working days and 1-200 working hours), after checking that both give the same answers.

Uses the holidays package without the override table, so it needs no database.
"""

import random
import time as clock
from collections.abc import Callable
from datetime import datetime, time, timedelta

from motcua.workdays.calendar import VIETNAM, WorkCalendar
from motcua.workdays.public_holidays import package_year_days

COUNT = 100_000
FIRST = datetime(2024, 1, 1, tzinfo=VIETNAM)
SPAN_SECONDS = 4 * 365 * 24 * 3600


class NaiveCalendar:
    """The loop a first version would write: one step per calendar day or half-day."""

    def __init__(self, calendar: WorkCalendar, years: range):
        self.hours = calendar.hours
        self.working = {
            day for year in years for day in calendar.working_dates(year)
        }  # a set lookup per day: the loop's best case

    def add_working_days(self, start: datetime, n: int) -> datetime:
        day = start.astimezone(VIETNAM).date()
        if n == 0:
            while day not in self.working:
                day += timedelta(days=1)
        while n:
            day += timedelta(days=1)
            if day in self.working:
                n -= 1
        return datetime.combine(day, self.hours.afternoon[1], tzinfo=VIETNAM)

    def add_working_hours(self, start: datetime, hours: int) -> datetime:
        moment, remaining = start.astimezone(VIETNAM), timedelta(hours=hours)
        while True:
            day = moment.date()
            if day in self.working:
                for begin, end in (self.hours.morning, self.hours.afternoon):
                    since = max(moment, datetime.combine(day, begin, tzinfo=VIETNAM))
                    until = datetime.combine(day, end, tzinfo=VIETNAM)
                    if since < until and remaining <= until - since:
                        return since + remaining
                    remaining -= max(until - since, timedelta(0))
            moment = datetime.combine(day + timedelta(days=1), time(0), tzinfo=VIETNAM)


def _inputs(
    seed: int, largest: int, smallest: int = 0, count: int = COUNT
) -> list[tuple[datetime, int]]:
    rng = random.Random(seed)
    return [
        (
            FIRST + timedelta(seconds=rng.randrange(SPAN_SECONDS)),
            rng.randint(smallest, largest),
        )
        for _ in range(count)
    ]


def _time(function: Callable[[datetime, int], datetime], inputs) -> tuple[float, list]:
    started = clock.perf_counter()
    results = [function(start, n) for start, n in inputs]
    return clock.perf_counter() - started, results


def _compare(label: str, fast, naive, inputs) -> None:
    fast(*inputs[0])  # build the first year's table outside the timing
    fast_seconds, fast_results = _time(fast, inputs)
    naive_seconds, naive_results = _time(naive, inputs)
    mismatches = sum(a != b for a, b in zip(fast_results, naive_results, strict=True))
    count = len(inputs)
    print(
        f"   {label:<24} {count:>7,} inputs   tables {count / fast_seconds:>9,.0f}/s   "
        f"day-by-day {count / naive_seconds:>8,.0f}/s   "
        f"ratio {naive_seconds / fast_seconds:5.1f}x   mismatches {mismatches}"
    )


def run() -> None:
    calendar = WorkCalendar(package_year_days)
    naive = NaiveCalendar(calendar, range(2024, 2030))
    _compare("working days 0-60", calendar.add_working_days, naive.add_working_days, _inputs(1, 60))
    _compare(
        "working days 0-400",
        calendar.add_working_days,
        naive.add_working_days,
        _inputs(2, 400, count=20_000),
    )
    _compare(
        "working hours 1-200",
        calendar.add_working_hours,
        naive.add_working_hours,
        _inputs(3, 200, 1),
    )
