"""Concrete dates on the real Vietnamese calendar of the holidays package (no database).

2025: Tết Jan 27-Feb 1, Hùng Kings Apr 7, Apr 30, May 1, May 2 off for Saturday Apr 26
worked, Sep 1-2. 2026: Jan 1, Tết Feb 16-20, Hùng Kings Apr 26 (Sunday) compensated Apr 27,
Apr 30, May 1, Aug 31 off for Saturday Aug 22 worked, Sep 1-2, Nov 24.
"""

from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

import pytest

from motcua.workdays.calendar import (
    VIETNAM,
    NaiveDatetimeError,
    WorkCalendar,
    WorkingHours,
)
from motcua.workdays.public_holidays import package_year_days

CALENDAR = WorkCalendar(package_year_days)


def at(text: str) -> datetime:
    """'2026-02-13 10:00' in Vietnam time."""
    return datetime.fromisoformat(text).replace(tzinfo=VIETNAM)


# received, amount, unit, due (with the 15:00 cut-off, as dossiers are counted)
DUE_CASES = [
    # Friday before Tết 2026: the next working day is Monday 23 February.
    ("2026-02-13 10:00", 1, "working_days", "2026-02-23 17:00"),
    ("2026-02-13 15:30", 1, "working_days", "2026-02-24 17:00"),
    ("2026-02-12 14:59", 1, "working_days", "2026-02-13 17:00"),
    ("2026-02-12 15:00", 1, "working_days", "2026-02-13 17:00"),
    ("2026-02-12 15:01", 1, "working_days", "2026-02-23 17:00"),
    ("2026-02-13 10:00", 5, "working_days", "2026-02-27 17:00"),
    # Same-day procedures; after the cut-off they move to the next working day.
    ("2026-03-10 09:00", 0, "working_days", "2026-03-10 17:00"),
    ("2026-03-10 16:00", 0, "working_days", "2026-03-11 17:00"),
    # Half days (EPAR rule): morning -> afternoon, afternoon -> next morning.
    ("2026-03-10 09:00", Decimal("0.5"), "working_days", "2026-03-10 17:00"),
    ("2026-03-10 14:00", Decimal("0.5"), "working_days", "2026-03-11 11:30"),
    ("2026-03-10 12:00", Decimal("0.5"), "working_days", "2026-03-11 11:30"),
    ("2026-03-10 09:00", Decimal("1.5"), "working_days", "2026-03-11 17:00"),
    ("2026-03-10 14:00", Decimal("1.5"), "working_days", "2026-03-12 11:30"),
    ("2026-02-13 14:00", Decimal("0.5"), "working_days", "2026-02-23 11:30"),
    # Saturday 26 April 2025 was worked in exchange for Friday 2 May.
    ("2025-04-25 10:00", 1, "working_days", "2025-04-26 17:00"),
    ("2025-04-25 10:00", 2, "working_days", "2025-04-28 17:00"),
    ("2025-04-26 10:00", 1, "working_days", "2025-04-28 17:00"),
    ("2025-04-25 10:00", 4, "working_days", "2025-05-05 17:00"),
    # Tết 2025 runs into a Saturday.
    ("2025-01-24 10:00", 1, "working_days", "2025-02-03 17:00"),
    # Across the new year: 1 January is a holiday.
    ("2025-12-31 10:00", 1, "working_days", "2026-01-02 17:00"),
    # A receipt on a Sunday counts from Monday's opening.
    ("2026-03-08 10:00", 1, "working_days", "2026-03-10 17:00"),
    # Working hours count only inside the half-days.
    ("2026-03-10 10:00", 4, "working_hours", "2026-03-10 16:00"),
    ("2026-03-10 12:00", 1, "working_hours", "2026-03-10 14:30"),
    ("2026-03-10 17:30", 1, "working_hours", "2026-03-11 08:30"),
    ("2026-03-10 07:30", 4, "working_hours", "2026-03-10 11:30"),
    ("2026-03-10 07:30", Decimal("7.5"), "working_hours", "2026-03-10 17:00"),
    ("2026-02-13 10:00", 8, "working_hours", "2026-02-23 10:30"),
    ("2026-03-10 06:00", Decimal("0.5"), "working_hours", "2026-03-10 08:00"),
    # Calendar days and months never end on a day off.
    ("2026-02-10 09:00", 3, "calendar_days", "2026-02-13 17:00"),
    ("2026-02-10 09:00", 5, "calendar_days", "2026-02-23 17:00"),
    ("2026-01-31 09:00", 1, "months", "2026-03-02 17:00"),
    ("2026-03-31 09:00", 1, "months", "2026-05-04 17:00"),
    ("2025-07-31 09:00", 1, "months", "2025-09-03 17:00"),
    ("2026-03-10 09:00", 12, "months", "2027-03-10 17:00"),
]


