"""After filing (issue 15 §3): the applicant answers a supplement request online with the items
asked for, the back office sees it highlighted and receives it (the clock starts once); the
applicant asks to withdraw and an officer confirms it; documents kept from an earlier dossier
are reused; nobody else can do any of it."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from conftest import complete_intake
from motcua.dossiers.applicants import Applicant
from motcua.dossiers.attachments import attach_file
from motcua.dossiers.closing import withdraw
from motcua.dossiers.intake import (
    Missing,
    receive_dossier,
    receive_submitted,
    request_supplement_submitted,
)
from motcua.dossiers.models import DossierEvent
from motcua.dossiers.status import Action, Status
from motcua.filing import services
from motcua.filing.models import Draft, DraftFile
from motcua.registry.copies import register_result
from motcua.registry.models import Reuse

from .conftest import AN, JPEG, PDF, answers, sign_in
from .test_filing import certificate, start

pytestmark = pytest.mark.django_db


@pytest.fixture
def filed(client, idp, online_birth, commune_agency):
    """An's birth registration, filed online without the certificate (status 1)."""
    sign_in(client)
    draft = start(client, online_birth, commune_agency)
    base = f"/nop-truc-tuyen/ho-so-nhap/{draft.key}"
    client.post(f"{base}/to-khai/", answers())
    assert client.post(f"{base}/nop/").status_code == 302
    draft.refresh_from_db()
    return draft.dossier


def test_a_supplement_asked_at_reception_is_answered_online(client, filed, clerk, online_birth):
    with pytest.raises(Exception, match="Giấy chứng sinh"):
        receive_submitted(filed, actor=clerk)  # incomplete: the certificate is missing
    component = certificate(online_birth.current_version)
    request_supplement_submitted(
        filed,
        actor=clerk,
        missing=[Missing(component.pk, component.name, "Chưa tải lên bản chụp.")],
    )
    mine = client.get(f"/tai-khoan/ho-so/{filed.code}/").content.decode()
    assert f"/nop-truc-tuyen/ho-so/{filed.code}/bo-sung/" in mine
    page = client.get(f"/nop-truc-tuyen/ho-so/{filed.code}/bo-sung/")
    assert page.status_code == 200 and "Chưa tải lên bản chụp." in page.content.decode()

    empty = client.post(f"/nop-truc-tuyen/ho-so/{filed.code}/bo-sung/", {"note": "  "})
    assert empty.status_code == 400 and "Đính kèm giấy tờ" in empty.content.decode()
    bad = client.post(
        f"/nop-truc-tuyen/ho-so/{filed.code}/bo-sung/",
        {"note": "Bổ sung", "item-0": SimpleUploadedFile("x.pdf", b"not a pdf")},
    )
    assert bad.status_code == 400
    assert not DossierEvent.objects.filter(action=Action.SEND_SUPPLEMENT_ONLINE).exists()
    assert filed.attachments.count() == 0

    sent = client.post(
        f"/nop-truc-tuyen/ho-so/{filed.code}/bo-sung/",
        {"note": "Gửi bản chụp Giấy chứng sinh", "item-0": SimpleUploadedFile("gcs.jpg", JPEG)},
    )
    assert sent.status_code == 302
    event = DossierEvent.objects.get(action=Action.SEND_SUPPLEMENT_ONLINE)
    assert event.actor is not None
    assert event.actor.citizen_account.id_number == AN
    assert event.actor.get_full_name() == "Nguyễn Văn An"  # signed with the person's name
    assert event.data["names"] == ["gcs.jpg"] and event.note == "Gửi bản chụp Giấy chứng sinh"
    filed.refresh_from_db()
    assert filed.status == Status.SUPPLEMENT and filed.received_at is None  # waits for a clerk

    client.force_login(clerk)
    back_office = client.get(f"/backoffice/ho-so/{filed.code}/").content.decode()
    assert 'id="online-supplement"' in back_office and "gcs.jpg" in back_office
    assert "new-from-applicant" in back_office
    assert "Nguyễn Minh Khôi" in back_office  # the e-form's answers are on the page

    received = receive_submitted(filed, actor=clerk)  # complete now: the clock starts once
    assert received.status == Status.RECEIVED and received.received_at is not None


