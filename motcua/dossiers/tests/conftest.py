"""A six-step inter-agency procedure and its officers, for the lifecycle tests.

Received at the provincial centre, resolved by the Department of Justice: reception (clerk,
centre) -> appraisal (specialist, registry division) -> review (department head) ->
verification at the commune (inter-agency) -> signature (leader) -> return (clerk, centre).
Time limit: 5 working days. Dossiers are built through the services.
"""

from contextlib import contextmanager
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine

from conftest import make_user, procedure_values
from motcua.catalogue.services import create_procedure
from motcua.dossiers.applicants import Applicant
from motcua.dossiers.intake import HandedIn, Intake, receive_dossier
from motcua.dossiers.models import Dossier
from motcua.dossiers.processing import hand_over
from motcua.organisations.models import Membership
from motcua.organisations.roles import Role

VN = ZoneInfo("Asia/Ho_Chi_Minh")
MONDAY = datetime(2026, 3, 9, 9, 0, tzinfo=VN)  # an ordinary working Monday
CITIZEN = Applicant("citizen", "Trần Thị Bình", "042090005678", "0987654321")


def vn(*args: int) -> datetime:
    return datetime(*args, tzinfo=VN)


@contextmanager
def at(moment: datetime):
    with time_machine.travel(moment, tick=False):
        yield


def reread(dossier: Dossier) -> Dossier:
    return Dossier.objects.get(pk=dossier.pk)


def snapshot(dossier: Dossier) -> tuple:
    """Everything a refused service must leave untouched."""
    fresh = reread(dossier)
    steps = list(
        fresh.steps.values_list("state", "assignee", "started_at", "due_at", "finished_at")
    )
    row = {f.attname: getattr(fresh, f.attname) for f in Dossier._meta.concrete_fields}
    return (
        row,
        steps,
        fresh.events.count(),
        fresh.supplements.count(),
        fresh.consultations.count(),
        fresh.obligations.count(),
    )


@pytest.fixture
def centre_clerk(centre):
    return make_user("centre_clerk", centre, Role.RECEIVING_CLERK)


@pytest.fixture
def commune_specialist(commune_agency):
    return make_user("commune_specialist", commune_agency, Role.SPECIALIST)


@pytest.fixture
def appraising_head(justice_department, registry_division):
    """A head of division who also appraises: a double click on "complete" by them would
    complete the appraisal and their own review (issue 11 §2.1)."""
    user = make_user("appraising_head", justice_department, Role.SPECIALIST, registry_division)
    Membership.objects.create(
        user=user,
        agency=justice_department,
        role=Role.DEPARTMENT_HEAD,
        department=registry_division,
    )
    return user


@pytest.fixture
def second_specialist(justice_department, registry_division):
    return make_user("specialist2", justice_department, Role.SPECIALIST, registry_division)


@pytest.fixture
def criminal_record(
    civil_status_field, centre, justice_department, registry_division, commune_agency
):
    values = procedure_values(
        civil_status_field,
        name="Cấp Phiếu lý lịch tư pháp",
        levels=["province"],
        time_limit_value=Decimal(5),
        time_limit_text="5 ngày làm việc",
    )
    step = {"budget_hours": 4}
    return create_procedure(
        "2.000488",
        actor=None,
        owner_agency=justice_department,
        values=values,
        implementing_agencies=[justice_department],
        components=[{"order": 1, "name": "Tờ khai", "originals": 1, "copies": 0}],
        steps=[
            {
                **step,
                "order": 1,
                "name": "Tiếp nhận",
                "role": Role.RECEIVING_CLERK,
                "agency": centre,
            },
            {
                **step,
                "order": 2,
                "name": "Thẩm định",
                "role": Role.SPECIALIST,
                "department": registry_division,
                "budget_hours": 16,
            },
            {
                **step,
                "order": 3,
                "name": "Xem xét",
                "role": Role.DEPARTMENT_HEAD,
                "department": registry_division,
            },
            {
                **step,
                "order": 4,
                "name": "Xác minh",
                "role": Role.SPECIALIST,
                "agency": commune_agency,
            },
            {**step, "order": 5, "name": "Ký duyệt", "role": Role.LEADER},
            {
                **step,
                "order": 6,
                "name": "Trả kết quả",
                "role": Role.RECEIVING_CLERK,
                "agency": centre,
                "budget_hours": 1,
            },
        ],
    )


@pytest.fixture
def receive(criminal_record, centre, centre_clerk):
    """receive(moment=MONDAY, **intake) -> a received dossier (status 2)."""
    version = criminal_record.current_version

    def make(moment: datetime = MONDAY, **changes) -> Dossier:
        values = {
            "procedure": criminal_record,
            "agency": centre,
            "applicant": CITIZEN,
            "handed_in": [HandedIn(c.pk, originals=1) for c in version.components.all()],
        }
        values.update(changes)
        with at(moment):
            return receive_dossier(Intake(**values), actor=centre_clerk)

    return make


@pytest.fixture
def processing(receive, centre_clerk):
    """A dossier handed over on Monday 09:00: appraisal (step 2) in progress."""
    dossier = receive()
    with at(MONDAY):
        return hand_over(dossier, actor=centre_clerk)
