"""Dossiers for the form tests, built through the intake services with frozen time."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from conftest import make_user
from motcua.dossiers.applicants import Applicant
from motcua.dossiers.intake import HandedIn, Intake, receive_dossier
from motcua.organisations.roles import Role

VN = ZoneInfo("Asia/Ho_Chi_Minh")
MONDAY_0830 = datetime(2026, 3, 9, 8, 30, tzinfo=VN)
LAN = Applicant(
    "citizen",
    "Nguyễn Thị Lan",
    "042090001234",
    "0912 345 678",
    "lan.nguyen@example.org",
    "Số 12 đường Hà Huy Tập, phường Thành Sen, tỉnh Hà Tĩnh",
)


@pytest.fixture
def officer(commune_agency):
    """A receiving clerk with a Vietnamese name (family and middle names in first_name)."""
    return make_user(
        "binh", commune_agency, Role.RECEIVING_CLERK, first_name="Trần Thị", last_name="Bình"
    )


@pytest.fixture
def make_intake(birth_registration, commune_agency):
    def make(**changes) -> Intake:
        checklist = list(birth_registration.current_version.components.all())
        values = {
            "procedure": birth_registration,
            "agency": commune_agency,
            "applicant": LAN,
            "handed_in": [HandedIn(c.pk, originals=1) for c in checklist],
        }
        values.update(changes)
        return Intake(**values)

    return make


@pytest.fixture
def received(make_intake, officer):
    with time_machine.travel(MONDAY_0830, tick=False):
        return receive_dossier(make_intake(), actor=officer)
