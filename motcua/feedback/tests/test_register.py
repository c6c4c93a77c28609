"""The feedback register (issue 19 §2): sent from the portal with the sender's name, address
and phone (Decree 20/2008 art. 7), files checked by content, a double submit kept once; the
centre classifies and forwards, the department answers, the leader approves, the centre
publishes without personal data; the sender hears of it and likes or dislikes the answer;
every step audited with its actor; a citizen sees only their own; supervisors see the
overdue items."""

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from conftest import make_user
from motcua.audit.models import AuditEvent
from motcua.feedback import register
from motcua.feedback.models import Feedback
from motcua.feedback.notices import answer_token
from motcua.notifications.tests.conftest import drain
from motcua.organisations.roles import Role

from .conftest import logged_in, sign_in

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
SEND = "/y-kien/phan-anh/gui/"


def form(agency, **changes):
    values = {
        "name": "Phạm Thị Hoa",
        "address": "12 Trần Phú, Phường Thành Sen",
        "phone": "0903 123 456",
        "email": "hoa@example.org",
        "agency": agency.pk,
        "subject": "procedure",
        "title": "Hồ sơ trễ hẹn",
        "body": "Tôi là Phạm Thị Hoa, số 0903123456, hồ sơ của tôi trễ hẹn đã 3 ngày.",
        "token": register.new_token(),
    }
    values.update(changes)
    return values


def test_the_sender_must_give_name_address_and_phone(client, centre):
    response = client.post(SEND, form(centre, address="", phone="12"))
    assert response.status_code == 400
    text = response.content.decode()
    assert "Hồ sơ trễ hẹn" in text and "Phạm Thị Hoa" in text  # what was typed is kept
    assert not Feedback.objects.exists()


def test_sent_without_an_account_once_with_its_deadlines(client, centre):
    values = form(centre)
    first = client.post(SEND, values)
    second = client.post(SEND, values)  # a double click
    item = Feedback.objects.get()
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"] == f"/y-kien/phan-anh/da-gui/{item.reference}/"
    assert (item.state, item.source, item.agency, item.handling_agency) == (
        "received",
        "portal",
        centre,
        centre,
    )
    assert item.sender_phone == "0903123456" and item.sender_user is None
    assert item.handle_due_at > item.supplement_due_at > item.refuse_due_at > item.received_at
    assert AuditEvent.objects.filter(action="feedback.received").count() == 1
    page = client.get(first["Location"]).content.decode()
    assert str(item.reference) in page and "Phạm Thị Hoa" not in page


def test_files_are_checked_by_their_content(client, centre):
    fake = SimpleUploadedFile("don.pdf", b"MZ not a pdf", content_type="application/pdf")
    refused = client.post(SEND, {**form(centre), "attachments": [fake]})
    assert refused.status_code == 422 and not Feedback.objects.exists()
    good = SimpleUploadedFile("don.pdf", PDF, content_type="application/pdf")
    assert client.post(SEND, {**form(centre), "attachments": [good]}).status_code == 302
    stored = Feedback.objects.get().files.get()
    assert (stored.content_type, stored.size) == ("application/pdf", len(PDF))


def test_a_complaint_about_someone_elses_dossier_is_refused(client, centre, finished):
    dossier = finished()
    response = client.post(SEND, form(centre, subject="dossier", code=dossier.code))
    assert response.status_code == 400 and not Feedback.objects.exists()
    # With the phone written on the dossier, it is the applicant's own.
    ok = client.post(SEND, form(centre, subject="dossier", code=dossier.code, phone="0912345678"))
    assert ok.status_code == 302
    item = Feedback.objects.get()
    assert item.dossier == dossier and item.agency == dossier.receiving_agency


def _act(client, item, action, **data):
    item.refresh_from_db()
    url = reverse("feedback_staff:act", args=[item.pk, action])
    return client.post(url, {"seen_state": item.state, **data})


