"""Time left in working time, in Vietnamese and English; planned versus actual per step."""

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.utils import translation

from motcua.dossiers.models import Dossier
from motcua.dossiers.obligations import confirm_payment, require_payment
from motcua.dossiers.processing import complete_step
from motcua.dossiers.timeleft import (
    OnTimeRule,
    TimeLeft,
    Verdict,
    deadline_end,
    describe_time_left,
    dossier_verdict,
    is_overdue,
    judge,
    overdue_at_end_of,
    overdue_before,
    step_timings,
    step_verdict,
    time_left,
)
from motcua.workdays.calendar import WorkCalendar

from .conftest import MONDAY, VN, at, vn

CALENDAR = WorkCalendar()  # Monday-Friday, 07:30-11:30 and 13:30-17:00: 7.5-hour days
CLOSE = vn(2026, 3, 9, 17, 0)  # Monday's close of business


@pytest.mark.parametrize(
    ("now", "due", "vietnamese", "english"),
    [
        (MONDAY, vn(2026, 3, 10, 17, 0), "còn 1 ngày 6 giờ", "1 day 6 hours left"),
        (vn(2026, 3, 9, 16, 0), CLOSE, "còn 1 giờ", "1 hour left"),
        (vn(2026, 3, 9, 16, 15), CLOSE, "còn 45 phút", "45 minutes left"),
        (vn(2026, 3, 9, 14, 50), CLOSE, "còn 2 giờ 10 phút", "2 hours 10 minutes left"),
        (vn(2026, 3, 9, 11, 29), CLOSE, "còn 3 giờ 31 phút", "3 hours 31 minutes left"),
        (vn(2026, 3, 6, 16, 0), CLOSE, "còn 1 ngày 1 giờ", "1 day 1 hour left"),  # weekend
        (vn(2026, 3, 9, 7, 30), CLOSE, "còn 1 ngày", "1 day left"),
        (vn(2026, 3, 11, 17, 0), CLOSE, "quá hạn 2 ngày", "2 days overdue"),
        (vn(2026, 3, 12, 9, 0), CLOSE, "quá hạn 2 ngày 1 giờ", "2 days 1 hour overdue"),
        (vn(2026, 3, 10, 7, 31), CLOSE, "quá hạn 1 phút", "1 minute overdue"),
        (vn(2026, 3, 14, 10, 0), vn(2026, 3, 13, 17, 0), "quá hạn", "overdue"),  # Saturday
        (vn(2026, 3, 9, 10, 0), vn(2026, 3, 9, 10, 0), "đến hạn", "due now"),
    ],
)
def test_describe_time_left(now, due, vietnamese, english):
    with translation.override("vi"):
        assert describe_time_left(due, now, CALENDAR) == vietnamese
    with translation.override("en"):
        assert describe_time_left(due, now, CALENDAR) == english


def test_no_deadline_no_text():
    assert describe_time_left(None, MONDAY, CALENDAR) == ""


def test_time_left_parts():
    assert time_left(CLOSE, MONDAY, CALENDAR) == TimeLeft(False, 0, 6, 0)
    # Due at 09:00, at 17:00 the same day: by the day rule not overdue yet, its hour passed.
    assert time_left(MONDAY, CLOSE, CALENDAR) == TimeLeft(False, 0, 0, 0, hour_passed=True)
    assert time_left(MONDAY, CLOSE, CALENDAR, OnTimeRule.HOUR) == TimeLeft(True, 0, 6, 0)
    # Overdue is counted from the end of the appointment's day (24:00), in working time.
    assert time_left(MONDAY, vn(2026, 3, 10, 9, 0), CALENDAR) == TimeLeft(True, 0, 1, 30)


def test_a_dossier_due_today_is_not_overdue_after_its_hour():
    with translation.override("en"):
        assert describe_time_left(CLOSE, vn(2026, 3, 9, 17, 30), CALENDAR) == (
            "due today, the appointment's hour has passed"
        )
        assert describe_time_left(CLOSE, vn(2026, 3, 9, 17, 30), CALENDAR, "hour") == ("overdue")
        assert describe_time_left(CLOSE, vn(2026, 3, 10, 8, 30), CALENDAR) == ("1 hour overdue")


def test_a_day_is_the_calendars_working_day():
    from datetime import time

    from motcua.workdays.hours import WorkingHours

    eight = WorkCalendar(hours=WorkingHours((time(7, 0), time(11, 0)), (time(13, 0), time(17, 0))))
    with translation.override("en"):
        assert describe_time_left(vn(2026, 3, 10, 17, 0), vn(2026, 3, 9, 9, 0), eight) == (
            "1 day 6 hours left"
        )


# --- Planned versus actual ------------------------------------------------------------------


def test_step_timings(processing, specialist, department_head, centre_clerk):
    with at(vn(2026, 3, 9, 10, 0)):
        require_payment(processing, actor=specialist, description="Phí")
    with at(vn(2026, 3, 9, 14, 0)):
        confirm_payment(processing, actor=centre_clerk)
    with at(vn(2026, 3, 10, 9, 0)):
        complete_step(processing, actor=specialist)  # due Wednesday: early
    with at(vn(2026, 3, 10, 14, 0)):
        complete_step(processing, actor=department_head)  # due Tuesday 15:00: on time

    timings = step_timings(processing, now=vn(2026, 3, 12, 9, 0))

    assert [t.verdict for t in timings] == [
        Verdict.ON_TIME,
        Verdict.EARLY,
        Verdict.ON_TIME,
        Verdict.RUNNING_LATE,
        Verdict.NOT_STARTED,
        Verdict.NOT_STARTED,
    ]
    assert [t.planned_hours for t in timings] == [4, 16, 4, 4, 4, 1]
    # Monday 09:00 - Tuesday 09:00 is 7.5 working hours, 2 of them waiting for the payment.
    assert timings[1].spent_hours == Decimal("5.50")
    assert timings[0].spent_hours == Decimal("0.00")
    assert timings[4].spent_hours is None


