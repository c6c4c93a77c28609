import pytest
from django.urls import reverse

from conftest import PASSWORD, make_user
from motcua.audit.models import AuditEvent
from motcua.organisations.models import Agency, Department, Membership
from motcua.organisations.roles import Role


@pytest.fixture
def admin_client_for(client):
    def login(user):
        assert client.login(username=user.username, password=PASSWORD)
        return client

    return login


def test_agency_admin_lists_only_agencies_they_manage(
    admin_client_for, agency_admin, other_commune_agency, commune_agency
):
    response = admin_client_for(agency_admin).get(reverse("admin:organisations_agency_changelist"))
    assert response.status_code == 200
    listed = list(response.context["cl"].queryset)
    assert listed == [commune_agency]


def test_agency_admin_gets_no_access_to_another_agency(
    admin_client_for, agency_admin, other_commune_agency
):
    client = admin_client_for(agency_admin)
    url = reverse("admin:organisations_agency_change", args=[other_commune_agency.pk])
    response = client.get(url)
    # Django admin redirects to the index with a "does not exist" message for objects
    # outside the queryset: the object's existence is not revealed.
    assert response.status_code == 302
    response = client.post(url, {"name": "hijacked"})
    assert response.status_code == 302
    other_commune_agency.refresh_from_db()
    assert other_commune_agency.name != "hijacked"


def test_agency_admin_adds_a_department_and_it_is_audited(
    admin_client_for, agency_admin, commune_agency
):
    client = admin_client_for(agency_admin)
    response = client.post(
        reverse("admin:organisations_department_add"),
        {"agency": commune_agency.pk, "code": "VP", "name": "Văn phòng", "is_active": "on"},
    )
    assert response.status_code == 302, response.content
    department = Department.objects.get(agency=commune_agency, code="VP")
    event = AuditEvent.objects.get(action="department.added")
    assert event.actor == agency_admin and event.target_id == str(department.pk)


def test_agency_admin_cannot_put_a_department_in_another_agency(
    admin_client_for, agency_admin, other_commune_agency
):
    response = admin_client_for(agency_admin).post(
        reverse("admin:organisations_department_add"),
        {"agency": other_commune_agency.pk, "code": "VP", "name": "Văn phòng"},
    )
    assert response.status_code == 200
    assert "agency" in response.context["adminform"].form.errors
    assert not Department.objects.exists()


def test_agency_admin_cannot_create_an_agency_outside_their_tree(
    admin_client_for, agency_admin, commune_agency, provincial_committee, province
):
    response = admin_client_for(agency_admin).post(
        reverse("admin:organisations_agency_add"),
        {
            "code": "H42.99",
            "name": "Cơ quan lạ",
            "kind": "other_vertical",
            "parent": provincial_committee.pk,
            "unit": province.pk,
            "is_active": "on",
            "aliases-TOTAL_FORMS": 0,
            "aliases-INITIAL_FORMS": 0,
            "departments-TOTAL_FORMS": 0,
            "departments-INITIAL_FORMS": 0,
            "reception_points-TOTAL_FORMS": 0,
            "reception_points-INITIAL_FORMS": 0,
        },
    )
    assert response.status_code == 200
    assert "parent" in response.context["adminform"].form.errors
    assert not Agency.objects.filter(code="H42.99").exists()


def test_agency_code_is_validated_in_the_admin(admin_client_for, system_admin, province):
    response = admin_client_for(system_admin).post(
        reverse("admin:organisations_agency_add"),
        {
            "code": "h42-bad",
            "name": "X",
            "kind": "other_vertical",
            "unit": province.pk,
            "aliases-TOTAL_FORMS": 0,
            "aliases-INITIAL_FORMS": 0,
            "departments-TOTAL_FORMS": 0,
            "departments-INITIAL_FORMS": 0,
            "reception_points-TOTAL_FORMS": 0,
            "reception_points-INITIAL_FORMS": 0,
        },
    )
    assert response.status_code == 200
    assert "code" in response.context["adminform"].form.errors


def test_agency_admin_cannot_grant_system_administrator(
    admin_client_for, agency_admin, commune_agency, clerk
):
    response = admin_client_for(agency_admin).post(
        reverse("admin:organisations_membership_add"),
        {"user": clerk.pk, "agency": commune_agency.pk, "role": Role.SYSTEM_ADMIN},
    )
    assert response.status_code == 200
    assert "role" in response.context["adminform"].form.errors
    assert not Membership.objects.filter(role=Role.SYSTEM_ADMIN).exists()


def test_granting_an_admin_role_opens_the_admin_site(
    admin_client_for, provincial_committee, commune_agency, clerk
):
    # Administrators are appointed from above: the province's administrator names the
    # commune's (docs/security.md).
    province_admin = make_user(
        "province_admin", provincial_committee, Role.AGENCY_ADMIN, is_staff=True
    )
    assert not clerk.is_staff
    response = admin_client_for(province_admin).post(
        reverse("admin:organisations_membership_add"),
        {
            "user": clerk.pk,
            "agency": commune_agency.pk,
            "role": Role.AGENCY_ADMIN,
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    clerk.refresh_from_db()
    assert clerk.is_staff


def test_clerk_cannot_use_the_admin(client, clerk):
    client.login(username=clerk.username, password=PASSWORD)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]


def test_staff_list_of_agency_admin_excludes_staff_of_other_agencies(
    admin_client_for, agency_admin, clerk, clerk_of_other_agency
):
    response = admin_client_for(agency_admin).get(reverse("admin:auth_user_changelist"))
    users = set(response.context["cl"].queryset)
    assert clerk in users and agency_admin in users
    assert clerk_of_other_agency not in users