@pytest.mark.parametrize(("received", "amount", "unit", "due"), DUE_CASES)
def test_due_moment(received, amount, unit, due):
    assert CALENDAR.due_moment(at(received), amount, unit) == at(due)


@pytest.mark.parametrize(
    ("received", "days", "due"),
    [
        # Civil Code only: counting starts the day after the receipt, whatever its hour.
        ("2026-03-08 10:00", 1, "2026-03-09 17:00"),
        ("2026-03-10 16:30", 1, "2026-03-11 17:00"),
        ("2026-03-08 10:00", 0, "2026-03-09 17:00"),
        # From a day off, half a day runs from the next working morning to its close.
        ("2026-03-07 10:00", Decimal("0.5"), "2026-03-09 17:00"),
    ],
)
def test_add_working_days_without_cutoff(received, days, due):
    assert CALENDAR.add_working_days(at(received), days) == at(due)


def test_due_moment_without_cutoff_counts_from_the_receipt_itself():
    received = at("2026-03-10 16:30")
    due = CALENDAR.due_moment(received, 1, "working_hours", apply_cutoff=False)
    assert due == at("2026-03-11 08:00")


@pytest.mark.parametrize(
    ("start", "end", "hours"),
    [
        ("2026-03-10 10:00", "2026-03-11 10:00", Decimal("7.5")),
        ("2026-02-13 16:00", "2026-02-23 08:00", Decimal("1.5")),
        ("2025-12-31 16:00", "2026-01-02 08:30", Decimal("2")),
        ("2026-03-14 10:00", "2026-03-15 10:00", Decimal("0")),
        ("2026-03-10 12:00", "2026-03-10 13:00", Decimal("0")),
        ("2026-03-11 10:00", "2026-03-10 10:00", Decimal("-7.5")),
    ],
)
def test_working_hours_between(start, end, hours):
    assert CALENDAR.working_hours_between(at(start), at(end)) == hours


@pytest.mark.parametrize(
    ("moment", "working"),
    [
        ("2026-03-10 07:30", True),
        ("2026-03-10 07:29", False),
        ("2026-03-10 11:30", False),
        ("2026-03-10 13:30", True),
        ("2026-03-10 16:59", True),
        ("2026-03-10 17:00", False),
        ("2026-03-14 09:00", False),
        ("2026-08-22 09:00", True),
        ("2026-08-31 09:00", False),
        ("2026-02-17 09:00", False),
    ],
)
def test_is_working_moment(moment, working):
    assert CALENDAR.is_working_moment(at(moment)) is working


@pytest.mark.parametrize(
    ("moment", "following"),
    [
        ("2026-03-10 06:00", "2026-03-10 07:30"),
        ("2026-03-10 09:00", "2026-03-10 09:00"),
        ("2026-03-10 12:00", "2026-03-10 13:30"),
        ("2026-03-10 17:30", "2026-03-11 07:30"),
        ("2026-02-13 17:30", "2026-02-23 07:30"),
        ("2026-12-31 17:00", "2027-01-04 07:30"),
    ],
)
def test_next_working_moment(moment, following):
    assert CALENDAR.next_working_moment(at(moment)) == at(following)


@pytest.mark.parametrize(
    ("moment", "effective"),
    [
        ("2026-03-10 15:00", "2026-03-10 15:00"),
        ("2026-03-10 15:00:01", "2026-03-11 07:30"),
        ("2026-03-10 12:15", "2026-03-10 13:30"),
        ("2026-03-13 16:00", "2026-03-16 07:30"),
        ("2026-03-14 09:00", "2026-03-16 07:30"),
    ],
)
def test_effective_receipt_applies_the_cutoff(moment, effective):
    assert CALENDAR.effective_receipt(at(moment)) == at(effective)


