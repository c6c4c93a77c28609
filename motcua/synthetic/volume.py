"""How many dossiers arrive on each day, and at what time. Pure: the working days come from
the caller (the calendar in force).

Intake is on working days (Mondays busiest, Fridays quieter), a small share on Saturday
mornings (one-stop sections that open then), none on Sundays and public holidays; fewer in
the weeks around Tết; a little seasonality by month; volume growing year by year.
"""

from collections.abc import Callable, Iterator
from datetime import date, timedelta

WEEKDAY = [1.25, 1.05, 1.0, 1.0, 0.9, 0.06, 0.0]  # Monday .. Sunday
SWAPPED_SATURDAY = 0.9  # a Saturday worked in exchange for a holiday bridge
MONTH = [1.0, 0.85, 1.05, 1.0, 1.0, 1.05, 1.1, 1.1, 1.0, 1.0, 1.0, 1.1]
GROWTH = 0.06  # a year
TET_BEFORE, TET_AFTER = 0.75, 0.5  # the working days of the week before / after
TET_MIN_RUN = 5  # Tết: the longest run of days off in January-February, at least this long


def days_between(first: date, last: date) -> Iterator[date]:
    day = first
    while day <= last:
        yield day
        day += timedelta(days=1)


def tet_holidays(year: int, is_working: Callable[[date], bool]) -> tuple[date, date] | None:
    """First and last day of the Tết break of `year` (None when none is found)."""
    best, run = None, []
    for day in days_between(date(year, 1, 10), date(year, 2, 28)):
        if not is_working(day):
            run.append(day)
            continue
        if len(run) >= TET_MIN_RUN and (best is None or len(run) > (best[1] - best[0]).days + 1):
            best = (run[0], run[-1])
        run = []
    if best is not None and (best[1] - best[0]).days + 1 >= TET_MIN_RUN:
        return best
    return None


def day_weight(day: date, first: date, is_working: Callable[[date], bool], tet) -> float:
    weekday = day.weekday()
    if is_working(day):
        weight = SWAPPED_SATURDAY if weekday >= 5 else WEEKDAY[weekday]
    elif weekday == 5 and not _holiday_week(day, is_working):
        weight = WEEKDAY[5]
    else:
        return 0.0
    weight *= MONTH[day.month - 1] * (1 + GROWTH) ** ((day - first).days / 365.25)
    if tet is not None:
        if tet[0] - timedelta(days=8) <= day < tet[0]:
            weight *= TET_BEFORE
        elif tet[1] < day <= tet[1] + timedelta(days=8):
            weight *= TET_AFTER
    return weight


def _holiday_week(saturday: date, is_working: Callable[[date], bool]) -> bool:
    """No Saturday opening next to a holiday (the Friday or Monday is off)."""
    friday, monday = saturday - timedelta(days=1), saturday + timedelta(days=2)
    return not is_working(friday) or not is_working(monday)


def daily_counts(
    total: int, first: date, last: date, is_working: Callable[[date], bool]
) -> list[tuple[date, int]]:
    """(day, dossiers) for every day with intake; the counts add up to `total` exactly
    (cumulative rounding of the weights)."""
    tets = {year: tet_holidays(year, is_working) for year in range(first.year, last.year + 1)}
    weights = [
        (day, day_weight(day, first, is_working, tets[day.year]))
        for day in days_between(first, last)
    ]
    whole = sum(w for _, w in weights)
    if whole <= 0:
        return []
    counts, running, given = [], 0.0, 0
    for day, weight in weights:
        running += weight
        upto = round(total * running / whole)
        if upto > given:
            counts.append((day, upto - given))
            given = upto
    return counts
