"""The public verification page and API (issue 17 §1), and the two-step signing of a result
with an official's own token through the API: a local agent simulated with the official's key
signs what the server returns; the finished PDF validates in both tools."""

import base64
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from django.core.files.uploadedfile import SimpleUploadedFile

from motcua.audit.models import AuditEvent
from motcua.dossiers.attachments import attach_file
from motcua.organisations.tokens import issue_token
from motcua.signing import backends, service
from motcua.signing.models import SignedDocument, SigningSession

from .conftest import PASSPHRASE, pdfsig, result_pdf, upload
from .test_backends import COPY, flipped, p12_spec

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed(demo_pki) -> bytes:
    folder, _ = demo_pki
    with backends.open_signer(p12_spec(folder)) as signer:
        return service.sign_pdf(result_pdf(), signer=signer, look=COPY)


def post_page(client, name: str, data: bytes):
    return client.post("/xac-thuc-chu-ky/", {"file": SimpleUploadedFile(name, data)})


def test_the_page_says_who_signed_and_that_it_is_intact(client, signed):
    response = post_page(client, "ket-qua.pdf", signed)
    page = response.content.decode()
    assert response.status_code == 200
    assert "UBND phường Thành Sen" in page and "ket-qua.pdf" in page
    assert "Mọi chữ ký đều hợp lệ" in page
    assert response["Cache-Control"].startswith("max-age=0")


def test_the_page_reports_a_changed_document(client, signed):
    page = post_page(client, "ket-qua.pdf", flipped(signed)).content.decode()
    assert "Có ít nhất một chữ ký không hợp lệ" in page
    assert "tài liệu đã bị thay đổi sau khi ký" in page


def test_the_page_in_english(client, signed):
    client.cookies["django_language"] = "en"
    page = post_page(client, "result.pdf", signed).content.decode()
    assert "Every signature is valid" in page


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"GIF89a not a pdf", "tệp không phải pdf."),
        (b"%PDF-1.4 rubbish", "không phải pdf đọc được"),
        (None, "không có chữ ký số"),
    ],
)
def test_bad_uploads_get_a_clear_answer(client, data, expected):
    response = post_page(client, "x.pdf", data if data is not None else result_pdf())
    assert response.status_code in (200, 400)
    assert expected in response.content.decode().lower()


def test_the_name_of_the_file_is_never_markup(client, signed):
    page = post_page(client, "<img src=x onerror=alert(1)>.pdf", signed).content.decode()
    assert "<img src=x" not in page and "&lt;img src=x onerror=alert(1)&gt;.pdf" in page


def test_the_api_answers_the_same(client, signed):
    response = client.post(
        "/api/v1/signatures/verify", {"file": SimpleUploadedFile("k.pdf", signed)}
    )
    body = response.json()
    assert response.status_code == 200 and body["ok"] is True
    (only,) = body["signatures"]
    assert only["signer"] == "UBND phường Thành Sen" and only["trusted"] is True
    bad = client.post(
        "/api/v1/signatures/verify", {"file": SimpleUploadedFile("k.pdf", flipped(signed))}
    ).json()
    assert bad["ok"] is False and bad["signatures"][0]["intact"] is False
    refused = client.post("/api/v1/signatures/verify", {"file": SimpleUploadedFile("k.pdf", b"x")})
    assert refused.status_code == 400 and refused.json()["error"]["code"] == "not_a_pdf"


def test_checks_are_limited_per_address(client, signed, settings):
    settings.MOTCUA_VERIFY_PER_HOUR = 2
    for _ in range(2):
        assert post_page(client, "k.pdf", signed).status_code == 200
    assert post_page(client, "k.pdf", signed).status_code == 429


# --- two-step signing with the official's own token ---------------------------------------


def agent_key(folder: Path):
    key, cert, _ = pkcs12.load_key_and_certificates(
        (folder / "official.p12").read_bytes(), PASSPHRASE.encode()
    )
    assert isinstance(key, rsa.RSAPrivateKey) and cert is not None
    return key, cert.public_bytes(serialization.Encoding.DER)


