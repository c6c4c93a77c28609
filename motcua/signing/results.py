"""The leader's approval signs the result (Decree 224/2026 art. 15.1.e; issue 17 §1).

When an approval is recorded (a completed leader's step, `approved` in the event), every PDF
result file of the dossier not yet signed is signed, in the approval's transaction: the
approval and its signatures commit together or not at all, so a token that cannot be opened
refuses the approval with its reason and changes nothing. The key is the approving agency's
(or its parent's) "result" key on a server token or file; its appearance is the approving
official's signature image in blue under their title, the agency's seal in red over a third
of it (Decree 30/2020 Annex I §II.7.d, §II.8.a). An agency whose results are signed on the
officials' own tokens (an "external" key) signs them through two-step sessions instead
(sessions.py); an agency with no result key approves as before, unsigned."""

from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.dossiers.errors import DossierError
from motcua.dossiers.models import Attachment, Dossier, DossierEvent
from motcua.dossiers.status import Action
from motcua.organisations.models import Agency

from . import appearance as looks
from . import backends, keys, records, service
from .errors import SigningFailed
from .models import SignedDocument, SigningKey


def unsigned_results(dossier: Dossier) -> list[Attachment]:
    return list(
        Attachment.objects.filter(
            dossier=dossier,
            kind=Attachment.Kind.RESULT,
            content_type="application/pdf",
            signed__isnull=True,
        ).order_by("pk")
    )


def person_look(official, agency, day) -> looks.Appearance:
    signature = keys.signature_image(official, day) if official else None
    seal = keys.seal_image(agency, day)
    name = (official.get_full_name() or official.get_username()) if official else agency.name
    return looks.Appearance(
        looks.Kind.PERSON,
        organisation=agency.name,
        title=(signature.title if signature and signature.title else _("THE LEADER")).upper(),
        name=name,
        signature_png=bytes(signature.png) if signature else None,
        seal_png=bytes(seal.png) if seal else None,
    )


def sign_result(attachment: Attachment, *, key: SigningKey, actor, agency) -> SignedDocument:
    now = timezone.now()
    with attachment.file.open("rb") as handle:
        pdf = handle.read()
    look = person_look(
        actor if getattr(actor, "pk", None) else None, agency, timezone.localdate(now)
    )
    with backends.open_signer(key.spec) as signer:
        signed = service.sign_pdf(
            pdf,
            signer=signer,
            look=look,
            reason=_("Approved: %(code)s") % {"code": attachment.dossier.code},
            location=agency.name,
            at=now,
        )
    stem = attachment.original_name.rsplit(".", 1)[0][:80] or "ket-qua"
    return records.keep(
        signed,
        kind=SignedDocument.Kind.RESULT,
        name=f"{stem}.signed.pdf",
        actor=actor,
        dossier=attachment.dossier,
        source=attachment,
        key=key,
    )


def on_batch(rows) -> None:
    """History imported in bulk (dossiers.history) carries no approval to sign."""
    return None


def on_event(dossier: Dossier, event: DossierEvent) -> None:
    """Lifecycle subscriber (in the approval's transaction)."""
    if event.action != Action.COMPLETE_STEP or not event.data.get("approved"):
        return None
    step = event.step
    agency_id = step.agency_id if step is not None else dossier.competent_agency_id
    key = keys.key_for(agency_id, SigningKey.Purpose.RESULT, timezone.localdate())
    if key is None or key.backend == backends.Backend.EXTERNAL:
        return None  # one statement on every approval: no server key, nothing signed here
    agency = Agency.objects.get(pk=agency_id)
    for attachment in unsigned_results(dossier):
        try:
            sign_result(attachment, key=key, actor=event.actor, agency=agency)
        except SigningFailed as exc:
            raise DossierError(
                "signing_failed",
                _("The result could not be signed, so nothing was approved: %s") % exc.message,
                status=503,
            ) from exc
    return None


def signed_version(attachment: Attachment):
    """The signed PDF of `attachment` (a result signed, a scan made a signed copy), its name
    and type, if there is one."""
    signed = SignedDocument.objects.filter(source=attachment).only("file").first()
    if signed is None:
        return None
    stem, _dot, _extension = attachment.original_name.rpartition(".")
    return (signed.file, f"{stem or attachment.original_name}.pdf", "application/pdf")
