"""The forms handed to applicants (Mẫu 01–05) sealed by the receiving agency when the
deployment says so (MOTCUA_SIGN_FORMS; Circular 01/2018 art. 10: forms are signed in the
system). The seal signs without image, its text at the top right of page 1 (Decree 30/2020
Annex I §II.8.b, as for an attachment: the agency and the time in ISO 8601). The latest signed
version of each form is kept with the dossier. An agency without a seal key hands its forms
out unsigned, as before."""

import logging

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.documents.errors import DocumentError
from motcua.dossiers.models import Dossier

from . import appearance as looks
from . import backends, conf, keys, records, service
from .errors import SigningFailed
from .models import SignedDocument, SigningKey

logger = logging.getLogger(__name__)


def seal_receipt(receipt, pdf: bytes) -> bytes:
    """A receipt of fees and charges sealed by its collecting agency (Decree 254/2026 art.
    23.2.g: the collector's signature), when MOTCUA_SIGN_FORMS; kept with the dossier."""
    if not conf.sign_forms():
        return pdf
    agency = receipt.series.agency
    key = keys.key_for(agency.pk, SigningKey.Purpose.SEAL, timezone.localdate())
    if key is None or key.backend == backends.Backend.EXTERNAL:
        return pdf
    signed = _seal(pdf, key, agency.name, _("Receipt %(number)s") % {"number": receipt.pk})
    dossier = receipt.attempt.request.dossier
    records.keep(
        signed,
        kind=SignedDocument.Kind.RECEIPT,
        name=f"{dossier.code}-bien-lai-{receipt.pk}.pdf",
        actor=None,
        dossier=dossier,
        key=key,
    )
    return signed


def _seal(pdf: bytes, key: SigningKey, organisation: str, reason: str) -> bytes:
    look = looks.Appearance(looks.Kind.ORGANISATION, organisation=organisation)
    try:
        with backends.open_signer(key.spec) as signer:
            return service.sign_pdf(pdf, signer=signer, look=look, reason=reason)
    except SigningFailed as exc:
        raise DocumentError(
            "sealing_failed", _("The form could not be sealed: %s") % exc.message, status=503
        ) from exc


def seal_form(dossier: Dossier, number: str, pdf: bytes) -> bytes:
    if not conf.sign_forms():
        return pdf
    key = keys.key_for(dossier.receiving_agency_id, SigningKey.Purpose.SEAL, timezone.localdate())
    if key is None or key.backend == backends.Backend.EXTERNAL:
        return pdf
    agency = dossier.receiving_agency
    signed = _seal(pdf, key, agency.name, _("Form %(number)s") % {"number": number})
    try:
        with transaction.atomic():
            old = SignedDocument.objects.filter(
                dossier=dossier, kind=SignedDocument.Kind.FORM, form_number=number
            ).first()
            if old is not None:
                # The old file goes once the new version is committed, never before.
                name, storage = str(old.file.name), old.file.storage
                old.delete()
                transaction.on_commit(lambda: storage.delete(name))
            records.keep(
                signed,
                kind=SignedDocument.Kind.FORM,
                name=f"{dossier.code}-mau-{number}.pdf",
                actor=None,
                dossier=dossier,
                key=key,
                form_number=number,
            )
    except IntegrityError:  # printed twice at once: the other copy was kept, this one served
        logger.info("form %s of %s sealed twice at once", number, dossier.code)
    return signed