def test_replies_never_move_the_clock(client, filed, clerk, online_birth):
    component = certificate(online_birth.current_version)
    request_supplement_submitted(
        filed, actor=clerk, missing=[Missing(component.pk, component.name, "Thiếu")]
    )
    for n in range(2):
        client.post(
            f"/nop-truc-tuyen/ho-so/{filed.code}/bo-sung/",
            {"note": f"Lần {n}", "item-0": SimpleUploadedFile(f"p{n}.pdf", PDF)},
        )
    filed.refresh_from_db()
    assert (filed.received_at, filed.clock_start_at, filed.due_at) == (None, None, None)
    assert DossierEvent.objects.filter(action=Action.SEND_SUPPLEMENT_ONLINE).count() == 2


def test_a_supplement_cannot_be_sent_when_none_is_asked(client, filed):
    response = client.post(
        f"/nop-truc-tuyen/ho-so/{filed.code}/bo-sung/",
        {"note": "x", "item-0": SimpleUploadedFile("p.pdf", PDF)},
    )
    assert response.status_code == 400 and "không chờ bổ sung" in response.content.decode()
    assert not DossierEvent.objects.filter(action=Action.SEND_SUPPLEMENT_ONLINE).exists()


def test_withdrawal_asked_once_then_confirmed_by_the_clerk(client, filed, clerk):
    url = f"/nop-truc-tuyen/ho-so/{filed.code}/rut/"
    assert client.post(url, {"note": ""}).status_code == 400
    assert client.post(url, {"note": "Đã nộp nhầm thủ tục"}).status_code == 302
    assert client.post(url, {"note": "Đã nộp nhầm thủ tục"}).status_code == 302  # a double click
    asked = DossierEvent.objects.filter(dossier=filed, action=Action.ASK_WITHDRAWAL)
    assert asked.count() == 1 and asked.get().note == "Đã nộp nhầm thủ tục"
    filed.refresh_from_db()
    assert filed.status == Status.SUBMITTED  # the officer decides
    assert "cơ quan chưa xác nhận" in client.get(f"/tai-khoan/ho-so/{filed.code}/").content.decode()
    client.force_login(clerk)
    page = client.get(f"/backoffice/ho-so/{filed.code}/").content.decode()
    assert "Người nộp đề nghị rút hồ sơ" in page or "rút hồ sơ" in page
    withdraw(filed, actor=clerk, reason="Theo đề nghị trực tuyến của người nộp")
    filed.refresh_from_db()
    assert filed.status == Status.WITHDRAWN


def test_nobody_else_answers_or_withdraws(client, filed):
    client.post("/tai-khoan/dang-xuat/")
    client.cookies.clear()
    sign_in(client, citizen="tran-thi-binh")
    for path in ("bo-sung", "rut"):
        url = f"/nop-truc-tuyen/ho-so/{filed.code}/{path}/"
        assert client.get(url).status_code == 404
        assert client.post(url, {"note": "x"}).status_code == 404
    assert client.get(f"/nop-truc-tuyen/da-nop/{filed.code}/").status_code == 404
    assert not DossierEvent.objects.filter(action=Action.ASK_WITHDRAWAL).exists()


