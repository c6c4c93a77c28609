"""Filing online through HTTP (issue 15 §2): start, the e-form saved as typed with the provider's
fields taken from the account, files checked by content, the delivery choice, the review, the
submission (once, whatever the clicks) and the acknowledgement; the dossier in status 1 with
its answers and files, received by a clerk by the same rule as at the counter."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from motcua.dossiers.intake import receive_submitted
from motcua.dossiers.models import Attachment, Dossier, DossierEvent
from motcua.dossiers.status import Action, Status
from motcua.filing.models import Draft, DraftFile

from .conftest import AN, JPEG, PDF, answers, sign_in

pytestmark = pytest.mark.django_db


def start(client, procedure, agency) -> Draft:
    response = client.post(f"/nop-truc-tuyen/{procedure.code}/", {"agency": agency.pk})
    assert response.status_code == 302, response.content.decode()[:500]
    found = re.search(r"/ho-so-nhap/([0-9a-f-]{36})/", response["Location"])
    assert found is not None
    return Draft.objects.get(key=found.group(1))


def certificate(version):
    return next(c for c in version.documents() if c.name == "Giấy chứng sinh")


def test_the_start_page_asks_to_sign_in_then_starts_one_draft(
    client, idp, online_birth, commune_agency
):
    page = client.get(f"/nop-truc-tuyen/{online_birth.code}/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "/tai-khoan/dang-nhap/?next=" in text and "Giấy chứng sinh" in text
    anonymous = client.post(f"/nop-truc-tuyen/{online_birth.code}/", {"agency": commune_agency.pk})
    assert anonymous.status_code == 302 and "/tai-khoan/dang-nhap/" in anonymous["Location"]
    assert not Draft.objects.exists()
    sign_in(client)
    first = start(client, online_birth, commune_agency)
    again = start(client, online_birth, commune_agency)  # a second click resumes it
    assert first.pk == again.pk and Draft.objects.count() == 1
    assert first.data["nguoi_yeu_cau"] == "Nguyễn Văn An" and first.data["so_dinh_danh"] == AN


def test_an_agency_that_does_not_carry_it_out_is_refused(
    client, idp, online_birth, other_commune_agency
):
    sign_in(client)
    response = client.post(
        f"/nop-truc-tuyen/{online_birth.code}/", {"agency": other_commune_agency.pk}
    )
    assert response.status_code == 400
    assert not Draft.objects.exists()


def test_a_procedure_not_offered_online_says_so(client, birth_registration):
    version = birth_registration.current_version
    version.online_level = "none"
    version.save(update_fields=["online_level"])
    response = client.get(f"/nop-truc-tuyen/{birth_registration.code}/")
    assert response.status_code == 404
    assert "không thể nộp trực tuyến" in response.content.decode().lower()


def test_filing_a_birth_registration_end_to_end(client, idp, online_birth, commune_agency, clerk):
    sign_in(client)
    draft = start(client, online_birth, commune_agency)
    base = f"/nop-truc-tuyen/ho-so-nhap/{draft.key}"
    page = client.get(f"{base}/").content.decode()
    assert 'name="nguoi_yeu_cau"' in page and "disabled" in page

    # A tampered provider field is ignored: the account's value stays.
    saved = client.post(f"{base}/to-khai/", answers(nguoi_yeu_cau="Kẻ Giả Mạo", ho_ten_tre=None))
    assert saved.status_code == 302
    draft.refresh_from_db()
    assert draft.data["nguoi_yeu_cau"] == "Nguyễn Văn An" and "ho_ten_tre" not in draft.data
    review = client.get(f"{base}/xem-lai/")
    assert review.status_code == 200 and "Nộp hồ sơ" not in review.content.decode()
    refused = client.post(f"{base}/nop/")
    assert refused.status_code == 422 and not Dossier.objects.exists()

    client.post(f"{base}/to-khai/", answers())
    upload = client.post(
        f"{base}/tep/",
        {
            "component": certificate(online_birth.current_version).pk,
            "files": [
                SimpleUploadedFile("chung-sinh-1.pdf", PDF, "application/pdf"),
                SimpleUploadedFile("chung-sinh-2.jpg", JPEG, "image/jpeg"),
            ],
        },
    )
    assert upload.status_code == 302
    no_address = client.post(f"{base}/nhan-ket-qua/", {"result_delivery": "postal"})
    assert no_address.status_code == 400
    assert "địa chỉ" in no_address.content.decode()
    draft.refresh_from_db()
    assert draft.result_delivery == "in_person"  # nothing changed
    client.post(
        f"{base}/nhan-ket-qua/",
        {"result_delivery": "postal", "delivery_address": "12 Nguyễn Du, Thành Sen"},
    )
    review = client.get(f"{base}/xem-lai/").content.decode()
    assert "Nguyễn Minh Khôi" in review and "Nộp hồ sơ" in review

    submitted = client.post(f"{base}/nop/")
    assert submitted.status_code == 302
    dossier = Dossier.objects.get()
    assert submitted["Location"] == f"/nop-truc-tuyen/da-nop/{dossier.code}/"
    assert client.post(f"{base}/nop/")["Location"] == submitted["Location"]  # a double click
    assert Dossier.objects.count() == 1
    assert (dossier.status, dossier.channel) == (Status.SUBMITTED, "online")
    assert dossier.applicant_id_number == AN and dossier.applicant_name == "Nguyễn Văn An"
    assert dossier.form_data["ho_ten_tre"] == "Nguyễn Minh Khôi"
    assert dossier.form_data["nam_sinh_me"] == 1994 and dossier.form_data["cam_doan"] is True
    assert (dossier.result_delivery, dossier.delivery_address) == (
        "postal",
        "12 Nguyễn Du, Thành Sen",
    )
    scans = list(dossier.attachments.order_by("pk"))
    assert [a.original_name for a in scans] == ["chung-sinh-1.pdf", "chung-sinh-2.jpg"]
    assert all(a.kind == Attachment.Kind.SCAN for a in scans)
    assert [a.component.name if a.component else "" for a in scans] == ["Giấy chứng sinh"] * 2
    assert scans[0].file.read() == PDF
    assert DossierEvent.objects.filter(dossier=dossier, action=Action.SUBMIT_ONLINE).count() == 1
    assert (
        not DraftFile.objects.filter(draft__dossier=dossier)
        .exclude(file="")
        .filter(reused_from__isnull=False)
        .exists()
    )

    ack = client.get(submitted["Location"]).content.decode()
    assert dossier.code in ack and "<svg" in ack
    assert dossier.code in client.get("/tai-khoan/ho-so/").content.decode()
    assert client.get(f"{base}/").status_code == 404  # submitted: no longer a draft

    # The clerk receives it by the counter's rule: the e-form stands for the declaration,
    # the certificate was uploaded.
    received = receive_submitted(dossier, actor=clerk)
    assert received.status == Status.RECEIVED


def test_answers_that_cannot_be_read_are_kept_and_marked(client, idp, online_birth, commune_agency):
    sign_in(client)
    draft = start(client, online_birth, commune_agency)
    response = client.post(
        f"/nop-truc-tuyen/ho-so-nhap/{draft.key}/to-khai/",
        answers(nam_sinh_me="một chín chín bốn", ngay_sinh="31/02/2026"),
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert "một chín chín bốn" in text and "Nguyễn Minh Khôi" in text
    assert text.count('class="error-text"') >= 2
    draft.refresh_from_db()
    assert "ho_ten_tre" not in draft.data  # nothing half-saved


def test_the_schema_rules_on_submission(client, idp, online_birth, commune_agency):
    """A declaration not ticked, a father without his year of birth (dependentRequired):
    the review names them and submission is refused."""
    sign_in(client)
    draft = start(client, online_birth, commune_agency)
    base = f"/nop-truc-tuyen/ho-so-nhap/{draft.key}"
    client.post(f"{base}/to-khai/", answers(cam_doan=None, ho_ten_cha="Nguyễn Văn An"))
    review = client.get(f"{base}/xem-lai/").content.decode()
    assert review.count("Trường này bắt buộc") == 2  # the declaration, the father's year
    client.post(f"{base}/to-khai/", answers(ho_ten_cha="Nguyễn Văn An", nam_sinh_cha="1990"))
    assert "Trường này bắt buộc" not in client.get(f"{base}/xem-lai/").content.decode()
    draft.data["cam_doan"] = False  # a declaration sent as "no" (by hand, not from the page)
    draft.save(update_fields=["data"])
    review = client.get(f"{base}/xem-lai/").content.decode()
    assert "Bạn phải xác nhận nội dung này" in review
    assert client.post(f"{base}/nop/").status_code == 422
    assert not Dossier.objects.exists()


def test_files_are_checked_by_their_content(client, idp, online_birth, commune_agency, settings):
    sign_in(client)
    draft = start(client, online_birth, commune_agency)
    component = certificate(online_birth.current_version).pk
    url = f"/nop-truc-tuyen/ho-so-nhap/{draft.key}/tep/"
    fake = SimpleUploadedFile("giay.pdf", b"MZ\x90\x00 not a pdf", "application/pdf")
    response = client.post(url, {"component": component, "files": [fake]})
    assert response.status_code == 400 and "PDF, JPEG, PNG" in response.content.decode()
    settings.MOTCUA_MAX_UPLOAD_MB = 1
    big = SimpleUploadedFile("lon.pdf", PDF + b"0" * 1024 * 1024, "application/pdf")
    response = client.post(url, {"component": component, "files": [big]})
    assert response.status_code == 400 and "1 MB" in response.content.decode()
    unknown = client.post(url, {"component": 999999, "files": [SimpleUploadedFile("a.pdf", PDF)]})
    assert unknown.status_code == 400
    assert not DraftFile.objects.exists()
    ok = client.post(url, {"component": component, "files": [SimpleUploadedFile("a.pdf", PDF)]})
    assert ok.status_code == 302
    row = DraftFile.objects.get()
    assert (
        client.post(f"/nop-truc-tuyen/ho-so-nhap/{draft.key}/tep/{row.pk}/xoa/").status_code == 302
    )
    assert not DraftFile.objects.exists()


def test_nobody_else_reaches_a_draft(client, idp, online_birth, commune_agency):
    sign_in(client)
    draft = start(client, online_birth, commune_agency)
    client.post("/tai-khoan/dang-xuat/")
    client.cookies.clear()
    sign_in(client, citizen="tran-thi-binh")
    base = f"/nop-truc-tuyen/ho-so-nhap/{draft.key}"
    assert client.get(f"{base}/").status_code == 404
    assert client.get(f"{base}/xem-lai/").status_code == 404
    assert client.post(f"{base}/to-khai/", answers()).status_code == 404
    pdf = SimpleUploadedFile("a.pdf", PDF)
    component = certificate(online_birth.current_version).pk
    assert client.post(f"{base}/tep/", {"component": component, "files": [pdf]}).status_code == 404
    assert client.post(f"{base}/nop/").status_code == 404
    draft.refresh_from_db()
    assert "ho_ten_tre" not in draft.data and not draft.files.exists()


def test_staff_are_sent_to_the_citizen_sign_in(client, online_birth, commune_agency, clerk):
    client.force_login(clerk)
    response = client.get("/nop-truc-tuyen/ho-so-nhap/")
    assert response.status_code == 302 and "/tai-khoan/dang-nhap/" in response["Location"]


def test_a_business_files_what_businesses_file(client, idp, online_birth, commune_agency):
    """Birth registration is for citizens: a business account is told so, nothing is created.
    A procedure for organisations is filed in the business's name and tax code."""
    version = online_birth.current_version
    version.applicant_types = ["citizen"]
    version.save(update_fields=["applicant_types"])
    sign_in(client, citizen="cong-ty-thanh-sen")
    refused = client.post(f"/nop-truc-tuyen/{online_birth.code}/", {"agency": commune_agency.pk})
    assert refused.status_code == 400 and "doanh nghiệp" in refused.content.decode()
    assert not Draft.objects.exists()
    version.applicant_types = ["enterprise", "organisation"]
    version.eform = {}
    version.save(update_fields=["applicant_types", "eform"])
    draft = start(client, online_birth, commune_agency)
    component = certificate(version).pk
    client.post(
        f"/nop-truc-tuyen/ho-so-nhap/{draft.key}/tep/",
        {"component": component, "files": [SimpleUploadedFile("a.pdf", PDF)]},
    )
    assert client.post(f"/nop-truc-tuyen/ho-so-nhap/{draft.key}/nop/").status_code == 302
    dossier = Dossier.objects.get()
    assert (dossier.applicant_type, dossier.applicant_id_type) == ("enterprise", "tax_code")
    assert dossier.applicant_name == "Công ty TNHH Thành Sen"
    assert dossier.applicant_id_number == "3001234567"
