"""Keeping a signed PDF: the file, what its signature says about itself, an audit event."""

import hashlib

from django.core.files.base import ContentFile
from django.utils import timezone

from motcua.audit.services import record_event

from . import service, validation
from .errors import SigningFailed
from .models import SignedDocument


def keep(
    signed: bytes,
    *,
    kind: str,
    name: str,
    actor,
    dossier=None,
    source=None,
    key=None,
    form_number: str = "",
) -> SignedDocument:
    """Store `signed` (just made) with the report of its last signature. A signature that does
    not validate against the configured trust is not kept: the key or the trust is wrong, and
    people would be handed a document that their tools reject."""
    report = validation.validate(signed)
    last = report.signatures[-1] if report.signatures else None
    if last is None or not (last.intact and last.valid):
        raise SigningFailed("invalid_signature", "The new signature does not validate.")
    document = SignedDocument(
        dossier=dossier,
        source=source,
        kind=kind,
        form_number=form_number,
        sha256=hashlib.sha256(signed).hexdigest(),
        size=len(signed),
        key=key,
        signed_by=actor if getattr(actor, "pk", None) else None,
        signer_subject=last.signer,
        certificate_sha256=last.certificate_sha256,
        signed_at=last.signed_at or timezone.now(),
        timestamp_at=last.timestamp_at,
        profile=service.profile() if last.timestamp_at else service.Profile.B_B,
        report=last.as_dict(),
    )
    document.file.save(name, ContentFile(signed), save=False)
    try:
        document.save()
        record_event(
            "signed_document.created",
            document,
            actor=actor,
            kind=kind,
            dossier=getattr(dossier, "code", ""),
            certificate_sha256=document.certificate_sha256,
            trusted=last.trusted,
        )
    except Exception:
        document.file.delete(save=False)
        raise
    return document
