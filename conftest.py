"""Shared test personas: a small province with a service centre, a department and two
communes, and one user per role. State is built through services where they exist."""

from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.http import HttpRequest
from django.test import Client
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from motcua.catalogue.models import Field, Level, OnlineLevel, TimeUnit
from motcua.catalogue.services import create_procedure
from motcua.organisations.models import AdministrativeUnit, Agency, Department, Membership
from motcua.organisations.roles import Role

PASSWORD = "motcua-test-pass"

# Property tests check behaviour, not speed: on a busy 2-core machine (CI runs SQLite and
# PostgreSQL suites, Chromium beside them) a draw may take a second, which is no failure.
hypothesis_settings.register_profile(
    "motcua", deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
hypothesis_settings.load_profile("motcua")


@pytest.fixture(autouse=True)
def _english_free_tests(settings):
    settings.LANGUAGE_CODE = "vi"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _login_with_a_request(monkeypatch):
    """django-axes needs the request of every authentication; Client.login passes none, so
    it gets an empty one here (axes stays enabled in tests)."""
    login = Client.login

    def login_with_request(self, **credentials):
        credentials.setdefault("request", HttpRequest())
        return login(self, **credentials)

    monkeypatch.setattr(Client, "login", login_with_request)


@pytest.fixture
def province(db):
    return AdministrativeUnit.objects.create(code="42", name="Tỉnh Hà Tĩnh", kind="province")


@pytest.fixture
def commune_unit(province):
    return AdministrativeUnit.objects.create(
        code="18073", name="Phường Thành Sen", kind="commune", parent=province
    )


@pytest.fixture
def other_commune_unit(province):
    return AdministrativeUnit.objects.create(
        code="18562", name="Xã Thạch Hà", kind="commune", parent=province
    )


@pytest.fixture
def provincial_committee(province):
    return Agency.objects.create(
        code="H42", name="Ủy ban nhân dân tỉnh Hà Tĩnh", kind="provincial_committee", unit=province
    )


@pytest.fixture
def centre(provincial_committee, province):
    return Agency.objects.create(
        code="H42.01",
        name="Trung tâm Phục vụ hành chính công tỉnh",
        kind="provincial_centre",
        unit=province,
        parent=provincial_committee,
    )


@pytest.fixture
def justice_department(provincial_committee, province):
    return Agency.objects.create(
        code="H42.12",
        name="Sở Tư pháp",
        kind="provincial_department",
        unit=province,
        parent=provincial_committee,
    )


@pytest.fixture
def registry_division(justice_department):
    return Department.objects.create(
        agency=justice_department, code="HT", name="Phòng Hành chính tư pháp"
    )


@pytest.fixture
def commune_agency(commune_unit, provincial_committee):
    return Agency.objects.create(
        code="H42.50.01",
        name="UBND phường Thành Sen",
        kind="commune_committee",
        unit=commune_unit,
        parent=provincial_committee,
    )


@pytest.fixture
def other_commune_agency(other_commune_unit, provincial_committee):
    return Agency.objects.create(
        code="H42.50.02",
        name="UBND xã Thạch Hà",
        kind="commune_committee",
        unit=other_commune_unit,
        parent=provincial_committee,
    )


def make_user(username: str, agency=None, role=None, department=None, **extra):
    user = get_user_model().objects.create_user(username=username, password=PASSWORD, **extra)
    if agency is not None:
        Membership.objects.create(user=user, agency=agency, role=role, department=department)
    return user


@pytest.fixture
def clerk(commune_agency):
    return make_user("clerk", commune_agency, Role.RECEIVING_CLERK)


@pytest.fixture
def clerk_of_other_agency(other_commune_agency):
    return make_user("other_clerk", other_commune_agency, Role.RECEIVING_CLERK)


@pytest.fixture
def specialist(justice_department, registry_division):
    return make_user("specialist", justice_department, Role.SPECIALIST, registry_division)


@pytest.fixture
def department_head(justice_department, registry_division):
    return make_user("head", justice_department, Role.DEPARTMENT_HEAD, registry_division)


@pytest.fixture
def leader(justice_department):
    return make_user("leader", justice_department, Role.LEADER)


@pytest.fixture
def supervisor(centre):
    return make_user("supervisor", centre, Role.SUPERVISOR)


@pytest.fixture
def agency_admin(commune_agency):
    return make_user("commune_admin", commune_agency, Role.AGENCY_ADMIN, is_staff=True)


@pytest.fixture
def other_agency_admin(other_commune_agency):
    return make_user("other_admin", other_commune_agency, Role.AGENCY_ADMIN, is_staff=True)


@pytest.fixture
def system_admin(db):
    return get_user_model().objects.create_superuser("root", "root@example.org", PASSWORD)


@pytest.fixture
def civil_status_field(db):
    return Field.objects.create(code="ho-tich", name="Hộ tịch")


def procedure_values(field, **overrides):
    values = {
        "name": "Đăng ký khai sinh",
        "field": field,
        "levels": [Level.COMMUNE],
        "channels": ["in_person", "online", "postal"],
        "online_level": OnlineLevel.END_TO_END,
        "time_limit_value": Decimal(1),
        "time_limit_unit": TimeUnit.WORKING_DAYS,
        "time_limit_text": "1 Ngày làm việc",
        "implementing_agency_text": "Ủy ban nhân dân cấp xã",
    }
    values.update(overrides)
    return values


@pytest.fixture
def birth_registration(civil_status_field, commune_agency):
    return create_procedure(
        "1.001193",
        actor=None,
        owner_agency=commune_agency,
        values=procedure_values(civil_status_field),
        components=[
            {"order": 1, "name": "Tờ khai đăng ký khai sinh", "originals": 1, "copies": 0},
            {"order": 2, "name": "Giấy chứng sinh", "originals": 1, "copies": 0},
        ],
        fees=[{"name": "Lệ phí đăng ký khai sinh", "amount": Decimal(0)}],
        steps=[
            {"order": 1, "name": "Tiếp nhận", "role": Role.RECEIVING_CLERK, "budget_hours": 1},
            {"order": 2, "name": "Thẩm định", "role": Role.SPECIALIST, "budget_hours": 4},
            {"order": 3, "name": "Ký duyệt", "role": Role.LEADER, "budget_hours": 3},
        ],
    )


def everything_handed_in(procedure):
    """Every document of the procedure's checklist handed in: a complete dossier."""
    from motcua.dossiers.intake import HandedIn

    return [HandedIn(c.pk, originals=1) for c in procedure.current_version.documents()]


def complete_intake(procedure, agency, applicant):
    """A counter intake of `procedure` at `agency` with its whole checklist handed in."""
    from motcua.dossiers.intake import Intake

    return Intake(procedure, agency, applicant, handed_in=everything_handed_in(procedure))
