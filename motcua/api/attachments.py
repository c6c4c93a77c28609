"""Scans and result files of a dossier through the API: the same service and the same
permission rules as the back-office pages (dossiers.attachments).

GET  /dossiers/{code}/attachments        the dossier's files
POST /dossiers/{code}/attachments        multipart: `file`, `kind` (scan|result), optional
                                         `component_id` (the handed-in document it scans,
                                         which is then marked digitised)
GET  /dossiers/{code}/attachments/{id}   the file itself

The type is decided by the content (PDF, JPEG, PNG, TIFF; otherwise 422), files larger than
MOTCUA_MAX_UPLOAD_MB answer 413, and nothing is stored when a check fails.
"""

from enum import StrEnum

from django.http import FileResponse, HttpRequest
from ninja import File, Form, Router, UploadedFile

from motcua.dossiers.attachments import (
    FILE_TYPES,
    attach_file,
    content_sha256,
    download_response,
    get_attachment_for,
    unknown_component,
)
from motcua.dossiers.models import Attachment, Dossier, DossierComponent
from motcua.dossiers.permissions import get_dossier_for

from .auth import STAFF_AUTH
from .idempotency import IdempotencyKey, created, request_fingerprint
from .schemas.attachments import AttachmentOut
from .schemas.responses import STAFF_READ, STAFF_WRITE, answers

router = Router(tags=["attachments"], auth=STAFF_AUTH)


class AttachedKind(StrEnum):
    """What staff attach: a consulted agency's files come with its answer
    (POST /dossiers/{code}/answer-consultation)."""

    SCAN = Attachment.Kind.SCAN.value
    RESULT = Attachment.Kind.RESULT.value


BINARY = {"schema": {"type": "string", "format": "binary"}}
FILE_CONTENT = {
    "content": {file_type.content_type: BINARY for file_type in FILE_TYPES},
    "description": "The file, with the content type its content showed when it was attached",
}


@router.get(
    "/{code}/attachments",
    response=answers(list[AttachmentOut], STAFF_READ),
    summary="Files attached to a dossier",
)
def list_attachments(request: HttpRequest, code: str):
    dossier = get_dossier_for(request.auth, code)
    return dossier.attachments.select_related("dossier", "uploaded_by").order_by(
        "uploaded_at", "id"
    )


@router.post(
    "/{code}/attachments",
    response=answers(AttachmentOut, STAFF_WRITE, status=201),
    summary="Attach a scan or a result file",
)
def upload_attachment(
    request: HttpRequest,
    code: str,
    file: File[UploadedFile],
    kind: Form[AttachedKind],
    component_id: Form[int | None] = None,
    idempotency_key: IdempotencyKey = None,
):
    """A scan (of one handed-in document when `component_id` is given: it is then marked
    digitised) or a result file. Staff working on the dossier only; not once it is closed.
    With `Idempotency-Key`, a retry answers the first result instead of a second file (the
    same key with another file, kind or document: 422)."""
    dossier = get_dossier_for(request.auth, code)
    fingerprint = None
    if idempotency_key is not None:
        what = (kind, str(component_id), file.name or "", content_sha256(file))
        fingerprint = request_fingerprint(request, *what)
    return created(
        request,
        idempotency_key,
        lambda: attach_file(
            dossier,
            actor=request.auth,
            upload=file,
            kind=kind,
            component=_component(dossier, component_id),
        ),
        render=lambda attachment: attachment,
        schema=AttachmentOut,
        fingerprint=fingerprint,
    )


@router.get(
    "/{code}/attachments/{attachment_id}",
    response=answers(None, STAFF_READ),
    openapi_extra={"responses": {200: FILE_CONTENT}},
    summary="Download an attached file",
    url_name="dossier_attachment",
)
def download_attachment(request: HttpRequest, code: str, attachment_id: int) -> FileResponse:
    return download_response(get_attachment_for(request.auth, code, attachment_id))


def _component(dossier: Dossier, component_id: int | None) -> DossierComponent | None:
    if component_id is None:
        return None
    component = dossier.components.filter(pk=component_id).first()
    if component is None:
        raise unknown_component()
    return component
