"""Dossiers at each stage of their life, built through the intake and processing services,
for the tracking tests of the page (/tra-cuu/) and the API (/api/v1/tracking)."""

from datetime import datetime
from zoneinfo import ZoneInfo

from conftest import make_user
from motcua.catalogue.models import Procedure
from motcua.dossiers.applicants import Applicant
from motcua.dossiers.delays import apologise
from motcua.dossiers.intake import HandedIn, Intake, receive_dossier
from motcua.dossiers.models import Dossier
from motcua.dossiers.processing import complete_step, hand_over
from motcua.dossiers.results import mark_result_ready, return_result
from motcua.organisations.models import Agency
from motcua.organisations.roles import Role

VN = ZoneInfo("Asia/Ho_Chi_Minh")
MONDAY_9AM = datetime(2026, 3, 9, 9, 0, tzinfo=VN)
APPLICANT = Applicant("citizen", "Nguyễn Văn An", "042090001234", "0912 345 678")
PHONE_DIGITS, ID_DIGITS, WRONG_DIGITS = "5678", "1234", "0000"
MASKED_NAME = "Nguyễn V** A*"


def receive(procedure: Procedure, agency: Agency, clerk) -> Dossier:
    checklist = procedure.current_version.components.all()
    intake = Intake(
        procedure=procedure,
        agency=agency,
        applicant=APPLICANT,
        handed_in=[HandedIn(c.pk, originals=1) for c in checklist],
    )
    return receive_dossier(intake, actor=clerk)


def commune_staff(agency: Agency) -> tuple:
    """A specialist and a leader of the commune, for the appraisal and signing steps."""
    return (
        make_user("commune_specialist", agency, Role.SPECIALIST),
        make_user("commune_leader", agency, Role.LEADER),
    )


def handed_over(dossier: Dossier, clerk) -> Dossier:
    return hand_over(dossier, actor=clerk)


def rescheduled(dossier: Dossier, clerk, new_due_at: datetime) -> Dossier:
    apologise(dossier, actor=clerk, reason="Chờ xác minh của công an xã", new_due_at=new_due_at)
    return Dossier.objects.get(pk=dossier.pk)


def resolved(dossier: Dossier, clerk, specialist, leader) -> Dossier:
    complete_step(dossier, actor=specialist)
    complete_step(dossier, actor=leader)
    return mark_result_ready(dossier, actor=clerk)


def returned(dossier: Dossier, clerk) -> Dossier:
    return return_result(
        dossier, actor=clerk, method="in_person", collected_by_name="Nguyễn Văn An"
    )
