from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from conftest import complete_intake
from motcua.dossiers.applicants import Applicant
from motcua.dossiers.errors import DossierError
from motcua.dossiers.intake import (
    HandedIn,
    Intake,
    Missing,
    receive_dossier,
    receive_submitted,
    refuse_at_reception,
    request_supplement_at_reception,
    submit_online,
)
from motcua.dossiers.models import DailySequence, Dossier, DossierEvent
from motcua.dossiers.status import Action, Status
from motcua.testing.files import blank_pdf

VN = ZoneInfo("Asia/Ho_Chi_Minh")
MONDAY_9AM = datetime(2026, 3, 9, 9, 0, tzinfo=VN)
CITIZEN = Applicant("citizen", "Nguyễn Văn An", "042090001234", "0912 345 678")


@pytest.fixture
def intake(birth_registration, commune_agency):
    def make(**changes):
        checklist = list(birth_registration.current_version.components.all())
        values = {
            "procedure": birth_registration,
            "agency": commune_agency,
            "applicant": CITIZEN,
            "handed_in": [HandedIn(c.pk, originals=1) for c in checklist],
        }
        values.update(changes)
        return Intake(**values)

    return make


@time_machine.travel(MONDAY_9AM, tick=False)
def test_complete_dossier_gets_code_appointment_steps_and_event(intake, clerk):
    dossier = receive_dossier(intake(), actor=clerk)

    assert dossier.code == "H42.50.01-260309-0001"
    assert dossier.status == Status.RECEIVED
    assert dossier.procedure_version == dossier.procedure.current_version
    # 1 working day from Monday 09:00: the close of Tuesday (Civil Code arts. 147-148).
    assert dossier.due_at.astimezone(VN) == datetime(2026, 3, 10, 17, 0, tzinfo=VN)
    assert dossier.original_due_at == dossier.due_at
    assert dossier.applicant_phone == "0912345678"
    assert [c.originals for c in dossier.components.all()] == [1, 1]
    assert [s.name for s in dossier.steps.all()] == ["Tiếp nhận", "Thẩm định", "Ký duyệt"]
    event = DossierEvent.objects.get(dossier=dossier)
    assert (event.action, event.from_status, event.to_status, event.actor) == (
        Action.RECEIVE,
        None,
        Status.RECEIVED,
        clerk,
    )


@time_machine.travel(datetime(2026, 3, 9, 15, 30, tzinfo=VN), tick=False)
def test_paper_received_after_the_cutoff_counts_from_the_next_working_day(intake, clerk):
    dossier = receive_dossier(intake(), actor=clerk)
    assert dossier.clock_start_at.astimezone(VN) == datetime(2026, 3, 10, 7, 30, tzinfo=VN)
    assert dossier.due_at.astimezone(VN) == datetime(2026, 3, 11, 17, 0, tzinfo=VN)


@time_machine.travel(MONDAY_9AM, tick=False)
def test_sequence_counts_per_agency_and_day(
    intake, clerk, other_commune_agency, clerk_of_other_agency
):
    codes = [receive_dossier(intake(), actor=clerk).code for _ in range(3)]
    other = receive_dossier(intake(agency=other_commune_agency), actor=clerk_of_other_agency)
    assert codes == [f"H42.50.01-260309-000{n}" for n in (1, 2, 3)]
    assert other.code == "H42.50.02-260309-0001"
    with time_machine.travel(datetime(2026, 3, 10, 8, 0, tzinfo=VN), tick=False):
        assert receive_dossier(intake(), actor=clerk).code == "H42.50.01-260310-0001"


@time_machine.travel(MONDAY_9AM, tick=False)
def test_clerk_of_another_agency_is_refused_and_nothing_is_written(intake, clerk_of_other_agency):
    with pytest.raises(DossierError) as info:
        receive_dossier(intake(), actor=clerk_of_other_agency)
    assert info.value.code == "forbidden"
    assert not Dossier.objects.exists() and not DailySequence.objects.exists()


