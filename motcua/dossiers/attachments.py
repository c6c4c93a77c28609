"""Scans and result files attached to a dossier.

Paper handed in is digitised at receipt (Decree 118/2025 art. 17(1)(c), Circular 01/2023);
results are stored for reuse (Decree 61/2018 art. 20). The file type is decided by the
file's content, never by its name or the browser's claim: PDF, JPEG, PNG and TIFF are
accepted. Files are stored through Django's storage API (MEDIA_ROOT, outside the static
root; S3-compatible storage in a province) and served only by permission-checked views.
Everything is checked before the file is written.
"""

import hashlib
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import File
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.http import FileResponse, Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from . import policy
from .errors import DossierError
from .events import record
from .models import Attachment, Consultation, Dossier, DossierComponent
from .permissions import get_dossier_for
from .policy import Operation
from .status import Action, transition


@dataclass(frozen=True)
class FileType:
    magic: bytes
    content_type: str
    extension: str


FILE_TYPES = (
    FileType(b"%PDF-", "application/pdf", ".pdf"),
    FileType(b"\xff\xd8\xff", "image/jpeg", ".jpg"),
    FileType(b"\x89PNG\r\n\x1a\n", "image/png", ".png"),
    FileType(b"II*\x00", "image/tiff", ".tif"),
    FileType(b"MM\x00*", "image/tiff", ".tif"),
)
INLINE_TYPES = {"application/pdf", "image/jpeg", "image/png"}
# What staff attach themselves (attach_file); a consulted agency's files come with its answer.
ATTACHED_KINDS = (
    (Attachment.Kind.SCAN.value, Attachment.Kind.SCAN.label),
    (Attachment.Kind.RESULT.value, Attachment.Kind.RESULT.label),
)


def sniff(head: bytes) -> FileType:
    for file_type in FILE_TYPES:
        if head.startswith(file_type.magic):
            return file_type
    raise DossierError(
        "unsupported_file_type",
        _("Only PDF, JPEG, PNG or TIFF files can be attached."),
        status=422,
    )


def digest(upload: File) -> tuple[str, bytes]:
    sha, head = hashlib.sha256(), b""
    upload.seek(0)
    for chunk in upload.chunks():
        head = head or chunk[:16]
        sha.update(chunk)
    upload.seek(0)
    return sha.hexdigest(), head


def content_sha256(upload: File) -> str:
    """The file's sha256 (read through, then back at its start)."""
    return digest(upload)[0]


def check_size(upload: File) -> None:
    limit = settings.MOTCUA_MAX_UPLOAD_MB * 1024 * 1024
    if not upload.size:
        raise DossierError("empty_file", _("The file is empty."), status=422)
    if upload.size > limit:
        raise DossierError(
            "file_too_large",
            _("Files can be at most %(mb)s MB.") % {"mb": settings.MOTCUA_MAX_UPLOAD_MB},
            status=413,
        )


def unknown_component() -> DossierError:
    return DossierError("unknown_component", _("That document is not in this dossier."), status=422)


def prepare(
    dossier: Dossier,
    *,
    actor,
    upload: File,
    kind: str,
    component: DossierComponent | None = None,
    consultation: Consultation | None = None,
) -> tuple[Attachment, File]:
    """The attachment row for `upload`, checked (size, type by content), nothing written."""
    check_size(upload)
    sha256, head = digest(upload)
    file_type = sniff(head)
    attachment = Attachment(
        dossier=dossier,
        component=component,
        consultation=consultation,
        kind=kind,
        original_name=(upload.name or "file")[:255],
        content_type=file_type.content_type,
        size=upload.size,
        sha256=sha256,
        extension=file_type.extension,
        uploaded_by=actor,
        uploaded_at=timezone.now(),
    )
    return attachment, upload


# Apps that look at files once they are stored register here, in their AppConfig.ready:
# stored(attachments) is called in the transaction that saved their rows (signing: a PDF
# that carries signatures has them validated on receipt).
_on_stored: list[Callable[[list[Attachment]], None]] = []


