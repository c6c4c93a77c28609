"""The feedback tests' world: the shared personas (a commune, the provincial centre, the
Department of Justice), a birth registration of Nguyễn Văn An (the fake identity
provider's nguyen-van-an) taken through the services to its returned result, another
person's, and the staff of the centre's feedback desk."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.test import Client

from conftest import PASSWORD, make_user
from motcua.accounts.tests.conftest import idp, sign_in  # noqa: F401
from motcua.dossiers.applicants import Applicant
from motcua.dossiers.intake import HandedIn, Intake, receive_dossier
from motcua.dossiers.processing import hand_over
from motcua.organisations.roles import Role
from motcua.portal.tests.tracking_samples import commune_staff, resolved, returned

VN = ZoneInfo("Asia/Ho_Chi_Minh")
AN = Applicant("citizen", "Nguyễn Văn An", "042090001234", "0912 345 678")
KHAC = Applicant("citizen", "Lê Thị Khác", "042095000321", "0987 000 111")


def vn(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=VN)


def received_dossier(procedure, agency, clerk, applicant=AN):
    checklist = procedure.current_version.components.all()
    intake = Intake(
        procedure=procedure,
        agency=agency,
        applicant=applicant,
        handed_in=[HandedIn(c.pk, originals=1) for c in checklist],
    )
    return receive_dossier(intake, actor=clerk)


@pytest.fixture
def staff(commune_agency):
    specialist, leader = commune_staff(commune_agency)
    return specialist, leader


@pytest.fixture
def finished(birth_registration, commune_agency, clerk, staff):
    """finished(applicant) -> a dossier taken to its returned result."""

    def make(applicant=AN):
        dossier = received_dossier(birth_registration, commune_agency, clerk, applicant)
        hand_over(dossier, actor=clerk)
        dossier = resolved(dossier, clerk, *staff)
        return returned(dossier, clerk)

    return make


@pytest.fixture
def open_dossier(birth_registration, commune_agency, clerk):
    return received_dossier(birth_registration, commune_agency, clerk)


@pytest.fixture
def centre_clerk(centre):
    return make_user("centre_clerk", centre, Role.RECEIVING_CLERK)


@pytest.fixture
def justice_specialist(justice_department):
    return make_user("justice_specialist", justice_department, Role.SPECIALIST)


def logged_in(user) -> Client:
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client
