from io import StringIO

import time_machine
from django.contrib.auth import get_user_model
from django.core.management import call_command

from motcua.catalogue.models import Procedure
from motcua.demo.organisations import ACCOUNTS, DEMO_PASSWORD
from motcua.dossiers.intake import HandedIn, Intake, receive_dossier
from motcua.dossiers.processing import approve, assign_step, complete_step, hand_over
from motcua.dossiers.results import mark_result_ready, return_result
from motcua.dossiers.status import Status
from motcua.dossiers.tests.test_intake import CITIZEN, MONDAY_9AM
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


def test_a_commune_dossier_goes_the_whole_way_with_the_demo_staff(db):
    seed()
    staff = {user.username: user for user in get_user_model().objects.all()}
    clerk, head = staff["tiepnhan.thanhsen"], staff["phancong.thanhsen"]
    birth = Procedure.objects.get(code="1.001193")
    checklist = birth.current_version.documents()
    intake = Intake(
        birth,
        Agency.objects.get(code="H42.50.01"),
        CITIZEN,
        handed_in=[HandedIn(c.pk, originals=1) for c in checklist],
    )
    with time_machine.travel(MONDAY_9AM, tick=False):
        dossier = receive_dossier(intake, actor=clerk)
        hand_over(dossier, actor=clerk)
        complete_step(dossier, actor=head)  # the head's own step: deciding who appraises
        assign_step(dossier, actor=head, assignee=staff["hotich.thanhsen"])
        complete_step(dossier, actor=staff["hotich.thanhsen"])
        approve(dossier, actor=staff["chutich.thanhsen"])
        mark_result_ready(dossier, actor=clerk)
        return_result(dossier, actor=clerk, method="in_person", collected_by_name="Nguyễn Văn An")

    dossier.refresh_from_db()
    assert dossier.status == Status.RETURNED
    office = Department.objects.get(agency__code="H42.50.01", code="VP")
    assert dossier.department == office
    assert list(dossier.steps.values_list("department", flat=True)) == [
        None, office.pk, office.pk, None, None
    ]  # fmt: skip


def test_commune_procedures_name_the_department_that_does_the_work(db):
    seed()
    economy = Department.objects.get(agency__code="H42.50.01", code="KT")
    construction = Procedure.objects.get(code="1.013234").current_version
    assert set(construction.steps.values_list("department", flat=True)) == {None, economy.pk}
    residence = Procedure.objects.filter(field__name="Đăng ký, quản lý cư trú").first()
    assert not residence.current_version.steps.exclude(department=None).exists()
    names = set(Department.objects.filter(agency__code="H42.50.02").values_list("name", flat=True))
    assert names == {"Văn phòng HĐND và UBND", "Phòng Kinh tế", "Phòng Văn hóa - Xã hội"}
