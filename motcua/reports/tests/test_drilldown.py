"""The pure parts of the drill-down: which step made a dossier late, days late, and the
row keys carried in links."""

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from motcua.dossiers.models import DossierStep
from motcua.reports.drilldown import days_late, format_key, late_step, parse_key, row_period
from motcua.reports.scope import Period
from motcua.workdays.calendar import WorkCalendar

VN = ZoneInfo("Asia/Ho_Chi_Minh")
S = DossierStep.State
NOW = datetime(2026, 3, 20, 9, 0, tzinfo=VN)


def step(order, state, due, finished=None, pk=None):
    return DossierStep(pk=pk or order, order=order, state=state, due_at=due, finished_at=finished)


def at(day, hour=9):
    return datetime(2026, 3, day, hour, 0, tzinfo=VN)


@pytest.mark.parametrize(
    "steps, expected",
    [
        ([step(1, S.DONE, at(9), at(9)), step(2, S.DONE, at(10), at(10))], None),
        ([step(1, S.DONE, at(9), at(9)), step(2, S.DONE, at(10), at(12))], 2),
        ([step(2, S.DONE, at(10), at(12)), step(1, S.DONE, at(9), at(11))], 1),  # by order
        ([step(1, S.DONE, at(9), at(9)), step(2, S.ACTIVE, at(19))], 2),  # open past due
        ([step(1, S.DONE, at(9), at(9)), step(2, S.ACTIVE, at(25))], None),  # open in time
        ([step(1, S.PENDING, None), step(2, S.CANCELLED, at(9), at(12))], None),
        ([step(1, S.SENT_BACK, at(9), at(11)), step(2, S.ACTIVE, at(25))], 1),
    ],
)
def test_the_late_step_is_the_first_over_its_time(steps, expected):
    found = late_step(steps, NOW)
    assert (found.order if found else None) == expected


@pytest.mark.parametrize(
    "due, end, expected",
    [
        (at(9, 17), at(9, 17), None),  # at the appointment: not late
        (at(9, 17), at(9, 16), None),
        (at(9, 17), at(10, 17), Decimal("1.0")),  # Monday 17:00 -> Tuesday 17:00
        (at(13, 17), at(16, 17), Decimal("1.0")),  # Friday -> Monday over the weekend
        (at(9, 17), at(10, 11), Decimal("0.5")),  # a morning (4 of 7.5 hours)
        # by the appointment's day (timeleft.judge): later the same day is not late, and
        # days late count from the end of that day, not from the appointment's hour
        (at(9, 10), at(9, 16), None),
        (at(9, 10), at(10, 11), Decimal("0.5")),
        (None, at(10), None),
    ],
)
def test_days_late_are_working_days(due, end, expected):
    assert days_late(WorkCalendar(), due, end) == expected


@pytest.mark.parametrize(
    "group_by, raw, key",
    [
        ("agency", "12", 12),
        ("month", "2026-03-01", date(2026, 3, 1)),
        ("level", "commune", "commune"),
        ("department", "none", None),
    ],
)
def test_row_keys_round_trip(group_by, raw, key):
    assert parse_key(group_by, raw) == key
    assert format_key(key) == raw


@pytest.mark.parametrize(
    "group_by, raw",
    [("agency", "x"), ("month", "2026-03-32"), ("level", "galaxy"), ("", "1")],
)
def test_bad_row_keys_are_refused(group_by, raw):
    with pytest.raises(ValueError):
        parse_key(group_by, raw)


def test_a_month_row_is_that_month_within_the_period():
    period = Period(date(2026, 2, 10), date(2026, 4, 5))
    assert row_period(period, "month", date(2026, 2, 1)) == Period(
        date(2026, 2, 10), date(2026, 2, 28)
    )
    assert row_period(period, "month", date(2026, 4, 1)) == Period(
        date(2026, 4, 1), date(2026, 4, 5)
    )
    with pytest.raises(ValueError):
        row_period(period, "month", date(2026, 5, 1))
