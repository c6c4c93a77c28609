"""The system actor (organisations.actors): what the worker passes as `actor=`; permissions
answer for it from SYSTEM_CAPABILITIES, without a query, in every agency; what it records has
no actor and says it was the system."""

from datetime import date

import pytest
from django.contrib.auth.models import AnonymousUser

from motcua.audit.models import AuditEvent
from motcua.organisations.actors import SYSTEM, SYSTEM_CAPABILITIES, is_system
from motcua.organisations.permissions import agency_ids_for, can
from motcua.organisations.roles import Capability
from motcua.workdays import services as calendar


def test_the_system_holds_its_capabilities_in_every_agency(
    commune_agency, django_assert_num_queries
):
    with django_assert_num_queries(0):
        assert can(SYSTEM, Capability.VIEW_DOSSIERS, commune_agency)
        assert can(SYSTEM, Capability.VIEW_REPORTS)
        assert agency_ids_for(SYSTEM, Capability.VIEW_REPORTS) is None  # all of them


@pytest.mark.parametrize("capability", sorted(set(Capability.values) - SYSTEM_CAPABILITIES))
def test_and_nothing_else(commune_agency, capability):
    assert not can(SYSTEM, capability, commune_agency)
    assert not can(SYSTEM, capability)
    assert agency_ids_for(SYSTEM, capability) == set()


def test_the_system_is_not_a_person():
    assert is_system(SYSTEM) and not is_system(None) and not is_system(AnonymousUser())
    assert SYSTEM.pk is None and not SYSTEM.is_authenticated and not SYSTEM.is_superuser


def test_the_system_may_change_the_calendar_and_is_recorded_as_nobody(db):
    calendar.set_override(date(2026, 3, 10), kind="day_off", name="Bão", actor=SYSTEM)
    event = AuditEvent.objects.get(action="calendar_override.added")
    assert event.actor is None