def test_the_whole_way_from_the_portal_to_the_published_answer(
    client, centre, centre_clerk, justice_department, justice_specialist, leader, settings
):
    settings.MOTCUA_NOTIFY_CHANNELS = ["email"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    client.post(SEND, form(centre))
    item = Feedback.objects.get()
    desk, specialist, boss = (
        logged_in(centre_clerk),
        logged_in(justice_specialist),
        logged_in(leader),
    )
    # The department cannot act before the item is forwarded to it.
    assert _act(specialist, item, "answer", answer="x").status_code == 404
    assert _act(desk, item, "forward", agency=justice_department.pk).status_code == 409
    assert _act(desk, item, "classify", classification="procedure").status_code == 302
    assert _act(desk, item, "forward", agency=justice_department.pk).status_code == 302
    assert _act(specialist, item, "start_handling").status_code == 302
    answer = "Kính gửi bà Phạm Thị Hoa (0903123456): hồ sơ đã được giải quyết ngày 12/3."
    # About a procedure: the verdict (founded or not, Circular 01 indicator 7) is required,
    # and what was typed is kept.
    refused = _act(specialist, item, "answer", answer=answer)
    assert refused.status_code == 400 and "0903123456" in refused.content.decode()
    assert "có căn cứ" in refused.content.decode()
    assert _act(specialist, item, "answer", answer=answer, verdict="maybe").status_code == 400
    assert _act(specialist, item, "answer", answer=answer, verdict="partly").status_code == 302
    item.refresh_from_db()
    assert item.verdict == "partly" and item.is_founded
    answered = AuditEvent.objects.get(action="feedback.answer", target_id=str(item.pk))
    assert answered.data["verdict"] == "partly" and answered.actor == justice_specialist
    shown = specialist.get(reverse("feedback_staff:item", args=[item.pk])).content.decode()
    assert "Có căn cứ một phần" in shown  # the verdict on the item page
    assert _act(specialist, item, "approve").status_code == 403  # a leader approves
    assert _act(boss, item, "approve").status_code == 302
    item.refresh_from_db()
    assert item.state == "awaiting_publication"
    assert item.publish_due_at is not None and item.approved_at is not None
    assert item.publish_due_at > item.approved_at
    proposed = register.proposed_publication(item)
    assert (
        "Phạm Thị Hoa" not in proposed["public_answer"] and "0903" not in proposed["public_answer"]
    )
    published = _act(
        desk,
        item,
        "publish",
        title="Hồ sơ trễ hẹn",
        body=proposed["public_body"],
        answer=proposed["public_answer"] + " Liên hệ hoa@example.org.",
    )
    assert published.status_code == 302
    item.refresh_from_db()
    assert item.state == "published"
    actions = list(
        AuditEvent.objects.filter(target_id=str(item.pk), target_type="feedback.feedback")
        .order_by("pk")
        .values_list("action", "actor__username")
    )
    assert actions == [
        ("feedback.received", None),
        ("feedback.classify", "centre_clerk"),
        ("feedback.forward", "centre_clerk"),
        ("feedback.start_handling", "justice_specialist"),
        ("feedback.answer", "justice_specialist"),
        ("feedback.approve", "leader"),
        ("feedback.publish", "centre_clerk"),
    ]
    public = client.get(f"/y-kien/phan-anh/{item.reference}/").content.decode()
    listing = client.get("/y-kien/phan-anh/").content.decode()
    for text in (public, listing):
        assert str(item.reference) in text
        for personal in (
            "Phạm Thị Hoa",
            "0903123456",
            "0903 123 456",
            "hoa@example.org",
            "Trần Phú",
        ):
            assert personal not in text
    assert "hồ sơ đã được giải quyết" in public
    # The sender hears of it, with the link where they like or dislike the answer.
    drain()
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["hoa@example.org"]
    link = reverse("feedback:answer-link", args=[answer_token(item)])
    assert link in mail.outbox[0].body
    drain()
    assert len(mail.outbox) == 1  # never twice
    assert client.post(link, {"liked": "0"}).status_code == 302
    item.refresh_from_db()
    assert item.sender_liked is False
    assert AuditEvent.objects.filter(action="feedback.reacted", target_id=str(item.pk)).exists()


def test_unpublished_items_never_show_publicly(client, centre, centre_clerk):
    client.post(SEND, form(centre))
    item = Feedback.objects.get()
    assert client.get(f"/y-kien/phan-anh/{item.reference}/").status_code == 404
    assert str(item.reference) not in client.get("/y-kien/phan-anh/").content.decode()
    register.classify_feedback(item, actor=centre_clerk, classification="procedure")
    register.answer_feedback(item, actor=None, answer="Đã xử lý", verdict="not_founded")
    register.approve_answer(item, actor=None)
    assert client.get(f"/y-kien/phan-anh/{item.reference}/").status_code == 404
    assert "Đã xử lý" not in client.get("/y-kien/phan-anh/").content.decode()


def test_a_double_submitted_action_applies_once(client, centre, centre_clerk):
    client.post(SEND, form(centre))
    item = Feedback.objects.get()
    desk = logged_in(centre_clerk)
    url = reverse("feedback_staff:act", args=[item.pk, "refuse"])
    data = {"seen_state": "received", "reason": "Nặc danh"}
    assert desk.post(url, data).status_code == 302
    again = desk.post(url, data)
    assert again.status_code == 409 and "Nặc danh" in again.content.decode()
    assert AuditEvent.objects.filter(action="feedback.refuse").count() == 1


def test_a_supplement_is_asked_once_and_restarts_the_handling_clock(client, centre, centre_clerk):
    client.post(SEND, form(centre))
    item = Feedback.objects.get()
    register.classify_feedback(item, actor=centre_clerk, classification="policy")
    register.ask_supplement(item, actor=centre_clerk, note="Thiếu số hồ sơ")
    later = timezone.now() + timedelta(days=3)
    with time_machine.travel(later):
        register.receive_supplement(item, actor=centre_clerk, text="Số hồ sơ là ...")
    item.refresh_from_db()
    assert item.state == "handling" and item.clock_started_at >= later - timedelta(seconds=1)
    with pytest.raises(register.FeedbackError) as refused:
        register.ask_supplement(item, actor=centre_clerk, note="Lần hai")
    assert refused.value.code == "supplement_once"


def test_staff_of_another_agency_see_nothing(client, centre, clerk_of_other_agency):
    client.post(SEND, form(centre))
    item = Feedback.objects.get()
    other = logged_in(clerk_of_other_agency)
    assert other.get(reverse("feedback_staff:item", args=[item.pk])).status_code == 404
    assert str(item.reference) not in other.get(reverse("feedback_staff:register")).content.decode()


def test_staff_enter_a_phone_call(centre, centre_clerk):
    desk = logged_in(centre_clerk)
    data = form(centre, source="phone", received_on="")
    response = desk.post(reverse("feedback_staff:enter"), data)
    assert response.status_code == 302
    item = Feedback.objects.get()
    assert (item.source, item.entered_by) == ("phone", centre_clerk)
    assert AuditEvent.objects.get(action="feedback.received").actor == centre_clerk


# --- The citizen's own ------------------------------------------------------------------------


def test_a_citizen_sees_only_their_own_feedback(client, idp, centre):
    Client = type(client)
    stranger = Client()
    stranger.post(SEND, form(centre, title="Của người khác"))
    sign_in(client)
    client.post(SEND, form(centre, title="Của tôi"))
    mine = Feedback.objects.get(title="Của tôi")
    theirs = Feedback.objects.get(title="Của người khác")
    assert mine.sender_user is not None and theirs.sender_user is None
    listing = client.get("/y-kien/phan-anh/cua-toi/").content.decode()
    assert "Của tôi" in listing and "Của người khác" not in listing
    assert client.get(f"/y-kien/phan-anh/cua-toi/{mine.pk}/").status_code == 200
    assert client.get(f"/y-kien/phan-anh/cua-toi/{theirs.pk}/").status_code == 404


# --- Supervision ------------------------------------------------------------------------------


def test_supervisors_see_overdue_items_with_the_unit_and_the_officer(
    client, centre, centre_clerk, supervisor, clerk
):
    client.post(SEND, form(centre))
    item = Feedback.objects.get()
    register.classify_feedback(item, actor=centre_clerk, classification="procedure")
    handler = make_user("handler", centre, Role.SPECIALIST, first_name="Trần", last_name="Xử Lý")
    register.start_handling(item, actor=handler)
    url = reverse("feedback_staff:overdue")
    assert logged_in(clerk).get(url).status_code == 404
    with time_machine.travel(timezone.now() + timedelta(days=40)):
        page = logged_in(supervisor).get(url).content.decode()
    assert str(item.reference) in page and centre.name in page and "Xử Lý" in page
    assert (
        str(item.reference) not in logged_in(supervisor).get(url).content.decode()
    )  # not yet late
    supervision = logged_in(supervisor).get(reverse("backoffice:supervision")).content.decode()
    assert url in supervision


def _published(item, clerk):
    register.classify_feedback(item, actor=clerk, classification="procedure")
    register.answer_feedback(item, actor=None, answer="Đã xử lý", verdict="not_founded")
    register.approve_answer(item, actor=None)
    return register.publish_answer(item, actor=None, title="T", body="B", answer="A")


def test_the_sender_sends_again_about_a_published_answer(client, centre, centre_clerk):
    client.post(SEND, form(centre))
    first = _published(Feedback.objects.get(), centre_clerk)
    page = client.get(f"{SEND}?lai={first.reference}").content.decode()
    assert f'value="{first.reference}"' in page
    # Someone else (another phone) cannot pass their item off as a reply to it.
    stranger = client.post(SEND, form(centre, again=first.reference, phone="0988000111"))
    assert stranger.status_code == 400 and Feedback.objects.count() == 1
    again = client.post(SEND, form(centre, again=first.reference, title="Chưa thỏa đáng"))
    assert again.status_code == 302
    assert Feedback.objects.get(title="Chưa thỏa đáng").follow_up_of == first


def test_the_signed_in_sender_gives_the_supplement_online(client, idp, centre, centre_clerk):
    sign_in(client)
    client.post(SEND, form(centre))
    item = Feedback.objects.get()
    register.ask_supplement(item, actor=centre_clerk, note="Ghi rõ ngày nộp hồ sơ")
    url = reverse("feedback:supplement-mine", args=[item.pk])
    assert (
        "Ghi rõ ngày nộp hồ sơ"
        in client.get(f"/y-kien/phan-anh/cua-toi/{item.pk}/").content.decode()
    )
    assert client.post(url, {"text": ""}).status_code == 400
    assert client.post(url, {"text": "Nộp ngày 2/3/2026"}).status_code == 302
    item.refresh_from_db()
    assert (item.state, item.supplement_text) == ("handling", "Nộp ngày 2/3/2026")
    event = AuditEvent.objects.get(action="feedback.receive_supplement")
    assert event.actor is not None and event.actor == item.sender_user
    assert client.post(url, {"text": "Lần nữa"}).status_code == 409  # once


def _count_queries(client, url) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_list_pages_read_a_fixed_number_of_queries(client, centre, centre_clerk):
    for _ in range(2):
        client.post(SEND, form(centre))
    for item in Feedback.objects.all():
        _published(item, centre_clerk)
    desk = logged_in(centre_clerk)
    few = (
        _count_queries(client, "/y-kien/phan-anh/"),
        _count_queries(desk, reverse("feedback_staff:register")),
    )
    for _ in range(6):
        client.post(SEND, form(centre))
    for item in Feedback.objects.exclude(state="published"):
        _published(item, centre_clerk)
    many = (
        _count_queries(client, "/y-kien/phan-anh/"),
        _count_queries(desk, reverse("feedback_staff:register")),
    )
    assert few == many


def test_the_officer_concerned_is_one_of_the_items_agencies(
    client, centre, centre_clerk, clerk_of_other_agency
):
    client.post(SEND, form(centre, subject="behaviour"))
    item = Feedback.objects.get()
    desk = logged_in(centre_clerk)
    page = desk.get(reverse("feedback_staff:item", args=[item.pk])).content.decode()
    choices = page.split('name="officer"')[1].split("</select>")[0]
    assert f'value="{centre_clerk.pk}"' in choices
    assert f'value="{clerk_of_other_agency.pk}"' not in choices
    outsider = _act(
        desk, item, "classify", classification="staff_behaviour", officer=clerk_of_other_agency.pk
    )
    assert outsider.status_code == 400
    ok = _act(desk, item, "classify", classification="staff_behaviour", officer=centre_clerk.pk)
    assert ok.status_code == 302
    item.refresh_from_db()
    assert (item.classification, item.officer) == ("staff_behaviour", centre_clerk)