def when_stored(callback: Callable[[list[Attachment]], None]) -> None:
    if callback not in _on_stored:
        _on_stored.append(callback)


def store(prepared: list[tuple[Attachment, File]], save_rows: Callable[[], object]) -> None:
    """Write the prepared files, then `save_rows()` in a savepoint. The files are written
    before the rows, so that a committed row always has its file; if what follows fails,
    the files written here are removed, and a rollback further out leaves orphans that
    orphans.prune_orphan_files removes later."""
    written: list[Attachment] = []
    try:
        for attachment, upload in prepared:
            attachment.file.save(f"{attachment.sha256}{attachment.extension}", upload, save=False)
            written.append(attachment)
        with transaction.atomic():  # a savepoint: a failure undoes these rows only
            save_rows()
            for callback in _on_stored:
                callback([attachment for attachment, _upload in prepared])
    except BaseException:
        for attachment in written:
            attachment.file.storage.delete(attachment.file.name)
        raise


@transaction.atomic
def attach_file(
    dossier: Dossier,
    *,
    actor,
    upload: UploadedFile,
    kind: str,
    component: DossierComponent | None = None,
) -> Attachment:
    """Attach a scan (optionally of one handed-in document, which is then marked digitised)
    or a result file. Staff working on the dossier only; not on a closed dossier. (A
    consulted agency's files come with its answer: consultations.answer_consultation.)"""
    dossier = Dossier.objects.select_for_update().get(pk=dossier.pk)
    policy.check(actor, Operation.ATTACH, dossier)
    transition(dossier.status, Action.ATTACH_FILE)
    if kind not in dict(ATTACHED_KINDS):
        raise DossierError("invalid_kind", _("Choose a scan or a result file."), status=422)
    if component is not None and component.dossier_id != dossier.pk:
        raise unknown_component()
    prepared = prepare(dossier, actor=actor, upload=upload, kind=kind, component=component)
    attachment = prepared[0]
    store([prepared], lambda: _save_attachment(attachment, dossier, actor=actor))
    return attachment


def _save_attachment(attachment: Attachment, dossier: Dossier, *, actor) -> None:
    attachment.save()
    component = attachment.component
    scan = attachment.kind == Attachment.Kind.SCAN
    if component is not None and scan and not component.is_digitised:
        component.is_digitised = True
        component.save(update_fields=["is_digitised"])
    record(
        dossier,
        Action.ATTACH_FILE,
        actor=actor,
        from_status=dossier.status,
        attachment=attachment.pk,
        name=attachment.original_name,
        kind=attachment.kind,
        size=attachment.size,
    )


def get_attachment_for(user, code: str, pk: int) -> Attachment:
    """Attachment `pk` of dossier `code` if `user` may see the dossier; 404 otherwise (the
    same rule for every door: dossiers.permissions)."""
    attachment = get_dossier_for(user, code).attachments.filter(pk=pk).first()
    if attachment is None:
        raise Http404
    return attachment


# Apps that keep a later version of a file to hand out instead (signing: a result signed, a
# scan made a signed electronic copy) register here, in their AppConfig.ready:
# version(attachment) -> (file, name, content type) or None.
Version = tuple[File, str, str]
_versions: list[Callable[[Attachment], Version | None]] = []


def hand_out_version(version: Callable[[Attachment], Version | None]) -> None:
    if version not in _versions:
        _versions.append(version)


def download_response(attachment: Attachment) -> FileResponse:
    """The file as both doors send it (its signed version when there is one): PDF and
    images shown in the browser, other types (TIFF) downloaded, never kept by a cache."""
    found = next(filter(None, (version(attachment) for version in _versions)), None)
    file, name, content_type = found or (
        attachment.file,
        attachment.original_name,
        attachment.content_type,
    )
    response = FileResponse(
        file.open("rb"),
        content_type=content_type,
        as_attachment=content_type not in INLINE_TYPES,
        filename=name,
    )
    response["Cache-Control"] = "private, no-store"
    return response