def test_a_step_finished_after_its_deadline_is_late(processing, specialist):
    with at(vn(2026, 3, 12, 9, 0)):
        complete_step(processing, actor=specialist)
    timing = step_timings(processing, now=vn(2026, 3, 12, 9, 0))[1]
    assert timing.verdict == Verdict.LATE
    assert timing.spent_hours == Decimal("22.50")


@pytest.mark.parametrize(
    ("finished", "now", "expected"),
    [
        (vn(2026, 3, 13, 17, 0), None, Verdict.EARLY),
        (vn(2026, 3, 16, 9, 0), None, Verdict.ON_TIME),
        (vn(2026, 3, 16, 17, 0), None, Verdict.ON_TIME),
        (vn(2026, 3, 17, 8, 0), None, Verdict.LATE),
        # The appointment's day, whatever the hour (Civil Code 2015 art. 148: a period in
        # days ends at 24:00 of its last day); the next day is late.
        (vn(2026, 3, 16, 17, 30), None, Verdict.ON_TIME),
        (vn(2026, 3, 16, 23, 30), None, Verdict.ON_TIME),
        (vn(2026, 3, 17, 0, 5), None, Verdict.LATE),
        (None, vn(2026, 3, 16, 16, 0), Verdict.IN_PROGRESS),
        (None, vn(2026, 3, 16, 17, 1), Verdict.IN_PROGRESS),
        (None, vn(2026, 3, 16, 23, 59), Verdict.IN_PROGRESS),
        (None, vn(2026, 3, 17, 0, 5), Verdict.RUNNING_LATE),
    ],
)
def test_dossier_verdict_follows_the_national_rule(db, finished, now, expected):
    dossier = Dossier(due_at=vn(2026, 3, 16, 17, 0), finished_at=finished)
    assert dossier_verdict(dossier, now, CALENDAR) == expected


@pytest.mark.parametrize(
    ("finished", "now", "expected"),
    [
        (vn(2026, 3, 13, 17, 0), None, Verdict.EARLY),
        (vn(2026, 3, 16, 17, 0), None, Verdict.ON_TIME),
        (vn(2026, 3, 16, 17, 30), None, Verdict.LATE),
        (None, vn(2026, 3, 16, 17, 1), Verdict.RUNNING_LATE),
    ],
)
def test_the_hour_rule_is_a_setting(db, settings, finished, now, expected):
    settings.MOTCUA_ON_TIME_RULE = "hour"
    dossier = Dossier(due_at=vn(2026, 3, 16, 17, 0), finished_at=finished)
    assert dossier_verdict(dossier, now, CALENDAR) == expected


def test_the_day_is_the_local_day():
    """23:30 in Hà Nội is 16:30 UTC the same day; 00:05 the next day is 17:05 UTC."""
    due = vn(2026, 3, 16, 9, 0)
    utc = ZoneInfo("UTC")
    assert judge(datetime(2026, 3, 16, 16, 30, tzinfo=utc), due, VN) == Verdict.ON_TIME
    assert judge(datetime(2026, 3, 16, 17, 5, tzinfo=utc), due, VN) == Verdict.LATE
    assert judge(datetime(2026, 3, 15, 16, 59, tzinfo=utc), due, VN) == Verdict.EARLY
    assert judge(datetime(2026, 3, 15, 17, 0, tzinfo=utc), due, VN) == Verdict.ON_TIME


def test_overdue_at_a_moment_and_at_the_end_of_a_day():
    due = vn(2026, 3, 16, 17, 0)
    assert not is_overdue(due, vn(2026, 3, 16, 17, 30), VN)
    assert is_overdue(due, vn(2026, 3, 17, 0, 0), VN)
    assert is_overdue(due, vn(2026, 3, 16, 17, 30), VN, OnTimeRule.HOUR)
    assert overdue_before(vn(2026, 3, 17, 10, 0), VN) == vn(2026, 3, 17, 0, 0)
    # At the end of a period: overdue once the appointment's day is over.
    assert not due < overdue_at_end_of(date(2026, 3, 16), VN)
    assert due < overdue_at_end_of(date(2026, 3, 17), VN)
    assert due < overdue_at_end_of(date(2026, 3, 16), VN, OnTimeRule.HOUR)
    assert deadline_end(due, VN) == vn(2026, 3, 17, 0, 0)
    assert deadline_end(due, VN, OnTimeRule.HOUR) == due


def test_steps_keep_the_hour():
    due = vn(2026, 3, 16, 10, 0)
    assert step_verdict(vn(2026, 3, 16, 10, 30), due, CALENDAR) == Verdict.LATE
    assert step_verdict(vn(2026, 3, 16, 9, 30), due, CALENDAR) == Verdict.ON_TIME


def test_no_appointment_no_verdict():
    assert dossier_verdict(Dossier(), MONDAY, CALENDAR) is None
