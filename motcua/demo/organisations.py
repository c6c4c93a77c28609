"""The demo province: Hà Tĩnh's People's Committee, its service centre, three departments and
two communes, with one account per role. Agency codes follow the QĐ 20/2020 shape but are
demo values, not the province's registered codes."""

from django.contrib.auth import get_user_model
from django.db import transaction

from motcua.organisations.models import (
    AdministrativeUnit,
    Agency,
    Counter,
    Department,
    Membership,
    ReceptionPoint,
)
from motcua.organisations.roles import Role
from motcua.organisations.services import load_administrative_units, sync_staff_flag

DEMO_PASSWORD = "motcua2026"
PROVINCE_CODE = "42"
COMMUNES = {"H42.50.01": "18073", "H42.50.02": "18562"}  # Phường Thành Sen, Xã Thạch Hà

AGENCIES = [
    # code, name, short name, kind, parent code, unit code
    ("H42", "Ủy ban nhân dân tỉnh Hà Tĩnh", "UBND tỉnh", "provincial_committee", None, "42"),
    (
        "H42.01",
        "Trung tâm Phục vụ hành chính công tỉnh Hà Tĩnh",
        "Trung tâm PVHCC tỉnh",
        "provincial_centre",
        "H42",
        "42",
    ),
    ("H42.12", "Sở Tư pháp tỉnh Hà Tĩnh", "Sở Tư pháp", "provincial_department", "H42", "42"),
    (
        "H42.20",
        "Sở Nông nghiệp và Môi trường tỉnh Hà Tĩnh",
        "Sở NN&MT",
        "provincial_department",
        "H42",
        "42",
    ),
    ("H42.15", "Sở Xây dựng tỉnh Hà Tĩnh", "Sở Xây dựng", "provincial_department", "H42", "42"),
    (
        "H42.50.01",
        "Ủy ban nhân dân phường Thành Sen",
        "UBND phường Thành Sen",
        "commune_committee",
        "H42",
        "18073",
    ),
    (
        "H42.50.02",
        "Ủy ban nhân dân xã Thạch Hà",
        "UBND xã Thạch Hà",
        "commune_committee",
        "H42",
        "18562",
    ),
]

DEPARTMENTS = [
    ("H42.12", "HCTP", "Phòng Hành chính tư pháp"),
    ("H42.12", "VP", "Văn phòng Sở"),
    ("H42.20", "DD", "Phòng Quản lý đất đai"),
    ("H42.20", "MT", "Phòng Môi trường"),
    ("H42.15", "QLXD", "Phòng Quản lý xây dựng"),
    # The specialised departments of a commune-level committee (Decree 150/2025): the
    # office (its civil servants for justice keep the civil status registers), the
    # economic department (for a ward, also infrastructure and urban affairs) and culture
    # and society. Both communes use the same codes: one internal process serves both
    # (demo/catalogue.py, dossiers.intake).
    ("H42.50.01", "VP", "Văn phòng HĐND và UBND"),
    ("H42.50.01", "KT", "Phòng Kinh tế, Hạ tầng và Đô thị"),
    ("H42.50.01", "VHXH", "Phòng Văn hóa - Xã hội"),
    ("H42.50.02", "VP", "Văn phòng HĐND và UBND"),
    ("H42.50.02", "KT", "Phòng Kinh tế"),
    ("H42.50.02", "VHXH", "Phòng Văn hóa - Xã hội"),
]

RECEPTION_POINTS = [
    ("H42.01", "Trung tâm Phục vụ hành chính công tỉnh", "Số 02A Nguyễn Chí Thanh, Hà Tĩnh", 6),
    (
        "H42.50.01",
        "Trung tâm Phục vụ hành chính công phường Thành Sen",
        "Số 1 Trần Phú, phường Thành Sen",
        3,
    ),
    ("H42.50.02", "Trung tâm Phục vụ hành chính công xã Thạch Hà", "Xã Thạch Hà", 2),
]

ACCOUNTS = [
    # username, full name, role, agency code, department code
    ("tiepnhan", "Nguyễn Thị Lan", Role.RECEIVING_CLERK, "H42.01", None),
    ("tiepnhan.thanhsen", "Trần Văn Hùng", Role.RECEIVING_CLERK, "H42.50.01", None),
    ("chuyenvien", "Lê Thị Mai", Role.SPECIALIST, "H42.12", "HCTP"),
    ("truongphong", "Phạm Văn Nam", Role.DEPARTMENT_HEAD, "H42.12", "HCTP"),
    ("lanhdao", "Hoàng Minh Đức", Role.LEADER, "H42.12", None),
    ("giamsat", "Võ Thị Hạnh", Role.SUPERVISOR, "H42", None),
    ("quantri", "Đặng Quốc Bảo", Role.AGENCY_ADMIN, "H42.12", None),
    # Commune officers, so that commune procedures can be processed end to end in the demo:
    # the head of the office assigns, its civil status officer appraises; the economic
    # department's head does both for land and construction.
    ("phancong.thanhsen", "Lê Văn Tâm", Role.DEPARTMENT_HEAD, "H42.50.01", "VP"),
    ("hotich.thanhsen", "Phan Thị Thu", Role.SPECIALIST, "H42.50.01", "VP"),
    ("kinhte.thanhsen", "Đinh Công Minh", Role.DEPARTMENT_HEAD, "H42.50.01", "KT"),
    ("chutich.thanhsen", "Nguyễn Văn Phúc", Role.LEADER, "H42.50.01", None),
    ("admin", "Quản trị hệ thống", Role.SYSTEM_ADMIN, "H42", None),
]


def _agency(code: str) -> Agency:
    return Agency.objects.get(code=code)


def _seed_agencies() -> None:
    for code, name, short, kind, parent, unit in AGENCIES:
        Agency.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "short_name": short,
                "kind": kind,
                "parent": _agency(parent) if parent else None,
                "unit": AdministrativeUnit.objects.get(code=unit),
            },
        )
    for agency_code, code, name in DEPARTMENTS:
        Department.objects.update_or_create(
            agency=_agency(agency_code), code=code, defaults={"name": name}
        )
    for agency_code, name, address, counters in RECEPTION_POINTS:
        point, _ = ReceptionPoint.objects.update_or_create(
            agency=_agency(agency_code), name=name, defaults={"address": address}
        )
        for number in range(1, counters + 1):
            Counter.objects.get_or_create(
                reception_point=point, number=number, defaults={"name": f"Quầy {number}"}
            )


def _seed_accounts() -> list[tuple[str, str, str]]:
    User = get_user_model()
    printed = []
    for username, full_name, role, agency_code, department_code in ACCOUNTS:
        # Django shows first_name + last_name; a Vietnamese name reads family and middle
        # names first, so they go in first_name and the given name in last_name.
        family, _, given = full_name.rpartition(" ")
        user, created = User.objects.get_or_create(
            username=username, defaults={"first_name": family, "last_name": given}
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.is_superuser = role == Role.SYSTEM_ADMIN
            user.save()
        agency = _agency(agency_code)
        department = (
            Department.objects.get(agency=agency, code=department_code) if department_code else None
        )
        Membership.objects.get_or_create(user=user, agency=agency, department=department, role=role)
        sync_staff_flag(user)
        printed.append((username, str(Role(role).label), str(agency)))
    return printed


@transaction.atomic
def seed_organisations() -> list[tuple[str, str, str]]:
    """Idempotent: running it again changes nothing (passwords of existing users are kept)."""
    load_administrative_units()
    _seed_agencies()
    return _seed_accounts()
