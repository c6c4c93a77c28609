"""Uploads that claim a signature are validated on receipt (issue 17 §1): a PDF that carries
signatures (a /ByteRange, read without parsing) has each judged by the validator against this
installation's trust, and the verdict is kept with the file for the staff to see. A file that
claims none costs one scan of its bytes; a file whose signatures fail is kept all the same (it
is the applicant's document), marked not valid."""

from motcua.dossiers.models import Attachment

from . import validation
from .models import SignatureCheck


def check_uploads(attachments: list[Attachment]) -> None:
    for attachment in attachments:
        if attachment.content_type != "application/pdf" or attachment.pk is None:
            continue
        with attachment.file.open("rb") as handle:
            data = handle.read()
        if b"/ByteRange" not in data:
            continue
        report = validation.validate(data)
        if not report.signatures:
            continue
        SignatureCheck.objects.create(
            attachment=attachment,
            ok=report.ok,
            signers=", ".join(s.signer or "?" for s in report.signatures)[:500],
            report=[s.as_dict() for s in report.signatures],
        )
