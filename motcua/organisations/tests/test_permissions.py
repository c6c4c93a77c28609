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


def test_can_at_an_agency_agrees_with_the_agencies_it_covers(
    db, provincial_committee, centre, justice_department, registry_division, commune_agency
):
    """`can(user, capability, agency)` reads the memberships above the agency in one
    statement; it must answer as the set of covered agencies does, for every user, agency
    and capability: across three levels, in a department, inactive memberships and agencies,
    a system administrator held elsewhere."""
    from conftest import make_user
    from motcua.organisations.models import Agency

    ward = Agency.objects.create(
        code="H42.12.1",
        name="Phòng công chứng số 1",
        kind=justice_department.kind,
        unit=justice_department.unit,
        parent=justice_department,
    )
    closed = Agency.objects.create(
        code="H42.99",
        name="Cơ quan đã giải thể",
        kind=justice_department.kind,
        unit=justice_department.unit,
        parent=provincial_committee,
        is_active=False,
    )
    users = [
        make_user("top", provincial_committee, Role.LEADER),
        make_user("dept", justice_department, Role.SPECIALIST, registry_division),
        make_user("ward", ward, Role.RECEIVING_CLERK),
        make_user("gone", closed, Role.SUPERVISOR),
        make_user("admin", commune_agency, Role.SYSTEM_ADMIN),
        make_user("none"),
    ]
    make_user("off", justice_department, Role.LEADER).memberships.update(is_active=False)
    users.append(users[0].__class__.objects.get(username="off"))
    agencies = list(Agency.objects.all())
    for user in users:
        for capability in Capability.values:
            covered = permissions.agency_ids_for(user, capability)
            for agency in agencies:
                expected = covered is None or agency.pk in covered
                assert permissions.can(user, capability, agency) == expected, (
                    user.username,
                    capability,
                    agency.code,
                )
