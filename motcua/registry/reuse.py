"""Reuse at intake (Decree 45/2020 art. 16; QĐ 766 4.3): when a later dossier of the same
person needs a document the registry holds, still valid, the clerk takes it instead of asking
for the paper again. The registered copy is attached to the new dossier as the scan of that
document (the component is then digitised) and the reuse is recorded; the document's count
grows."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.audit.services import record_event
from motcua.dossiers.attachments import attach_file
from motcua.dossiers.errors import DossierError
from motcua.dossiers.models import Attachment, Dossier, DossierComponent

from .models import DigitisedDocument, Reuse


def owned_by(dossier: Dossier):
    if not dossier.applicant_id_number:
        return DigitisedDocument.objects.none()
    return DigitisedDocument.objects.filter(
        owner_id_type=dossier.applicant_id_type or "",
        owner_id_number=dossier.applicant_id_number,
    )


def offers(
    dossier: Dossier, components: list[DossierComponent] | None = None
) -> dict[int, list[DigitisedDocument]]:
    """For each handed-in document not yet digitised (of `components`, the dossier's as the
    caller read them), the owner's valid registered documents that stand for it (same
    catalogue document, or same name), newest first: one query, none when nothing waits."""
    if components is None:
        components = list(dossier.components.all())
    waiting = [c for c in components if not c.is_digitised]
    if not waiting:
        return {}
    today = timezone.localdate()
    found = list(
        owned_by(dossier)
        .exclude(dossier=dossier)
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=today))
        .filter(
            Q(component_id__in=[c.component_id for c in waiting if c.component_id])
            | Q(name__in=[c.name for c in waiting])
        )
        .select_related("agency")
        .order_by("-digitised_at")
    )
    out: dict[int, list[DigitisedDocument]] = {}
    for component in waiting:
        matches = [
            d
            for d in found
            if (component.component_id and d.component_id == component.component_id)
            or d.name == component.name
        ]
        if matches:
            out[component.pk] = matches
    return out


def record_online(dossier: Dossier, taken: list[tuple[Attachment, int]], *, actor) -> int:
    """A dossier filed online took documents kept from the person's earlier dossiers (the
    filing app's reuse): each one the registry holds is recorded as reused. `taken` pairs the
    new dossier's attachment with the id of the attachment it came from."""
    if not taken:
        return 0
    sources = {source for _attachment, source in taken}
    documents = {d.attachment_id: d for d in owned_by(dossier).filter(attachment_id__in=sources)}
    made = 0
    for attachment, source in taken:
        document = documents.get(source)
        if document is None or attachment.component_id is None:
            continue
        Reuse.objects.create(
            document=document,
            dossier=dossier,
            component_id=attachment.component_id,
            attachment=attachment,
            reused_by=actor,
        )
        DigitisedDocument.objects.filter(pk=document.pk).update(reuse_count=F("reuse_count") + 1)
        made += 1
    return made


@transaction.atomic
def reuse(dossier: Dossier, component: DossierComponent, document: DigitisedDocument, *, actor):
    """Attach `document` as the scan of `component`. Refused (nothing changed) when it is not
    the applicant's, no longer valid, or the document is already digitised."""
    if component.dossier_id != dossier.pk:
        raise DossierError(
            "unknown_component", _("That document is not one of this dossier's."), status=404
        )
    if not owned_by(dossier).filter(pk=document.pk).exists():
        raise DossierError("not_the_owner", _("That document belongs to someone else."), status=404)
    if not document.valid_on(timezone.localdate()):
        raise DossierError("expired_document", _("That document is no longer valid."), status=409)
    component = DossierComponent.objects.select_for_update().get(pk=component.pk)
    if component.is_digitised:
        raise DossierError(
            "already_digitised", _("This document is already digitised."), status=409
        )
    with document.file.open("rb") as handle:
        upload = SimpleUploadedFile(f"{document.name[:60]}.pdf", handle.read(), "application/pdf")
    attachment = attach_file(dossier, actor=actor, upload=upload, kind="scan", component=component)
    Reuse.objects.create(
        document=document,
        dossier=dossier,
        component=component,
        attachment=attachment,
        reused_by=actor,
    )
    DigitisedDocument.objects.filter(pk=document.pk).update(reuse_count=F("reuse_count") + 1)
    record_event(
        "digitised_document.reused",
        document,
        actor=actor,
        dossier=dossier.code,
        component=component.pk,
    )
    return attachment
