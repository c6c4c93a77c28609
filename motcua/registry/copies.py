"""Scans become electronic copies at receipt (Decree 118/2025 art. 17(1)(c); Circular 03/2025;
Decree 30/2020 Annex I Part II.I), and results enter the registry when they are ready.

`on_event` hears the dossier events (in their transaction, like the tallies):

* a scan of a handed-in document (ATTACH_FILE, kind scan, with its component): the scan is
  checked (resolution, colour: quality.py; refused with its reason, so that nothing is
  stored), made a PDF at 100 %, signed by the receiving agency's seal as "SAO Y" when the
  agency has a seal key (signing), and registered for its owner. A file that is already a
  registered copy (reused from the registry, reuse.py) is not copied again.
* the result ready (MARK_RESULT_READY, granted): each result file, signed or not, is
  registered as a result of its owner.
"""

from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.audit.services import record_event
from motcua.dossiers.errors import DossierError
from motcua.dossiers.models import Attachment, Dossier, DossierEvent
from motcua.dossiers.status import Action
from motcua.signing import appearance as looks
from motcua.signing import backends, keys, records, service
from motcua.signing.errors import SigningFailed
from motcua.signing.models import SignedDocument, SigningKey

from . import quality
from .models import DigitisedDocument


def on_batch(rows) -> None:
    """History imported in bulk (dossiers.history) brings no scan to copy: its digitisation
    is a flag of the old system (quality_points' digitised_before_import)."""
    return None


def on_event(dossier: Dossier, event: DossierEvent) -> None:
    if event.action == Action.ATTACH_FILE and event.data.get("kind") == Attachment.Kind.SCAN:
        attachment = Attachment.objects.select_related("component").get(pk=event.data["attachment"])
        if attachment.component_id is not None:
            make_copy(dossier, attachment, actor=event.actor)
    elif event.action == Action.MARK_RESULT_READY:
        for attachment in Attachment.objects.filter(dossier=dossier, kind=Attachment.Kind.RESULT):
            register_result(dossier, attachment, actor=event.actor)
    return None


def _owner(dossier: Dossier) -> dict:
    return {
        "owner_id_type": dossier.applicant_id_type or "",
        "owner_id_number": dossier.applicant_id_number or "",
        "owner_name": dossier.applicant_name,
    }


def make_copy(dossier: Dossier, attachment: Attachment, *, actor) -> DigitisedDocument | None:
    if DigitisedDocument.objects.filter(sha256=attachment.sha256).exists():
        return None  # a registered copy presented again: reuse.py records it
    with attachment.file.open("rb") as handle:
        data = handle.read()
    judged = quality.judge(data, attachment.content_type)
    quality.check(judged)
    pdf = quality.to_pdf(data, attachment.content_type, judged.dpi)
    agency = dossier.receiving_agency
    signed = _seal(pdf, attachment, agency=agency, actor=actor)
    component = attachment.component
    assert component is not None
    document = DigitisedDocument.objects.create(
        kind=DigitisedDocument.Kind.COMPONENT,
        **_owner(dossier),
        name=component.name,
        component_id=component.component_id,
        procedure_code=dossier.procedure.code,
        agency=agency,
        dossier=dossier,
        attachment=attachment,
        signed=signed,
        sha256=signed.sha256 if signed else attachment.sha256,
        pages=judged.pages,
        dpi=judged.dpi,
        colour=judged.colour,
        digitised_by=actor,
    )
    record_event(
        "digitised_document.created",
        document,
        actor=actor,
        dossier=dossier.code,
        signed=signed is not None,
        dpi=judged.dpi,
    )
    return document


def _seal(pdf: bytes, attachment: Attachment, *, agency, actor) -> SignedDocument | None:
    """The copy signed by the agency's seal (top right of page 1, no image, "SAO Y", the
    agency, the time), or None where the agency has no seal key on the server."""
    key = keys.key_for(agency, SigningKey.Purpose.SEAL, timezone.localdate())
    if key is None or key.backend == backends.Backend.EXTERNAL:
        return None
    look = looks.Appearance(looks.Kind.COPY, organisation=agency.name)
    try:
        with backends.open_signer(key.spec) as signer:
            signed = service.sign_pdf(
                pdf,
                signer=signer,
                look=look,
                reason=_("Electronic copy of the original"),
                location=agency.name,
            )
    except SigningFailed as exc:
        raise DossierError(
            "signing_failed",
            _("The electronic copy could not be signed, so the scan was not kept: %s")
            % exc.message,
            status=503,
        ) from exc
    stem = attachment.original_name.rsplit(".", 1)[0][:80] or "ban-sao"
    return records.keep(
        signed,
        kind=SignedDocument.Kind.COPY,
        name=f"{stem}.sao-y.pdf",
        actor=actor,
        dossier=attachment.dossier,
        source=attachment,
        key=key,
    )


def register_result(dossier: Dossier, attachment: Attachment, *, actor) -> DigitisedDocument:
    found = DigitisedDocument.objects.filter(attachment=attachment).first()
    if found is not None:
        return found
    signed = SignedDocument.objects.filter(source=attachment).first()
    document = DigitisedDocument.objects.create(
        kind=DigitisedDocument.Kind.RESULT,
        **_owner(dossier),
        name=_("Result: %(procedure)s") % {"procedure": dossier.procedure_version.name},
        procedure_code=dossier.procedure.code,
        agency=dossier.competent_agency,
        issuer=dossier.competent_agency.name,
        issued_on=timezone.localdate(),
        dossier=dossier,
        attachment=attachment,
        signed=signed,
        sha256=signed.sha256 if signed else attachment.sha256,
        digitised_by=actor if getattr(actor, "pk", None) else attachment.uploaded_by,
    )
    record_event("digitised_document.created", document, actor=actor, dossier=dossier.code)
    return document