@time_machine.travel(MONDAY_9AM, tick=False)
@pytest.mark.parametrize(
    ("applicant", "code"),
    [
        (Applicant("citizen", "An", "12345"), "invalid_citizen_id"),
        (Applicant("enterprise", "Công ty A", "0101"), "invalid_tax_code"),
        (Applicant("citizen", "An", "000000000000"), "invalid_citizen_id"),
        (Applicant("citizen", "An", "999095001234"), "invalid_citizen_id"),
        (Applicant("citizen", "An", "042295001234"), "invalid_citizen_id"),
        (Applicant("enterprise", "Công ty A", "0100109107"), "invalid_tax_code"),
        (Applicant("foreigner", "John Smith", "C-12"), "invalid_passport"),
        (Applicant("citizen", "  ", "042090001234"), "applicant_name_required"),
        (Applicant("citizen", "An", "042090001234", phone="12"), "invalid_phone"),
        (Applicant("citizen", "An", "042090001234", email="x@"), "invalid_email"),
        (Applicant("martian", "An", "042090001234"), "invalid_applicant_type"),
    ],
)
def test_bad_applicant_data_is_refused_and_the_number_is_not_used(intake, clerk, applicant, code):
    with pytest.raises(DossierError) as info:
        receive_dossier(intake(applicant=applicant), actor=clerk)
    assert info.value.code == code
    assert receive_dossier(intake(), actor=clerk).code.endswith("-0001")


@time_machine.travel(MONDAY_9AM, tick=False)
def test_a_document_not_on_the_checklist_is_refused(intake, clerk):
    with pytest.raises(DossierError) as info:
        receive_dossier(intake(handed_in=[HandedIn(999999, originals=1)]), actor=clerk)
    assert info.value.code == "unknown_component"
    assert not Dossier.objects.exists()


@time_machine.travel(MONDAY_9AM, tick=False)
def test_incomplete_dossier_lists_every_missing_item_and_does_not_start_the_clock(intake, clerk):
    with pytest.raises(DossierError):
        request_supplement_at_reception(intake(), actor=clerk, missing=[])
    dossier = request_supplement_at_reception(
        intake(),
        actor=clerk,
        missing=[Missing(None, "Giấy chứng sinh", "Chưa có bản chính")],
    )
    assert dossier.status == Status.SUPPLEMENT
    assert dossier.received_at is None and dossier.due_at is None
    event = dossier.events.get()
    assert event.data["missing"][0]["reason"] == "Chưa có bản chính"

    received = receive_submitted(dossier, actor=clerk)
    assert received.status == Status.RECEIVED and received.due_at is not None


@time_machine.travel(MONDAY_9AM, tick=False)
def test_refusal_needs_reasons_and_closes_the_dossier(intake, clerk):
    with pytest.raises(DossierError):
        refuse_at_reception(intake(), actor=clerk, reasons=" ")
    dossier = refuse_at_reception(intake(), actor=clerk, reasons="Không thuộc thẩm quyền")
    assert dossier.status == Status.NOT_RECEIVED and dossier.is_closed
    assert dossier.events.get().note == "Không thuộc thẩm quyền"


@time_machine.travel(datetime(2026, 3, 7, 10, 0, tzinfo=VN), tick=False)  # a Saturday
def test_online_submission_waits_for_a_clerk_then_the_clock_starts(intake, clerk):
    dossier = submit_online(intake())
    assert dossier.status == Status.SUBMITTED and dossier.channel == "online"
    assert dossier.received_at is None
    with time_machine.travel(MONDAY_9AM, tick=False):
        received = receive_submitted(dossier, actor=clerk)
    assert received.status == Status.RECEIVED
    assert received.due_at.astimezone(VN) == datetime(2026, 3, 10, 17, 0, tzinfo=VN)
    with pytest.raises(DossierError) as info:
        receive_submitted(received, actor=clerk)
    assert info.value.code == "already_received"


@time_machine.travel(MONDAY_9AM, tick=False)
def test_centre_receives_for_a_department_of_its_province(
    birth_registration, centre, justice_department, commune_agency
):
    from conftest import make_user
    from motcua.catalogue.services import assign_local_agencies
    from motcua.organisations.roles import Role

    assign_local_agencies(
        birth_registration,
        owner=justice_department,
        implementing=[justice_department],
        actor=None,
    )
    centre_clerk = make_user("centre_clerk", centre, Role.RECEIVING_CLERK)
    dossier = receive_dossier(
        complete_intake(birth_registration, centre, CITIZEN),
        actor=centre_clerk,
    )
    assert dossier.receiving_agency == centre
    assert dossier.competent_agency == justice_department
    assert dossier.code.startswith("H42.01-")
    # A commune cannot receive for the provincial department (not boundary-independent).
    commune_clerk = make_user("commune_clerk", commune_agency, Role.RECEIVING_CLERK)
    with pytest.raises(DossierError) as info:
        receive_dossier(
            complete_intake(birth_registration, commune_agency, CITIZEN),
            actor=commune_clerk,
        )
    assert info.value.code == "competent_agency_required"