@pytest.fixture
def result_file(processing, specialist):
    return attach_file(processing, actor=specialist, upload=upload(), kind="result")


def bearer(user) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {issue_token(user, name='agent').plain}"}


def test_an_official_signs_a_result_on_their_own_token(
    client, demo_pki, result_file, leader, specialist, nss, tmp_path
):
    folder, _ = demo_pki
    key, cert = agent_key(folder)
    code = result_file.dossier.code
    url = f"/api/v1/dossiers/{code}/attachments/{result_file.pk}/signing-sessions"
    body = {"certificate": base64.b64encode(cert).decode()}
    # A specialist may not sign the agency's result.
    refused = client.post(url, body, content_type="application/json", **bearer(specialist))
    assert refused.status_code == 403
    opened = client.post(url, body, content_type="application/json", **bearer(leader))
    assert opened.status_code == 201, opened.content
    session = opened.json()
    to_sign = base64.b64decode(session["to_be_signed"])
    value = key.sign(to_sign, padding.PKCS1v15(), hashes.SHA256())
    finish = f"/api/v1/signing-sessions/{session['id']}/signature"
    headers = bearer(leader)
    # A value that is not the signature of these bytes is refused, and nothing is kept.
    wrong = key.sign(to_sign + b"x", padding.PKCS1v15(), hashes.SHA256())
    answer = client.post(
        finish,
        {"signature": base64.b64encode(wrong).decode()},
        content_type="application/json",
        **headers,
    )
    assert answer.status_code == 400 and answer.json()["error"]["code"] == "signature_mismatch"
    assert not SignedDocument.objects.exists()
    good = {"signature": base64.b64encode(value).decode()}
    done = client.post(finish, good, content_type="application/json", **headers)
    assert done.status_code == 200, done.content
    again = client.post(finish, good, content_type="application/json", **headers)
    assert again.json()["id"] == done.json()["id"]  # a retry signs nothing twice
    document = SignedDocument.objects.get()
    assert document.signer_subject == "Nguyễn Văn Phúc" and document.timestamp_at is not None
    path = tmp_path / "signed.pdf"
    path.write_bytes(document.file.read())
    out = pdfsig(path, nss)
    assert "Signature is Valid" in out and "Certificate is Trusted" in out, out
    assert SigningSession.objects.get().state == "finished"
    assert AuditEvent.objects.filter(action="signing_session.opened").count() == 1


def test_an_expired_session_cannot_be_finished(client, demo_pki, result_file, leader):
    folder, _ = demo_pki
    key, cert = agent_key(folder)
    code = result_file.dossier.code
    url = f"/api/v1/dossiers/{code}/attachments/{result_file.pk}/signing-sessions"
    body = {"certificate": base64.b64encode(cert).decode()}
    session = client.post(url, body, content_type="application/json", **bearer(leader)).json()
    SigningSession.objects.update(expires_at="2020-01-01T00:00:00Z")
    value = key.sign(base64.b64decode(session["to_be_signed"]), padding.PKCS1v15(), hashes.SHA256())
    answer = client.post(
        f"/api/v1/signing-sessions/{session['id']}/signature",
        {"signature": base64.b64encode(value).decode()},
        content_type="application/json",
        **bearer(leader),
    )
    assert answer.status_code == 409 and answer.json()["error"]["code"] == "session_expired"


def test_garbage_certificates_and_signatures_are_refused(client, result_file, leader):
    code = result_file.dossier.code
    url = f"/api/v1/dossiers/{code}/attachments/{result_file.pk}/signing-sessions"
    for certificate in ("not base64!", base64.b64encode(b"not a certificate").decode()):
        answer = client.post(
            url, {"certificate": certificate}, content_type="application/json", **bearer(leader)
        )
        assert answer.status_code in (400, 422), answer.content