def test_a_result_of_an_earlier_dossier_is_reused(client, idp, online_birth, commune_agency, clerk):
    earlier = receive_dossier(
        complete_intake(
            online_birth, commune_agency, Applicant("citizen", "Nguyễn Văn An", AN, "0912345678")
        ),
        actor=clerk,
    )
    kept = attach_file(
        earlier, actor=clerk, upload=SimpleUploadedFile("trich-luc.pdf", PDF), kind="result"
    )
    # The result entered the registry when it was ready (registry.copies).
    registered = register_result(earlier, kept, actor=clerk)
    someone = receive_dossier(
        complete_intake(
            online_birth, commune_agency, Applicant("citizen", "Lê Khác", "042095000321", "")
        ),
        actor=clerk,
    )
    theirs = attach_file(
        someone, actor=clerk, upload=SimpleUploadedFile("cua-ho.pdf", PDF), kind="result"
    )
    sign_in(client)
    draft = start(client, online_birth, commune_agency)
    component = certificate(online_birth.current_version).pk
    base = f"/nop-truc-tuyen/ho-so-nhap/{draft.key}"
    assert "trich-luc.pdf" in client.get(f"{base}/").content.decode()
    assert "cua-ho.pdf" not in client.get(f"{base}/").content.decode()
    refused = client.post(f"{base}/dung-lai/", {"component": component, "document": theirs.pk})
    assert refused.status_code == 400 and not DraftFile.objects.exists()
    assert (
        client.post(f"{base}/dung-lai/", {"component": component, "document": kept.pk}).status_code
        == 302
    )
    assert (
        client.post(f"{base}/dung-lai/", {"component": component, "document": kept.pk}).status_code
        == 302
    )
    row = DraftFile.objects.get()
    assert row.reused_from == kept and row.file.name == kept.file.name
    client.post(f"{base}/to-khai/", answers())
    assert client.post(f"{base}/nop/").status_code == 302
    draft.refresh_from_db()
    assert draft.dossier is not None
    copy = draft.dossier.attachments.get()
    assert copy.original_name == "trich-luc.pdf" and copy.file.read() == PDF
    assert kept.file.storage.exists(str(kept.file.name))  # the first dossier keeps its file
    # Counted as a reuse of the registry (QĐ 766 4.3).
    reuse = Reuse.objects.get()
    assert (reuse.document, reuse.dossier, reuse.attachment) == (registered, draft.dossier, copy)
    registered.refresh_from_db()
    assert registered.reuse_count == 1


def test_drafts_expire_with_their_files(client, idp, online_birth, commune_agency):
    sign_in(client)
    draft = start(client, online_birth, commune_agency)
    component = certificate(online_birth.current_version).pk
    client.post(
        f"/nop-truc-tuyen/ho-so-nhap/{draft.key}/tep/",
        {"component": component, "files": [SimpleUploadedFile("a.pdf", PDF)]},
    )
    stored = DraftFile.objects.get()
    name, storage = str(stored.file.name), stored.file.storage
    assert storage.exists(name)
    Draft.objects.filter(pk=draft.pk).update(expires_at=draft.created_at)
    assert client.get(f"/nop-truc-tuyen/ho-so-nhap/{draft.key}/").status_code == 404
    assert services.expire_drafts() == 1
    assert not Draft.objects.exists() and not storage.exists(name)


def test_a_local_account_files_and_follows_its_own_dossier(
    client, online_birth, commune_agency, settings
):
    """A local account (no national sign-in) files online; it sees that dossier, answers for
    it, and nothing else under the number it typed."""
    from django.core import mail

    from motcua.accounts import local

    settings.MOTCUA_LOCAL_ACCOUNTS = True
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    account = local.register(
        full_name="Nguyễn Văn An",
        id_number=AN,
        contact_text="an@example.vn",
        password="hoa-sen-nở-2026",
    )
    code = re.search(r"\d{6}", str(mail.outbox[-1].body))
    assert code is not None
    local.confirm(account.pk, code.group(0))
    client.post(
        "/tai-khoan/dang-nhap/mat-khau/",
        {"contact": "an@example.vn", "password": "hoa-sen-nở-2026"},
    )
    draft = start(client, online_birth, commune_agency)
    assert draft.data["nguoi_yeu_cau"] == "Nguyễn Văn An"
    client.post(f"/nop-truc-tuyen/ho-so-nhap/{draft.key}/to-khai/", answers())
    assert client.post(f"/nop-truc-tuyen/ho-so-nhap/{draft.key}/nop/").status_code == 302
    draft.refresh_from_db()
    dossier = draft.dossier
    assert dossier is not None and dossier.filed_by == account.user
    assert dossier.code in client.get("/tai-khoan/ho-so/").content.decode()
    assert client.get(f"/nop-truc-tuyen/ho-so/{dossier.code}/rut/").status_code == 200
