"""A consultation as the people involved meet it (Decree 61/2018 art. 19.5), through HTTP:
the consulted agency finds the request in its queue with the deadline, opens the dossier,
answers with the signed letter attached, and the answer is on the dossier; an answer not
given in time is flagged. And the steps of a provincial department whose catalogue names
no department reach its department heads (the Sở Tư pháp case of issue 13 §7)."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from conftest import make_user
from motcua.dossiers import queues
from motcua.dossiers.consultations import request_consultation
from motcua.dossiers.errors import DossierError
from motcua.dossiers.models import Attachment, Consultation, Dossier, DossierEvent
from motcua.dossiers.processing import approve, assign_step, complete_step
from motcua.dossiers.status import Action
from motcua.organisations.models import Agency, Department
from motcua.organisations.roles import Role
from motcua.testing.files import blank_pdf

from .conftest import MONDAY, at

PDF = blank_pdf()  # a real PDF: scans of documents are read (registry.quality)
PAGE = "/backoffice/ho-so/{}/"
ANSWER = "answer-consultation"


@pytest.fixture
def construction(provincial_committee, province):
    """A provincial department asked for its opinion: one department, its head."""
    agency = Agency.objects.create(
        code="H42.15",
        name="Sở Xây dựng",
        kind=Agency.Kind.PROVINCIAL_DEPARTMENT,
        unit=province,
        parent=provincial_committee,
    )
    return agency


@pytest.fixture
def construction_head(construction):
    division = Department.objects.create(agency=construction, code="QLXD", name="Phòng QLXD")
    return make_user("head_qlxd", construction, Role.DEPARTMENT_HEAD, division)


@pytest.fixture
def asked(processing, specialist, construction):
    with at(MONDAY):
        return request_consultation(
            processing,
            actor=specialist,
            to_agency=construction,
            content="Công trình có nằm trong quy hoạch không?",
            deadline_days=2,
        )


def _answer(client, dossier, consultation, text, *files):
    version = Dossier.objects.get(pk=dossier.pk).version
    data = {f"{ANSWER}-version": version, f"{ANSWER}-consultation": consultation.pk}
    data[f"{ANSWER}-answer"] = text
    if files:
        data[f"{ANSWER}-attachments"] = list(files)
    return client.post(f"{PAGE.format(dossier.code)}xu-ly/{ANSWER}/", data)


def test_the_consulted_head_finds_it_answers_with_files_and_the_answer_is_on_the_dossier(
    client, processing, asked, construction_head, specialist
):
    client.force_login(construction_head)
    with at(MONDAY + timedelta(hours=1)):
        work = client.get("/backoffice/viec-cua-toi/").content.decode()
        assert processing.code in work and "Công trình có nằm trong quy hoạch" in work
        assert "còn" in work  # the time left to the deadline, in Vietnamese
        page = client.get(PAGE.format(processing.code))
        assert page.status_code == 200 and 'enctype="multipart/form-data"' in page.text
        letter = SimpleUploadedFile("Công văn 123.pdf", PDF, "application/pdf")
        response = _answer(client, processing, asked, "Phù hợp quy hoạch.", letter)
    assert response.status_code == 302

    asked.refresh_from_db()
    assert asked.answer == "Phù hợp quy hoạch." and asked.answered_by == construction_head
    (stored,) = Attachment.objects.filter(consultation=asked)
    assert stored.kind == Attachment.Kind.OPINION and stored.original_name == "Công văn 123.pdf"
    event = DossierEvent.objects.get(dossier=processing, action=Action.ANSWER_CONSULTATION)
    assert event.data["files"] == [
        {"attachment": stored.pk, "name": "Công văn 123.pdf", "size": len(PDF)}
    ]
    assert event.data["late"] is False

    client.force_login(specialist)  # the requester reads it on the dossier, and the letter
    page = client.get(PAGE.format(processing.code)).content.decode()
    assert "Phù hợp quy hoạch." in page and "Công văn 123.pdf" in page
    letter = client.get(f"{PAGE.format(processing.code)}tep/{stored.pk}/")
    assert letter.status_code == 200 and b"".join(letter.streaming_content) == PDF
    with at(MONDAY + timedelta(hours=2)):
        assert not queues.consultations_to_answer(construction_head).exists()


def test_a_refused_file_changes_nothing_and_keeps_the_answer_typed(
    client, processing, asked, construction_head
):
    client.force_login(construction_head)
    text = SimpleUploadedFile("note.txt", b"plain text", "text/plain")
    with at(MONDAY + timedelta(hours=1)):
        response = _answer(client, processing, asked, "Câu trả lời dài đã gõ", text)
    assert response.status_code == 422
    page = response.content.decode()
    assert "Câu trả lời dài đã gõ" in page and "PDF, JPEG, PNG" in page
    asked.refresh_from_db()
    assert asked.answered_at is None and asked.answer == ""
    assert not Attachment.objects.exists()
    assert not DossierEvent.objects.filter(action=Action.ANSWER_CONSULTATION).exists()


def test_an_unanswered_consultation_is_flagged_when_due(
    client, processing, asked, centre_clerk, construction_head
):
    late = asked.deadline_at + timedelta(minutes=1)
    client.force_login(centre_clerk)  # the one-stop section, to which art. 19.5 escalates
    with at(asked.deadline_at - timedelta(minutes=1)):
        assert not queues.overdue_consultations(centre_clerk).exists()
    with at(late):
        work = client.get("/backoffice/viec-cua-toi/y-kien-qua-han/").content.decode()
        assert processing.code in work and "quá hạn" in work
        client.force_login(construction_head)
        mine = client.get("/backoffice/viec-cua-toi/").content.decode()
        assert "quá hạn" in mine
        page = client.get(PAGE.format(processing.code)).content.decode()
    assert "Chờ trả lời" in page


def test_an_answer_given_late_is_accepted_and_marked(client, processing, asked, construction_head):
    client.force_login(construction_head)
    with at(asked.deadline_at + timedelta(hours=1)):
        assert _answer(client, processing, asked, "Muộn nhưng có").status_code == 302
    event = DossierEvent.objects.get(action=Action.ANSWER_CONSULTATION)
    assert event.data["late"] is True and event.data["files"] == []
    assert Consultation.objects.get(pk=asked.pk).late


# --- Steps that name no department (issue 13 §7) -------------------------------------------


@pytest.fixture
def undepartmented(criminal_record):
    """The demo's Sở Tư pháp procedures: no step names a department (national data)."""
    version = criminal_record.current_version
    version.steps.update(department=None)
    return criminal_record


