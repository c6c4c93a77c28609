"""Properties of the working-time arithmetic over 2024-2027 (four Tết holidays, three year
ends, swapped Saturdays), checked against a day-by-day oracle where one exists."""

from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

from hypothesis import example, given, settings
from hypothesis import strategies as st

from motcua.workdays.calendar import VIETNAM, WorkCalendar
from motcua.workdays.public_holidays import package_year_days

CALENDAR = WorkCalendar(package_year_days)
HOURS = CALENDAR.hours

moments = st.datetimes(
    min_value=datetime(2024, 1, 1), max_value=datetime(2027, 12, 31), timezones=st.just(VIETNAM)
)
utc_moments = moments.map(lambda moment: moment.astimezone(UTC))
durations = st.integers(min_value=0, max_value=400 * 3600).map(lambda s: timedelta(seconds=s))
whole_days = st.integers(min_value=0, max_value=300)
half_days = st.integers(min_value=0, max_value=600).map(lambda n: Decimal(n) / 2)
units = st.sampled_from(["working_days", "calendar_days", "working_hours", "months"])

property_settings = settings(max_examples=300, deadline=None)


def ends_inside_working_time(moment: datetime) -> bool:
    """On a working day, within a half-day, both ends included."""
    local = moment.astimezone(VIETNAM)
    clock = local.time()
    inside = (HOURS.morning[0] <= clock <= HOURS.morning[1]) or (
        HOURS.afternoon[0] <= clock <= HOURS.afternoon[1]
    )
    return CALENDAR.is_working_day(local.date()) and inside


def oracle_nth_working_day_after(day: date, n: int) -> date:
    """Day by day, as a clerk with a paper calendar would count."""
    if n == 0:
        while not CALENDAR.is_working_day(day):
            day += timedelta(days=1)
        return day
    while n:
        day += timedelta(days=1)
        n -= CALENDAR.is_working_day(day)
    return day


@property_settings
@given(moments, durations)
@example(datetime(2026, 2, 13, 16, 0, tzinfo=VIETNAM), timedelta(hours=2))
@example(datetime(2025, 12, 31, 16, 59, tzinfo=VIETNAM), timedelta(minutes=2))
def test_measuring_what_was_added_gives_it_back(start, duration):
    assert CALENDAR.working_time_between(start, CALENDAR.add_working_time(start, duration)) == (
        timedelta(seconds=int(duration.total_seconds()))
    )


@property_settings
@given(moments, durations, durations)
def test_adding_twice_is_adding_the_sum(start, first, second):
    twice = CALENDAR.add_working_time(CALENDAR.add_working_time(start, first), second)
    assert twice == CALENDAR.add_working_time(start, first + second)


@property_settings
@given(moments, durations, durations)
def test_adding_hours_is_monotonic_in_the_duration(start, a, b):
    shorter, longer = sorted((a, b))
    assert CALENDAR.add_working_time(start, shorter) <= CALENDAR.add_working_time(start, longer)


@property_settings
@given(moments, moments, durations)
def test_adding_hours_is_monotonic_in_the_start(a, b, duration):
    early, late = sorted((a, b))
    assert CALENDAR.add_working_time(early, duration) <= CALENDAR.add_working_time(late, duration)


@property_settings
@given(utc_moments, durations)
def test_added_hours_end_inside_working_time(start, duration):
    result = CALENDAR.add_working_time(start, duration)
    assert ends_inside_working_time(result)
    assert result >= start
    assert result.utcoffset() == timedelta(hours=7)


@property_settings
@given(moments, whole_days)
@example(datetime(2026, 2, 13, 10, 0, tzinfo=VIETNAM), 1)
@example(datetime(2025, 12, 31, 10, 0, tzinfo=VIETNAM), 3)
def test_working_days_agree_with_counting_day_by_day(start, n):
    due = CALENDAR.add_working_days(start, n)
    assert due.date() == oracle_nth_working_day_after(start.date(), n)
    assert due.time() == HOURS.afternoon[1]
    if n:
        assert CALENDAR.working_days_between(start.date(), due.date()) == n


@property_settings
@given(moments, half_days, half_days)
def test_working_days_are_monotonic_in_n(start, a, b):
    fewer, more = sorted((a, b))
    assert CALENDAR.add_working_days(start, fewer) <= CALENDAR.add_working_days(start, more)


@property_settings
@given(moments, moments, half_days)
def test_working_days_are_monotonic_in_the_start(a, b, n):
    early, late = sorted((a, b))
    assert CALENDAR.add_working_days(early, n) <= CALENDAR.add_working_days(late, n)


@property_settings
@given(moments, half_days)
def test_half_days_end_at_the_end_of_a_working_half_day(start, n):
    due = CALENDAR.add_working_days(start, n)
    assert CALENDAR.is_working_day(due.date())
    assert due.timetz().replace(tzinfo=None) in (HOURS.morning[1], HOURS.afternoon[1])
    assert due > start or due == CALENDAR.close_of(start.date())


@property_settings
@given(moments, st.integers(min_value=0, max_value=400))
def test_calendar_days_never_end_on_a_day_off(start, n):
    due = CALENDAR.add_calendar_days(start, n)
    target = start.date() + timedelta(days=n)
    assert CALENDAR.is_working_day(due.date())
    assert due.date() == oracle_nth_working_day_after(target, 0)


@property_settings
@given(moments, st.integers(min_value=0, max_value=36))
def test_months_never_end_on_a_day_off_nor_before_the_month_end(start, n):
    due = CALENDAR.add_months(start, n)
    assert CALENDAR.is_working_day(due.date())
    months_later = (due.year - start.year) * 12 + due.month - start.month
    assert months_later >= n
    assert due.date() - start.date() <= timedelta(days=31 * n + 10)


@property_settings
@given(moments)
def test_the_next_working_moment_is_the_first_working_moment(moment):
    following = CALENDAR.next_working_moment(moment)
    assert following >= moment
    assert CALENDAR.is_working_moment(following)
    assert CALENDAR.working_time_between(moment, following) == timedelta(0)


@property_settings
@given(moments)
def test_the_effective_receipt_is_a_working_moment_before_the_cutoff(moment):
    effective = CALENDAR.effective_receipt(moment)
    assert effective >= moment
    assert CALENDAR.is_working_moment(effective)
    assert effective.time() <= HOURS.cutoff or effective.time() == HOURS.morning[0]
    assert CALENDAR.effective_receipt(effective) == effective


@property_settings
@given(moments, st.decimals(min_value=0, max_value=50, places=1), units)
def test_due_moments_never_precede_the_receipt(received, amount, unit):
    if unit in ("calendar_days", "months"):
        amount = amount.to_integral_value()
    elif unit == "working_days":
        amount = (amount * 2).to_integral_value() / 2
    due = CALENDAR.due_moment(received, amount, unit)
    assert due >= CALENDAR.effective_receipt(received)
    assert ends_inside_working_time(due)


@property_settings
@given(st.dates(min_value=date(2024, 1, 1), max_value=date(2027, 12, 31)))
def test_a_fresh_calendar_agrees_with_a_warm_one(day):
    # Spans are built lazily from whichever year is asked first.
    fresh = WorkCalendar(package_year_days)
    start = datetime.combine(day, time(9), tzinfo=VIETNAM)
    assert fresh.add_working_days(start, 30) == CALENDAR.add_working_days(start, 30)
    assert fresh.add_working_hours(start, 100) == CALENDAR.add_working_hours(start, 100)
