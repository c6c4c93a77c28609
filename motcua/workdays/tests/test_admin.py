from datetime import date

import pytest
from django.urls import reverse

from conftest import PASSWORD
from motcua.audit.models import AuditEvent
from motcua.workdays import services
from motcua.workdays.loader import get_calendar
from motcua.workdays.models import CalendarOverride

ADD_URL = reverse("admin:workdays_calendaroverride_add")
LIST_URL = reverse("admin:workdays_calendaroverride_changelist")
DAY = date(2026, 3, 10)


@pytest.fixture
def logged_in(client):
    def login(user):
        assert client.login(username=user.username, password=PASSWORD)
        return client

    return login


def test_system_admin_adds_a_day_off_and_the_calendar_follows(logged_in, system_admin):
    assert get_calendar().is_working_day(DAY)
    response = logged_in(system_admin).post(
        ADD_URL, {"date": "2026-03-10", "kind": "day_off", "name": "Bão số 3", "note": ""}
    )
    assert response.status_code == 302, response.content
    override = CalendarOverride.objects.get(date=DAY)
    assert override.updated_by == system_admin
    assert not get_calendar().is_working_day(DAY)
    event = AuditEvent.objects.get(action="calendar_override.added")
    assert event.actor == system_admin and event.target_id == str(override.pk)


def test_system_admin_changes_and_deletes_an_override(logged_in, system_admin):
    override = services.set_override(DAY, kind="day_off", name="Bão", actor=system_admin)
    client = logged_in(system_admin)
    change_url = reverse("admin:workdays_calendaroverride_change", args=[override.pk])
    response = client.post(change_url, {"kind": "working_day", "name": "Làm bù", "note": "x"})
    assert response.status_code == 302, response.content
    assert CalendarOverride.objects.get().kind == "working_day"
    assert AuditEvent.objects.filter(action="calendar_override.changed").exists()
    delete_url = reverse("admin:workdays_calendaroverride_delete", args=[override.pk])
    assert client.post(delete_url, {"post": "yes"}).status_code == 302
    assert not CalendarOverride.objects.exists()
    assert AuditEvent.objects.filter(action="calendar_override.removed").exists()


def test_the_list_shows_what_the_package_says(logged_in, system_admin):
    services.set_override(date(2026, 11, 24), kind="working_day", name="Làm", actor=None)
    response = logged_in(system_admin).get(LIST_URL)
    assert response.status_code == 200
    assert "Ngày Văn hóa Việt Nam" in response.content.decode()


def test_an_out_of_range_date_is_a_form_error(logged_in, system_admin):
    response = logged_in(system_admin).post(
        ADD_URL, {"date": "1980-01-01", "kind": "day_off", "name": "Cũ", "note": ""}
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors
    assert not CalendarOverride.objects.exists()


def test_staff_without_the_calendar_capability_is_refused(logged_in, agency_admin):
    client = logged_in(agency_admin)
    assert client.get(LIST_URL).status_code == 403
    response = client.post(ADD_URL, {"date": "2026-03-10", "kind": "day_off", "name": "X"})
    assert response.status_code == 403
    assert not CalendarOverride.objects.exists()


def test_a_clerk_is_sent_to_the_login_page(logged_in, clerk):
    response = logged_in(clerk).get(LIST_URL)
    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]
