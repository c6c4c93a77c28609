from datetime import date

import pytest

from motcua.audit.models import AuditEvent
from motcua.workdays import services
from motcua.workdays.errors import WorkdaysError
from motcua.workdays.models import CalendarOverride

DAY_OFF = CalendarOverride.Kind.DAY_OFF
WORKING_DAY = CalendarOverride.Kind.WORKING_DAY
DAY = date(2026, 3, 10)


def test_system_admin_adds_an_override_and_it_is_audited(system_admin):
    override = services.set_override(DAY, kind=DAY_OFF, name="Bão số 3", actor=system_admin)
    assert override.updated_by == system_admin
    event = AuditEvent.objects.get(action="calendar_override.added")
    assert event.actor == system_admin and event.target_id == str(override.pk)
    assert event.data["kind"] == DAY_OFF and event.data["date"] == "2026-03-10"


def test_setting_an_override_again_changes_it_and_keeps_the_previous_values(system_admin):
    services.set_override(DAY, kind=DAY_OFF, name="Bão", actor=system_admin)
    services.set_override(DAY, kind=WORKING_DAY, name="Làm bù", actor=system_admin)
    assert CalendarOverride.objects.get().kind == WORKING_DAY
    event = AuditEvent.objects.get(action="calendar_override.changed")
    assert event.data["previous"]["kind"] == DAY_OFF and event.data["kind"] == WORKING_DAY


def test_removing_an_override_is_audited(system_admin):
    services.set_override(DAY, kind=DAY_OFF, name="Bão", actor=system_admin)
    services.remove_override(DAY, actor=system_admin)
    assert not CalendarOverride.objects.exists()
    event = AuditEvent.objects.get(action="calendar_override.removed")
    assert event.data["name"] == "Bão"


def test_a_clerk_may_not_change_the_calendar(clerk):
    with pytest.raises(WorkdaysError) as caught:
        services.set_override(DAY, kind=DAY_OFF, name="Nghỉ", actor=clerk)
    assert caught.value.code == "permission_denied"
    assert not CalendarOverride.objects.exists() and not AuditEvent.objects.exists()


def test_an_agency_admin_may_not_change_the_calendar(agency_admin):
    services.set_override(DAY, kind=DAY_OFF, name="Nghỉ", actor=None)
    with pytest.raises(WorkdaysError):
        services.remove_override(DAY, actor=agency_admin)
    assert CalendarOverride.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("day", "kind", "name", "code"),
    [
        (date(1989, 12, 31), DAY_OFF, "Nghỉ", "date_out_of_range"),
        (DAY, "holiday", "Nghỉ", "invalid_kind"),
        (DAY, DAY_OFF, "  ", "name_required"),
    ],
)
def test_bad_overrides_are_refused(day, kind, name, code):
    with pytest.raises(WorkdaysError) as caught:
        services.set_override(day, kind=kind, name=name, actor=None)
    assert caught.value.code == code


@pytest.mark.django_db
def test_removing_a_missing_override_is_refused():
    with pytest.raises(WorkdaysError) as caught:
        services.remove_override(DAY, actor=None)
    assert caught.value.code == "override_not_found"