def test_a_department_head_assigns_the_steps_of_their_agency_that_name_no_department(
    client, undepartmented, receive, centre_clerk, department_head, specialist
):
    from motcua.dossiers.processing import hand_over

    dossier = receive()
    with at(MONDAY):
        hand_over(dossier, actor=centre_clerk)
    assert {s.dossier.code for s in queues.to_assign(department_head)} == {dossier.code}
    client.force_login(department_head)
    with at(MONDAY):
        assert dossier.code in client.get("/backoffice/viec-cua-toi/phan-cong/").text
        step = assign_step(dossier, actor=department_head, assignee=specialist)
    assert step.assignee == specialist and step.department is None


def test_but_not_a_leaders_step_nor_another_agencys(
    undepartmented, receive, centre_clerk, department_head, specialist, commune_specialist,
    construction_head,
):  # fmt: skip
    from motcua.dossiers.processing import hand_over

    dossier = receive()
    with at(MONDAY):
        hand_over(dossier, actor=centre_clerk)
        assert not queues.to_assign(construction_head).exists()
        with pytest.raises(DossierError) as refused:
            assign_step(dossier, actor=construction_head, assignee=specialist)
        assert refused.value.code == "forbidden"
        assign_step(dossier, actor=department_head, assignee=specialist)
        complete_step(dossier, actor=specialist)  # appraisal
        complete_step(dossier, actor=department_head)  # review
        complete_step(dossier, actor=commune_specialist)  # verification at the commune
        # The leader's signature, naming no department: not the department head's to give.
        step = dossier.steps.get(state="active")
        assert step.role == Role.LEADER and step.department is None
        assert not queues.to_assign(department_head).exists()
        with pytest.raises(DossierError):
            assign_step(dossier, actor=department_head, assignee=specialist)


def test_the_leaders_approval_reads_approved_and_signed_with_who_signed(
    client, processing, specialist, department_head, commune_specialist, leader
):
    with at(MONDAY):
        assign_step(processing, actor=department_head, assignee=specialist)
        complete_step(processing, actor=specialist)
        complete_step(processing, actor=department_head)
        complete_step(processing, actor=commune_specialist)
        approve(processing, actor=leader)
    client.force_login(leader)
    page = client.get(PAGE.format(processing.code)).content.decode()
    assert "Phê duyệt và ký" in page
    steps = page.split("Ký duyệt", 1)[1].split("</tr>", 1)[0]
    assert leader.username in steps or leader.get_full_name() in steps
