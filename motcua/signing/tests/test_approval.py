"""The leader's approval signs the result (issue 17 §1), through the back office's door: the
signed PDF is kept with the dossier, validates, carries the leader's appearance, is what the
doors hand out; a token that cannot be opened refuses the approval and changes nothing."""

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from motcua.audit.models import AuditEvent
from motcua.dossiers.attachments import attach_file
from motcua.dossiers.models import Dossier
from motcua.dossiers.processing import complete_step
from motcua.dossiers.status import Status
from motcua.signing import validation
from motcua.signing.backends import Backend
from motcua.signing.models import SignatureImage, SignedDocument, SigningKey

from .conftest import MONDAY, at, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def awaiting_approval(processing, specialist, department_head, commune_specialist, clerk):
    with at(MONDAY):
        for actor in (specialist, department_head, commune_specialist):
            complete_step(processing, actor=actor)
    attach_file(processing, actor=specialist, upload=upload(), kind="result")
    return Dossier.objects.get(pk=processing.pk)


@pytest.fixture
def seal_key(justice_department, demo_pki):
    folder, _ = demo_pki
    return SigningKey.objects.create(
        agency=justice_department,
        purpose=SigningKey.Purpose.RESULT,
        backend=Backend.PKCS12,
        name="Sở Tư pháp",
        pkcs12_path=str(folder / "seal.p12"),
        secret_env="MOTCUA_TEST_PASSPHRASE",
    )


def approve(client, dossier, leader):
    client.force_login(leader)
    data = {"approve-version": dossier.version, "approve-note": "Đồng ý"}
    return client.post(reverse("backoffice:act", args=[dossier.code, "approve"]), data, follow=True)


def test_approval_signs_the_result_with_the_leaders_appearance(
    client, awaiting_approval, leader, seal_key, justice_department
):
    from motcua.signing import images

    SignatureImage.objects.create(
        agency=justice_department,
        kind=SignatureImage.Kind.SEAL,
        png=images.recolour(
            images.demo_image("seal", top="UBND", middle="", bottom="SỞ"), images.RED
        ),
    )
    SignatureImage.objects.create(
        agency=justice_department,
        kind=SignatureImage.Kind.SIGNATURE,
        official=leader,
        title="GIÁM ĐỐC",
        png=images.recolour(images.demo_image("signature"), images.BLUE),
    )
    response = approve(client, awaiting_approval, leader)
    assert response.status_code == 200
    assert not [m for m in response.context["messages"] if m.level_tag == "error"]
    (signed,) = SignedDocument.objects.filter(dossier=awaiting_approval)
    assert signed.kind == "result" and signed.key == seal_key and signed.signed_by == leader
    assert signed.timestamp_at is not None and signed.profile == "PAdES-B-T"
    data = signed.file.read()
    report = validation.validate(data)
    assert report.ok and report.signatures[0].certificate_sha256 == signed.certificate_sha256
    # The visible signature sits on the last page, as a widget with an appearance.
    reader = PdfReader(io.BytesIO(data))
    widgets = [a.get_object() for a in reader.pages[-1].get("/Annots", [])]
    assert any(w.get("/FT") == "/Sig" and w.get("/AP") for w in widgets)
    assert AuditEvent.objects.filter(action="signed_document.created").count() == 1
    page = client.get(reverse("backoffice:dossier", args=[awaiting_approval.code])).content.decode()
    assert "đã ký số" in page and "UBND phường Thành Sen" in page
    # Both doors now hand out the signed version.
    attachment = signed.source
    assert attachment is not None
    served = client.get(
        reverse("backoffice:attachment", args=[awaiting_approval.code, attachment.pk])
    )
    assert b"".join(served.streaming_content) == data


def test_a_token_that_cannot_be_opened_refuses_the_approval(
    client, awaiting_approval, leader, seal_key, monkeypatch
):
    monkeypatch.setenv("MOTCUA_TEST_PASSPHRASE", "sai-mat-khau")
    before = awaiting_approval.version
    response = approve(client, awaiting_approval, leader)
    assert response.status_code == 503  # the dossier page again, what was typed kept
    (error,) = [str(m) for m in response.context["messages"] if m.level_tag == "error"]
    assert "Could not load key" in error or "passphrase" in error or "mật khẩu" in error, error
    dossier = Dossier.objects.get(pk=awaiting_approval.pk)
    assert dossier.version == before and dossier.status == Status.PROCESSING
    assert not SignedDocument.objects.exists()


def test_without_a_result_key_the_approval_goes_on_unsigned(client, awaiting_approval, leader):
    approve(client, awaiting_approval, leader)
    assert Dossier.objects.get(pk=awaiting_approval.pk).version > awaiting_approval.version
    assert not SignedDocument.objects.exists()


def test_forms_are_sealed_when_the_deployment_says_so(
    client, receive, centre_clerk, centre, demo_pki, settings, nss, tmp_path
):
    from .conftest import pdfsig

    folder, _ = demo_pki
    SigningKey.objects.create(
        agency=centre,
        purpose=SigningKey.Purpose.SEAL,
        backend=Backend.PKCS12,
        name="Trung tâm",
        pkcs12_path=str(folder / "seal.p12"),
        secret_env="MOTCUA_TEST_PASSPHRASE",
    )
    dossier = receive()
    client.force_login(centre_clerk)
    url = reverse("backoffice:print", args=[dossier.code, "01"])
    unsigned = client.get(url).content
    assert not validation.validate(unsigned).signatures
    settings.MOTCUA_SIGN_FORMS = True
    sealed = client.get(url).content
    path = tmp_path / "mau-01.pdf"
    path.write_bytes(sealed)
    assert "Signature is Valid" in pdfsig(path, nss)
    client.get(url)  # printed again: the latest kept, one per form
    (kept,) = SignedDocument.objects.filter(dossier=dossier, kind="form", form_number="01")
    assert validation.validate(kept.file.read()).ok


def test_the_citizen_downloads_the_signed_result(client, idp, awaiting_approval, leader, seal_key):
    """Issue 17, done means: the citizen downloads the signed result from the portal and it is
    valid. The dossier's applicant is the fake national provider's nguyen-van-an."""
    from motcua.accounts.tests.conftest import sign_in

    Dossier.objects.filter(pk=awaiting_approval.pk).update(applicant_id_number="042090001234")
    approve(client, awaiting_approval, leader)
    signed = SignedDocument.objects.get()
    client.logout()
    sign_in(client)
    assert signed.source is not None
    url = f"/tai-khoan/ho-so/{awaiting_approval.code}/ket-qua/{signed.source.pk}/"
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    data = b"".join(response.streaming_content)
    assert data == signed.file.read() and validation.validate(data).ok
