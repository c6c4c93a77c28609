"""An agency administrator tried as an attacker would (issue 11 §3): no path through the
admin site reaches an account or a privilege outside their scope (docs/security.md)."""

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.test import RequestFactory
from django.urls import reverse

from conftest import PASSWORD, make_user
from motcua.audit.admin_changes import AuditedDeletions
from motcua.audit.models import AuditEvent
from motcua.organisations.models import Agency, Department, Membership
from motcua.organisations.roles import Role

User = get_user_model()


@pytest.fixture
def as_admin(client, agency_admin):
    assert client.login(username=agency_admin.username, password=PASSWORD)
    return client


def add_membership(client, user, agency, role):
    return client.post(
        reverse("admin:organisations_membership_add"),
        {"user": user.pk, "agency": agency.pk, "role": role, "is_active": "on"},
    )


def set_password(client, user, password="Another-pass-2026"):
    url = reverse("admin:auth_user_password_change", args=[user.pk])
    return client.post(url, {"password1": password, "password2": password})


def test_superuser_cannot_be_attached_to_the_administrators_agency(
    as_admin, system_admin, commune_agency
):
    response = add_membership(as_admin, system_admin, commune_agency, Role.RECEIVING_CLERK)
    assert response.status_code == 200
    assert "user" in response.context["adminform"].form.errors
    assert not Membership.objects.filter(user=system_admin).exists()


def test_superuser_password_stays_out_of_reach_even_with_a_membership_in_scope(
    as_admin, system_admin, commune_agency
):
    # A membership made earlier by a system administrator must not open the account.
    Membership.objects.create(user=system_admin, agency=commune_agency, role=Role.LEADER)
    response = set_password(as_admin, system_admin)
    assert response.status_code in (403, 404)
    system_admin.refresh_from_db()
    assert system_admin.check_password(PASSWORD)
    listed = as_admin.get(reverse("admin:auth_user_changelist")).context["cl"].queryset
    assert system_admin not in listed


def test_system_administrator_by_role_is_out_of_reach(as_admin, commune_agency, province):
    root = make_user("sysadmin", commune_agency, Role.SYSTEM_ADMIN)
    assert set_password(as_admin, root).status_code in (403, 404)
    root.refresh_from_db()
    assert root.check_password(PASSWORD)


def test_user_of_another_agency_cannot_be_attached(as_admin, clerk_of_other_agency, commune_agency):
    response = add_membership(as_admin, clerk_of_other_agency, commune_agency, Role.LEADER)
    assert response.status_code == 200
    assert not Membership.objects.filter(user=clerk_of_other_agency, agency=commune_agency)
    assert set_password(as_admin, clerk_of_other_agency).status_code in (403, 404)
    clerk_of_other_agency.refresh_from_db()
    assert clerk_of_other_agency.check_password(PASSWORD)


def test_user_who_also_belongs_elsewhere_cannot_be_taken_over(
    as_admin, commune_agency, other_commune_agency
):
    shared = make_user("shared", commune_agency, Role.SPECIALIST)
    Membership.objects.create(user=shared, agency=other_commune_agency, role=Role.SPECIALIST)
    assert set_password(as_admin, shared).status_code == 403
    shared.refresh_from_db()
    assert shared.check_password(PASSWORD)


def test_administrator_cannot_grant_themselves_a_role(as_admin, agency_admin, commune_agency):
    response = add_membership(as_admin, agency_admin, commune_agency, Role.LEADER)
    assert response.status_code == 200
    assert not Membership.objects.filter(user=agency_admin, role=Role.LEADER).exists()
    # Nor through their own account's page: it is read-only to them.
    url = reverse("admin:auth_user_change", args=[agency_admin.pk])
    assert as_admin.post(url, {"username": agency_admin.username}).status_code == 403


def test_peer_administrator_cannot_be_appointed_or_taken_over(as_admin, commune_agency, clerk):
    response = add_membership(as_admin, clerk, commune_agency, Role.AGENCY_ADMIN)
    assert response.status_code == 200
    assert not Membership.objects.filter(user=clerk, role=Role.AGENCY_ADMIN).exists()
    peer = make_user("peer", commune_agency, Role.AGENCY_ADMIN)
    assert set_password(as_admin, peer).status_code == 403
    peer.refresh_from_db()
    assert peer.check_password(PASSWORD)


def test_administrator_manages_their_own_staff_and_it_is_audited(
    as_admin, agency_admin, clerk, commune_agency
):
    assert add_membership(as_admin, clerk, commune_agency, Role.LEADER).status_code == 302
    assert set_password(as_admin, clerk).status_code == 302
    clerk.refresh_from_db()
    assert clerk.check_password("Another-pass-2026")
    event = AuditEvent.objects.get(action="user.password_changed")
    assert event.actor == agency_admin and event.target_id == str(clerk.pk)


