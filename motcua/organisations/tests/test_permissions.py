from motcua.organisations import permissions
from motcua.organisations.roles import ROLE_CAPABILITIES, Capability, Role


def test_every_role_has_capabilities_and_system_admin_has_all():
    assert set(ROLE_CAPABILITIES) == set(Role.values)
    assert ROLE_CAPABILITIES[Role.SYSTEM_ADMIN] == frozenset(Capability.values)


def test_membership_covers_the_agency_and_every_agency_below_it(
    db, supervisor, centre, provincial_committee, justice_department, commune_agency
):
    from conftest import make_user

    provincial_supervisor = make_user("prov", provincial_committee, Role.SUPERVISOR)
    ids = permissions.agency_ids_for(provincial_supervisor, Capability.SUPERVISE)
    assert ids == {provincial_committee.pk, centre.pk, justice_department.pk, commune_agency.pk}
    assert permissions.agency_ids_for(supervisor, Capability.SUPERVISE) == {centre.pk}


def test_clerk_holds_only_clerk_capabilities_in_own_agency(
    clerk, commune_agency, other_commune_agency
):
    assert permissions.can(clerk, Capability.RECEIVE_DOSSIER, commune_agency)
    assert not permissions.can(clerk, Capability.RECEIVE_DOSSIER, other_commune_agency)
    assert not permissions.can(clerk, Capability.APPROVE_DOSSIER, commune_agency)
    assert not permissions.can_use_admin(clerk)


def test_inactive_membership_grants_nothing(clerk, commune_agency):
    clerk.memberships.update(is_active=False)
    assert not permissions.can(clerk, Capability.RECEIVE_DOSSIER, commune_agency)


def test_get_agency_for_answers_404_outside_scope(clerk, commune_agency, other_commune_agency):
    import pytest
    from django.http import Http404

    assert (
        permissions.get_agency_for(clerk, commune_agency.pk, capability=Capability.RECEIVE_DOSSIER)
        == commune_agency
    )
    with pytest.raises(Http404):
        permissions.get_agency_for(
            clerk, other_commune_agency.pk, capability=Capability.RECEIVE_DOSSIER
        )


def test_system_admin_sees_every_agency(system_admin, commune_agency):
    assert permissions.agency_ids_for(system_admin, Capability.MANAGE_AGENCY) is None
    assert permissions.can(system_admin, Capability.MANAGE_CATALOGUE, commune_agency)


def test_units_load_is_idempotent(db):
    from motcua.organisations.models import AdministrativeUnit
    from motcua.organisations.services import load_administrative_units

    first = load_administrative_units()
    assert (first.created, first.updated) == (34 + 3321, 0)
    assert AdministrativeUnit.objects.filter(kind="province").count() == 34
    assert AdministrativeUnit.objects.filter(kind="commune").count() == 3321
    second = load_administrative_units()
    assert (second.created, second.updated, second.unchanged) == (0, 0, 3355)
