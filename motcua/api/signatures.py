"""Digital signatures through the API (issue 17 §1; docs/signing.md).

POST /signatures/verify                                   public: a PDF's signatures judged
POST /dossiers/{code}/attachments/{id}/signing-sessions   staff: start a two-step signature
POST /signing-sessions/{id}/signature                     staff: finish it

The two-step flow is how an official's own token signs without reaching the server: the
local signing agent sends the certificate, signs the returned `to_be_signed` bytes (the CMS
signed attributes, DER) with SHA-256 (RSA PKCS#1 v1.5 or ECDSA) and sends the value back.
"""

import base64
import binascii
from datetime import datetime
from uuid import UUID

from django.http import HttpRequest
from ninja import File, Router, Schema, Status, UploadedFile

from motcua.signing import sessions
from motcua.signing.errors import SigningFailed
from motcua.signing.verify import verify_upload
from motcua.throttle.clients import client_address

from .auth import STAFF_AUTH
from .schemas.dossiers import LocalTime
from .schemas.responses import STAFF_WRITE, answers

public = Router(tags=["signatures"])
staff = Router(tags=["signatures"], auth=STAFF_AUTH)


class SignatureOut(Schema):
    field: str
    signer: str
    organisation: str
    certificate_sha256: str
    signed_at: datetime | None
    timestamp_at: datetime | None
    intact: bool
    valid: bool
    trusted: bool
    timestamp_ok: bool | None
    whole_document: bool
    ok: bool


class VerifyOut(Schema):
    readable: bool
    ok: bool
    error: str
    signatures: list[SignatureOut]


@public.post(
    "/verify",
    response=answers(VerifyOut, (400, 413, 422, 429)),
    summary="Check the digital signatures of a PDF",
    auth=None,
)
def verify(request: HttpRequest, file: File[UploadedFile]):
    """Who signed the PDF, when, whether it is intact since and whether the signer is trusted
    by this installation's roots. The file is not kept."""
    report = verify_upload(file, client=client_address(request))
    return {
        "readable": report.readable,
        "ok": report.ok,
        "error": report.error,
        "signatures": [
            {**s.as_dict(), "signed_at": s.signed_at, "timestamp_at": s.timestamp_at}
            for s in report.signatures
        ],
    }


class SessionIn(Schema):
    certificate: str  # base64 of the signer's certificate (DER)


class SessionOut(Schema):
    id: UUID
    to_be_signed: str  # base64 of the DER signed attributes
    digest_algorithm: str = "sha256"
    expires_at: LocalTime


class SignatureIn(Schema):
    signature: str  # base64 of the signature value over to_be_signed


class SignedOut(Schema):
    id: int
    signer: str
    certificate_sha256: str
    signed_at: LocalTime
    timestamp_at: LocalTime | None
    profile: str


def _b64(value: str) -> bytes:
    try:
        return base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise SigningFailed("bad_base64", "Not valid base64.", status=422) from exc


@staff.post(
    "/dossiers/{code}/attachments/{attachment_id}/signing-sessions",
    response=answers(SessionOut, STAFF_WRITE, status=201),
    summary="Start signing a result with the official's own token",
)
def open_session(request: HttpRequest, code: str, attachment_id: int, body: SessionIn):
    user = request.auth  # type: ignore[attr-defined]  # ninja sets it (api/auth.py)
    session = sessions.open_for(user, code, attachment_id, _b64(body.certificate))
    return Status(
        201,
        {
            "id": session.pk,
            "to_be_signed": base64.b64encode(bytes(session.signed_attributes)).decode(),
            "expires_at": session.expires_at,
        },
    )


@staff.post(
    "/signing-sessions/{session_id}/signature",
    response=answers(SignedOut, STAFF_WRITE),
    summary="Finish a two-step signature",
)
def finish_session(request: HttpRequest, session_id: UUID, body: SignatureIn):
    """Idempotent: sending the same signature again answers the same signed document."""
    user = request.auth  # type: ignore[attr-defined]  # ninja sets it (api/auth.py)
    document = sessions.finish_session(session_id, actor=user, signature_value=_b64(body.signature))
    return {
        "id": document.pk,
        "signer": document.signer_subject,
        "certificate_sha256": document.certificate_sha256,
        "signed_at": document.signed_at,
        "timestamp_at": document.timestamp_at,
        "profile": document.profile,
    }