@time_machine.travel(MONDAY_9AM, tick=False)
def test_an_online_dossier_can_be_refused_or_sent_back_for_supplement(
    intake, clerk, clerk_of_other_agency
):
    from motcua.dossiers.intake import refuse_submitted, request_supplement_submitted

    refused = submit_online(intake())
    with pytest.raises(DossierError) as info:
        refuse_submitted(refused, actor=clerk_of_other_agency, reasons="x")
    assert info.value.code == "forbidden"
    refused = refuse_submitted(refused, actor=clerk, reasons="Sai cơ quan")
    assert refused.status == Status.NOT_RECEIVED and refused.finished_at is not None

    incomplete = request_supplement_submitted(
        submit_online(intake()), actor=clerk, missing=[Missing(None, "Giấy chứng sinh", "Mờ")]
    )
    assert incomplete.status == Status.SUPPLEMENT and incomplete.received_at is None
    assert receive_submitted(incomplete, actor=clerk).status == Status.RECEIVED
    with pytest.raises(DossierError) as info:
        refuse_submitted(refused, actor=clerk, reasons="again")
    assert info.value.code == "illegal_transition"


@time_machine.travel(MONDAY_9AM, tick=False)
@pytest.mark.parametrize(
    ("applicant", "number"),
    [
        (Applicant("citizen", "An", " 042 090 001234 "), "042090001234"),
        (Applicant("foreigner", "John Smith", "c1234567"), "C1234567"),
        (Applicant("enterprise", "Viettel", "0100109106"), "0100109106"),
        (Applicant("organisation", "Chi nhánh", "0100109106001"), "0100109106-001"),
    ],
)
def test_identity_numbers_are_recorded_normalised(intake, clerk, applicant, number):
    dossier = receive_dossier(intake(applicant=applicant), actor=clerk)
    assert dossier.applicant_id_number == number


@time_machine.travel(MONDAY_9AM, tick=False)
def test_a_dossier_without_its_mandatory_documents_is_not_received(intake, clerk):
    first = intake().handed_in[:1]

    with pytest.raises(DossierError) as info:
        receive_dossier(intake(handed_in=first), actor=clerk)

    assert info.value.code == "incomplete" and "Giấy chứng sinh" in info.value.message
    assert "Tờ khai" not in info.value.message and not Dossier.objects.exists()
    with pytest.raises(DossierError):
        receive_dossier(intake(handed_in=[]), actor=clerk)


@time_machine.travel(MONDAY_9AM, tick=False)
def test_an_optional_document_may_be_missing(intake, clerk, birth_registration):
    birth_registration.current_version.components.filter(name="Giấy chứng sinh").update(
        is_mandatory=False
    )

    dossier = receive_dossier(intake(handed_in=intake().handed_in[:1]), actor=clerk)

    assert dossier.components.count() == 1


def test_an_online_dossier_without_a_mandatory_document_is_not_received(
    intake, clerk, birth_registration
):
    """Complete means the same online as at the counter (issue 13 §2): the clerk asks for a
    supplement or refuses; a document sent as a file attached to it counts."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from motcua.dossiers.attachments import attach_file

    mandatory = [c for c in birth_registration.current_version.documents() if c.is_mandatory]
    assert mandatory, "the fixture's procedure has a mandatory document"
    first = mandatory[0]
    sent = [HandedIn(first.pk)] + [HandedIn(c.pk, originals=1) for c in mandatory[1:]]
    dossier = submit_online(intake(handed_in=sent))
    with time_machine.travel(MONDAY_9AM, tick=False):
        with pytest.raises(DossierError) as refused:
            receive_submitted(dossier, actor=clerk)
        assert refused.value.code == "incomplete" and first.name[:40] in refused.value.message
        dossier.refresh_from_db()
        assert dossier.status == Status.SUBMITTED and dossier.received_at is None

        scan = SimpleUploadedFile("giay.pdf", blank_pdf(), "application/pdf")
        component = dossier.components.get(component=first)
        attach_file(dossier, actor=clerk, upload=scan, kind="scan", component=component)
        assert receive_submitted(dossier, actor=clerk).status == Status.RECEIVED
