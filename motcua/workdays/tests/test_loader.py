"""The calendar in force: package + override table + settings, and its cache stamp."""

from datetime import date

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone

from motcua.workdays import services
from motcua.workdays.loader import describe_year, get_calendar
from motcua.workdays.models import CalendarOverride

DAY_OFF = CalendarOverride.Kind.DAY_OFF
WORKING_DAY = CalendarOverride.Kind.WORKING_DAY
pytestmark = pytest.mark.django_db


def test_the_package_holidays_are_in_force():
    calendar = get_calendar()
    assert not calendar.is_working_day(date(2026, 2, 17))
    assert calendar.is_working_day(date(2026, 8, 22))


@pytest.mark.parametrize(
    ("day", "kind", "working"),
    [
        (date(2026, 3, 10), DAY_OFF, False),  # an extra day off
        (date(2026, 3, 14), WORKING_DAY, True),  # a Saturday worked
        (date(2026, 11, 24), WORKING_DAY, True),  # a package holiday cancelled
        (date(2026, 8, 22), DAY_OFF, False),  # a package swap cancelled
    ],
)
def test_an_override_changes_the_calendar_and_removing_it_restores_it(day, kind, working):
    before = get_calendar().is_working_day(day)
    services.set_override(day, kind=kind, name="Quyết định của UBND tỉnh", actor=None)
    assert get_calendar().is_working_day(day) is working
    services.remove_override(day, actor=None)
    assert get_calendar().is_working_day(day) is before


def test_a_change_made_elsewhere_is_seen_on_the_next_call():
    # Another process writing straight to the table: only the database stamp tells.
    assert get_calendar().is_working_day(date(2026, 3, 10))
    CalendarOverride.objects.create(date=date(2026, 3, 10), kind=DAY_OFF, name="Bão")
    assert not get_calendar().is_working_day(date(2026, 3, 10))
    CalendarOverride.objects.filter(date=date(2026, 3, 10)).update(
        kind=WORKING_DAY, updated_at=timezone.now()
    )
    assert get_calendar().is_working_day(date(2026, 3, 10))
    CalendarOverride.objects.all().delete()
    assert get_calendar().is_working_day(date(2026, 3, 10))


def test_the_calendar_is_kept_between_calls(django_assert_num_queries):
    first = get_calendar()
    with django_assert_num_queries(1):
        assert get_calendar() is first


def test_working_hours_come_from_the_settings(settings):
    settings.MOTCUA_MORNING = "08:00-12:00"
    settings.MOTCUA_AFTERNOON = "13:00-17:00"
    settings.MOTCUA_CUTOFF = ""
    hours = get_calendar().hours
    assert hours.day_seconds == 8 * 3600
    assert hours.cutoff is None


def test_bad_working_hours_settings_are_refused(settings):
    settings.MOTCUA_MORNING = "morning"
    with pytest.raises(ImproperlyConfigured):
        get_calendar()


def test_a_year_lists_named_days_off_and_worked_weekend_days():
    services.set_override(date(2026, 3, 10), kind=DAY_OFF, name="Bão số 3", actor=None)
    services.set_override(date(2026, 11, 24), kind=WORKING_DAY, name="Làm việc", actor=None)
    listing = describe_year(2026)
    days_off = {day.date: (day.name, day.source) for day in listing.days_off}
    working = {day.date: (day.name, day.source) for day in listing.working_days}
    assert days_off[date(2026, 2, 17)] == ("Tết Nguyên Đán", "holiday")
    assert days_off[date(2026, 3, 10)] == ("Bão số 3", "override")
    assert date(2026, 11, 24) not in days_off
    assert working[date(2026, 11, 24)] == ("Làm việc", "override")
    assert working[date(2026, 8, 22)][1] == "holiday"
    assert [day.date for day in listing.days_off] == sorted(days_off)
    assert listing.working_day_count == 249 - 1 + 1
