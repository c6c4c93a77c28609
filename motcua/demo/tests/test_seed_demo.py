from io import StringIO

from django.contrib.auth import get_user_model
from django.core.management import call_command

from motcua.demo.organisations import ACCOUNTS, DEMO_PASSWORD
from motcua.organisations.models import Agency, Department, Membership
from motcua.organisations.roles import Role


def seed() -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def test_seed_demo_creates_one_account_per_role_and_prints_logins(db):
    output = seed()
    assert set(Role.values) <= set(Membership.objects.values_list("role", flat=True))
    for username, *_ in ACCOUNTS:
        assert username in output
    assert DEMO_PASSWORD in output
    assert Agency.objects.filter(kind="provincial_department").count() == 3
    assert Agency.objects.filter(kind="commune_committee").count() == 2
    User = get_user_model()
    assert User.objects.get(username="quantri").is_staff
    assert not User.objects.get(username="tiepnhan").is_staff


def test_seed_demo_is_idempotent(db):
    seed()
    counts = (
        Agency.objects.count(),
        Department.objects.count(),
        Membership.objects.count(),
        get_user_model().objects.count(),
    )
    seed()
    assert counts == (
        Agency.objects.count(),
        Department.objects.count(),
        Membership.objects.count(),
        get_user_model().objects.count(),
    )


def test_demo_agency_admin_can_sign_in_to_the_admin(client, db):
    seed()
    assert client.login(username="quantri", password=DEMO_PASSWORD)
    response = client.get("/admin/")
    assert response.status_code == 200
    models = {m["object_name"] for app in response.context["app_list"] for m in app["models"]}
    assert {"Agency", "Department", "Membership", "ProcedureVersion"} <= models
    assert "AuditEvent" not in models


def test_seed_demo_loads_the_real_catalogue_localised_and_a_rerun_changes_nothing(db):
    from motcua.audit.models import AuditEvent
    from motcua.catalogue.models import Procedure, ProcedureVersion

    seed()
    birth = Procedure.objects.get(code="1.001193")
    assert birth.owner_agency.code == "H42.12"
    codes = set(birth.current_version.implementing_agencies.values_list("code", flat=True))
    assert codes == {"H42.50.01", "H42.50.02"}
    assert birth.current_version.steps.count() == 5
    counts = (
        Procedure.objects.count(),
        ProcedureVersion.objects.count(),
        AuditEvent.objects.count(),
    )
    assert counts[0] >= 200

    output = seed()

    assert "0 created, 0 updated" in output
    assert counts == (
        Procedure.objects.count(),
        ProcedureVersion.objects.count(),
        AuditEvent.objects.count(),
    )


def test_demo_staff_names_read_in_vietnamese_order(db):
    seed()
    assert get_user_model().objects.get(username="tiepnhan").get_full_name() == "Nguyễn Thị Lan"
