"""Two-step signing with the official's own token (capabilities.md §4.2, §4.4): the token never
reaches the server.

1. `open_session`: the official's local agent (or a remote signing service) sends the
   certificate it will sign with; the server places the visible signature, reserves the space
   for the signature in the PDF, and returns the CMS signed attributes (DER) to be signed. The
   prepared PDF, its digest and the attributes are kept in the session, which expires.
2. `finish_session`: the agent returns the signature value over those attributes (RSA
   PKCS#1 v1.5 or ECDSA with SHA-256, what the token does); the server checks it against the
   certificate, builds the CMS (with the timestamp of the configured authority), writes it
   into the reserved space and keeps the signed document.

Nothing is approved by a session: the leader approves in the back office, and a result whose
agency signs on officials' tokens is signed before or after that with a session.
"""

import asyncio
import io
from datetime import timedelta

from asn1crypto import cms
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import fields, signers
from pyhanko.sign.signers.pdf_byterange import PreparedByteRangeDigest
from pyhanko.sign.signers.pdf_signer import PdfTBSDocument

from motcua.audit.services import record_event
from motcua.dossiers.models import Attachment

from . import records, service
from .errors import SigningFailed
from .models import SignedDocument, SigningSession

LIFETIME = timedelta(minutes=10)
RESERVED = 16384  # bytes for the CMS: certificate chain and timestamp token fit with room


def _certificate(der: bytes) -> x509.Certificate:
    try:
        cert = x509.load_der_x509_certificate(der)
    except ValueError as exc:
        raise SigningFailed("bad_certificate", _("The certificate cannot be read.")) from exc
    now = timezone.now()
    if not (cert.not_valid_before_utc <= now <= cert.not_valid_after_utc):
        raise SigningFailed("certificate_expired", _("The certificate is not valid today."))
    return cert


def open_for(user, code: str, attachment_id: int, certificate_der: bytes) -> SigningSession:
    """A session for a result file of dossier `code`, by an official who may approve for its
    competent agency (APPROVE_DOSSIER), with their own appearance."""
    from motcua.dossiers.permissions import get_dossier_for
    from motcua.organisations.permissions import can
    from motcua.organisations.roles import Capability

    from .results import person_look

    dossier = get_dossier_for(user, code)
    attachment = dossier.attachments.filter(pk=attachment_id, kind=Attachment.Kind.RESULT).first()
    if attachment is None:
        raise SigningFailed("not_found", _("No such result file in this dossier."), status=404)
    agency = dossier.competent_agency
    if not can(user, Capability.APPROVE_DOSSIER, agency):
        raise SigningFailed("forbidden", _("Only a leader of the agency signs its results."), 403)
    if SignedDocument.objects.filter(source=attachment).exists():
        raise SigningFailed("already_signed", _("This result is already signed."), status=409)
    look = person_look(user, agency, timezone.localdate())
    return open_session(attachment, actor=user, certificate_der=certificate_der, look=look)


def open_session(attachment: Attachment, *, actor, certificate_der: bytes, look) -> SigningSession:
    if attachment.content_type != "application/pdf":
        raise SigningFailed("not_a_pdf", _("Only a PDF can be signed."))
    cert = _certificate(certificate_der)
    with attachment.file.open("rb") as handle:
        pdf = handle.read()
    now = timezone.now()
    key = cert.public_key()
    signer = signers.ExternalSigner(
        signing_cert=asn1_x509.Certificate.load(certificate_der),
        cert_registry=None,
        # Room for the value the token will return: the RSA modulus, or an ECDSA maximum.
        signature_value=key.key_size // 8 if isinstance(key, rsa.RSAPublicKey) else 144,
    )
    name = f"motcua-{now.strftime('%Y%m%d%H%M%S%f')}"
    metadata = signers.PdfSignatureMetadata(
        field_name=name, md_algorithm="sha256", subfilter=fields.SigSeedSubFilter.PADES
    )
    with service.stamped(pdf, look, now, name) as (spec, style):
        pdf_signer = signers.PdfSigner(
            metadata, signer=signer, stamp_style=style, new_field_spec=spec
        )
        writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
        prepared, output, attributes = asyncio.run(_prepare(pdf_signer, writer, signer))
    session = SigningSession.objects.create(
        created_by=actor,
        expires_at=now + LIFETIME,
        source=attachment,
        certificate=certificate_der,
        prepared=output.getvalue(),
        document_digest=prepared.document_digest,
        reserved_start=prepared.reserved_region_start,
        reserved_end=prepared.reserved_region_end,
        signed_attributes=attributes.dump(),
    )
    record_event("signing_session.opened", session, actor=actor, dossier=attachment.dossier.code)
    return session


async def _prepare(pdf_signer, writer, signer):
    """The PDF with its signature space reserved, its digest, and the attributes to sign."""
    prepared, _tbs, output = await pdf_signer.async_digest_doc_for_signing(
        writer, bytes_reserved=RESERVED
    )
    attributes = await signer.signed_attrs(prepared.document_digest, "sha256", use_pades=True)
    return prepared, output, attributes


def _check_value(cert: x509.Certificate, value: bytes, data: bytes) -> None:
    key = cert.public_key()
    try:
        if isinstance(key, rsa.RSAPublicKey):
            key.verify(value, data, padding.PKCS1v15(), hashes.SHA256())
        elif isinstance(key, ec.EllipticCurvePublicKey):
            key.verify(value, data, ec.ECDSA(hashes.SHA256()))
        else:
            raise SigningFailed("unsupported_key", _("This kind of key is not supported."))
    except InvalidSignature as exc:
        raise SigningFailed(
            "signature_mismatch",
            _("The signature does not match the document and the certificate."),
        ) from exc


@transaction.atomic
def finish_session(session_id, *, actor, signature_value: bytes) -> SignedDocument:
    session = SigningSession.objects.select_for_update().filter(pk=session_id).first()
    if session is None or session.created_by_id != actor.pk:
        raise SigningFailed("unknown_session", _("No such signing session."), status=404)
    if session.state == SigningSession.State.FINISHED and session.result is not None:
        return session.result  # a retried request: the same document, signed once
    if session.state != SigningSession.State.OPEN or session.expires_at <= timezone.now():
        raise SigningFailed(
            "session_expired", _("The signing session has expired; start again."), status=409
        )
    certificate_der = bytes(session.certificate)
    cert = _certificate(certificate_der)
    attributes = bytes(session.signed_attributes)
    _check_value(cert, signature_value, attributes)
    signer = signers.ExternalSigner(
        signing_cert=asn1_x509.Certificate.load(certificate_der),
        cert_registry=None,
        signature_value=signature_value,
    )
    content = asyncio.run(
        signer.async_sign_prescribed_attributes(
            "sha256",
            signed_attrs=cms.CMSAttributes.load(attributes),
            timestamper=service.timestamper(),
        )
    )
    output = io.BytesIO(bytes(session.prepared))
    prepared = PreparedByteRangeDigest(
        document_digest=bytes(session.document_digest),
        reserved_region_start=session.reserved_start,
        reserved_region_end=session.reserved_end,
    )
    PdfTBSDocument.finish_signing(output, prepared, content)
    source = session.source
    stem = source.original_name.rsplit(".", 1)[0][:80] or "ket-qua"
    document = records.keep(
        output.getvalue(),
        kind=SignedDocument.Kind.RESULT,
        name=f"{stem}.signed.pdf",
        actor=actor,
        dossier=source.dossier,
        source=source,
    )
    session.state, session.result = SigningSession.State.FINISHED, document
    session.save(update_fields=["state", "result"])
    return document