def test_inline_on_the_staff_page_applies_the_same_rule(as_admin, clerk, commune_agency):
    url = reverse("admin:auth_user_change", args=[clerk.pk])
    own = Membership.objects.get(user=clerk)
    data = {
        "username": clerk.username,
        "is_active": "on",
        "memberships-TOTAL_FORMS": "2",
        "memberships-INITIAL_FORMS": "1",
        "memberships-0-id": own.pk,
        "memberships-0-user": clerk.pk,
        "memberships-0-agency": commune_agency.pk,
        "memberships-0-role": Role.RECEIVING_CLERK,
        "memberships-0-is_active": "on",
        "memberships-1-user": clerk.pk,
        "memberships-1-agency": commune_agency.pk,
        "memberships-1-role": Role.AGENCY_ADMIN,
        "memberships-1-is_active": "on",
    }
    response = as_admin.post(url, data)
    assert response.status_code == 200
    assert not Membership.objects.filter(user=clerk, role=Role.AGENCY_ADMIN).exists()
    data["memberships-1-role"] = Role.SPECIALIST
    assert as_admin.post(url, data).status_code == 302
    assert Membership.objects.filter(user=clerk, role=Role.SPECIALIST).exists()


def agency_form(parent, kind, code):
    return {
        "code": code,
        "name": "Đơn vị mới",
        "kind": kind,
        "parent": parent.pk,
        "unit": parent.unit_id,
        "is_active": "on",
        "aliases-TOTAL_FORMS": 0,
        "aliases-INITIAL_FORMS": 0,
        "departments-TOTAL_FORMS": 0,
        "departments-INITIAL_FORMS": 0,
        "reception_points-TOTAL_FORMS": 0,
        "reception_points-INITIAL_FORMS": 0,
    }


@pytest.mark.parametrize(
    "kind",
    ["provincial_centre", "commune_centre", "provincial_committee", "commune_committee"],
)
def test_administrator_cannot_create_a_centre_or_committee(as_admin, commune_agency, kind):
    url = reverse("admin:organisations_agency_add")
    response = as_admin.post(url, agency_form(commune_agency, kind, "H15.50.05.99"))
    assert response.status_code == 200
    assert "kind" in response.context["adminform"].form.errors
    assert not Agency.objects.filter(code="H15.50.05.99").exists()


def test_administrator_creates_an_ordinary_unit_below_their_agency(as_admin, commune_agency):
    url = reverse("admin:organisations_agency_add")
    response = as_admin.post(url, agency_form(commune_agency, "other_vertical", "H15.50.05.98"))
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert Agency.objects.get(code="H15.50.05.98").parent == commune_agency


def test_administrator_cannot_turn_their_agency_into_a_centre(as_admin, commune_agency):
    url = reverse("admin:organisations_agency_change", args=[commune_agency.pk])
    data = agency_form(commune_agency, "commune_centre", commune_agency.code)
    data["parent"] = commune_agency.parent_id
    as_admin.post(url, data)
    commune_agency.refresh_from_db()
    assert commune_agency.kind == "commune_committee"


def test_bulk_deletion_is_audited(as_admin, agency_admin, commune_agency):
    ids = [
        Department.objects.create(agency=commune_agency, code=f"P{i}", name=f"Phòng {i}").pk
        for i in range(3)
    ]
    response = as_admin.post(
        reverse("admin:organisations_department_changelist"),
        {"action": "delete_selected", "_selected_action": ids, "post": "yes"},
    )
    assert response.status_code == 302
    assert not Department.objects.filter(pk__in=ids).exists()
    events = AuditEvent.objects.filter(action="department.deleted", actor=agency_admin)
    assert sorted(int(e.target_id) for e in events) == sorted(ids)


def test_every_admin_that_can_delete_audits_deletions(system_admin):
    request = RequestFactory().get("/admin/")
    request.user = system_admin
    for model, model_admin in admin.site._registry.items():
        if model_admin.has_delete_permission(request):
            # Either the mixin, or its own deletion through an audited service.
            custom = type(model_admin).delete_queryset is not admin.ModelAdmin.delete_queryset
            assert isinstance(model_admin, AuditedDeletions) or custom, model


def test_own_password_change_is_audited(as_admin, agency_admin):
    response = as_admin.post(
        "/admin/password_change/",
        {
            "old_password": PASSWORD,
            "new_password1": "Another-pass-2026",
            "new_password2": "Another-pass-2026",
        },
    )
    assert response.status_code == 302
    event = AuditEvent.objects.get(action="user.password_changed")
    assert event.actor == agency_admin and event.target_id == str(agency_admin.pk)


def test_bulk_deletion_skips_memberships_the_administrator_may_not_touch(
    as_admin, commune_agency, clerk
):
    peer = make_user("peer", commune_agency, Role.AGENCY_ADMIN)
    ids = list(Membership.objects.filter(user__in=[peer, clerk]).values_list("pk", flat=True))
    response = as_admin.post(
        reverse("admin:organisations_membership_changelist"),
        {"action": "delete_selected", "_selected_action": ids, "post": "yes"},
    )
    # Django's action checks each object's permission: the whole deletion is refused.
    assert response.status_code == 403
    assert Membership.objects.filter(user__in=[peer, clerk]).count() == 2