def test_without_cutoff_a_late_receipt_counts_from_the_next_working_moment():
    hours = WorkingHours(cutoff=None)
    calendar = WorkCalendar(package_year_days, hours)
    assert calendar.effective_receipt(at("2026-03-10 16:00")) == at("2026-03-10 16:00")
    assert calendar.effective_receipt(at("2026-03-10 17:10")) == at("2026-03-11 07:30")


def test_working_days_of_2026():
    # 261 weekdays, 13 of them holidays (Hùng Kings falls on a Sunday), plus Saturday 22
    # August.
    assert len(CALENDAR.working_dates(2026)) == 261 - 13 + 1


def test_working_days_between_counts_after_start_up_to_end():
    assert CALENDAR.working_days_between(date(2026, 2, 13), date(2026, 2, 23)) == 1
    assert CALENDAR.working_days_between(date(2026, 2, 23), date(2026, 2, 13)) == -1
    assert CALENDAR.working_days_between(date(2025, 12, 31), date(2027, 1, 1)) == 249


def test_nth_working_day_after():
    assert CALENDAR.nth_working_day_after(date(2026, 2, 16), 0) == date(2026, 2, 23)
    assert CALENDAR.nth_working_day_after(date(2026, 2, 13), 0) == date(2026, 2, 13)
    assert CALENDAR.nth_working_day_after(date(2026, 2, 13), 2) == date(2026, 2, 24)


def test_moments_in_other_zones_are_read_in_vietnam_time():
    received = datetime(2026, 2, 13, 3, 0, tzinfo=UTC)  # 10:00 in Hà Nội
    due = CALENDAR.due_moment(received, 1, "working_days")
    assert due == at("2026-02-23 17:00")
    assert due.utcoffset() == timedelta(hours=7)


def test_naive_datetimes_are_refused():
    with pytest.raises(NaiveDatetimeError):
        CALENDAR.add_working_days(datetime(2026, 2, 13, 10, 0), 1)


@pytest.mark.parametrize(
    ("amount", "unit"),
    [
        (-1, "working_days"),
        (Decimal("0.3"), "working_days"),
        (Decimal("1.5"), "calendar_days"),
        (Decimal("0.5"), "months"),
        (-1, "working_hours"),
        (Decimal("0.0001"), "working_hours"),
    ],
)
def test_bad_amounts_are_refused(amount, unit):
    with pytest.raises(ValueError):
        CALENDAR.due_moment(at("2026-03-10 09:00"), amount, unit)


def test_a_calendar_from_explicit_dates():
    calendar = WorkCalendar.from_dates(
        days_off=[date(2026, 3, 10)], extra_working=[date(2026, 3, 14)]
    )
    assert not calendar.is_working_day(date(2026, 3, 10))
    assert calendar.is_working_day(date(2026, 3, 14))
    # Monday 9 March + 2 working days: Wednesday 11, then Thursday 12.
    assert calendar.add_working_days(at("2026-03-09 09:00"), 2) == at("2026-03-12 17:00")


def test_custom_working_hours():
    hours = WorkingHours.parse("08:00-12:00", "13:00-17:00", "")
    calendar = WorkCalendar(package_year_days, hours)
    assert hours.day_seconds == 8 * 3600 and hours.cutoff is None
    assert calendar.add_working_hours(at("2026-03-10 08:00"), 8) == at("2026-03-10 17:00")
    assert calendar.add_working_hours(at("2026-03-10 11:00"), 2) == at("2026-03-10 14:00")


@pytest.mark.parametrize(
    ("morning", "afternoon", "cutoff"),
    [
        ("7:30", "13:30-17:00", ""),
        ("07:30-11:30", "11:00-17:00", ""),
        ("11:30-07:30", "13:30-17:00", ""),
        ("07:30-11:30", "13:30-17:00", "3pm"),
        ("07:30-11:30", "13:30-25:00", ""),
    ],
)
def test_bad_working_hours_are_refused(morning, afternoon, cutoff):
    with pytest.raises(ValueError):
        WorkingHours.parse(morning, afternoon, cutoff)


def test_the_half_day_clock_ends_the_morning_at_its_end():
    hours = WorkingHours()
    assert hours.clock_at(4 * 3600) == time(11, 30)
    assert hours.clock_at(4 * 3600 + 1) == time(13, 30, 1)
    assert hours.worked_seconds(time(12, 0)) == 4 * 3600
    assert hours.worked_seconds(time(18, 0)) == hours.day_seconds
