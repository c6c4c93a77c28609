"""Filing online, from the first step to the dossier (issue 15 §2; Decree 224/2026 art. 14-15;
Decree 61/2018 art. 17.2; Decree 45/2020).

A signed-in person starts a draft of a procedure offered online, with the agency they file
with; their e-form answers, files and delivery choice are saved at every step (a draft is
theirs alone and resumable anywhere until it expires); the review lists what is still
wrong; submission validates everything again on the server and hands the dossier to the
dossiers' intake as an online submission (status 1), with the e-form's answers and the
files. A clerk then receives it, guides to supplement or refuses it (dossiers.intake).

Filing outside working hours: the dossier is submitted at once and the time limit counts
from its reception by a clerk, which is a working moment (Decree 61/2018 art. 17.2: the
one-stop section examines online dossiers); the acknowledgement says from when it will be
examined (`examined_from`).
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.files.base import File
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.accounts.models import AccountKind, CitizenAccount
from motcua.catalogue import eforms
from motcua.catalogue.models import Channel, Component, Procedure, ProcedureVersion
from motcua.dossiers import attachments as files
from motcua.dossiers.applicants import Applicant
from motcua.dossiers.errors import DossierError
from motcua.dossiers.intake import HandedIn, Intake, submit_online
from motcua.dossiers.models import Attachment, Dossier, DossierComponent
from motcua.dossiers.permissions import account_dossiers
from motcua.organisations.actors import SYSTEM
from motcua.organisations.models import Agency
from motcua.registry import reuse as registry_reuse
from motcua.workdays.loader import get_calendar

from .models import Draft, DraftFile

DELIVERY_CHOICES = (Channel.IN_PERSON, Channel.POSTAL, Channel.ONLINE)


class FilingError(DossierError):
    pass


def _draft_days() -> int:
    return settings.MOTCUA_DRAFT_DAYS


# --- What can be filed online, and where ----------------------------------------------------


def offered_online(version: ProcedureVersion | None) -> bool:
    """Offered end to end or partially online (catalogue: ProcedureVersion.offered_online)."""
    return version is not None and version.offered_online


def filing_agencies(version: ProcedureVersion) -> list[Agency]:
    """Where the person may file: the agencies of the province that carry the procedure out
    (for a procedure independent of boundaries, any of them; otherwise the person picks the
    one of their place, as at the counter)."""
    return list(version.implementing_agencies.order_by("name"))


def _require_online(procedure: Procedure) -> ProcedureVersion:
    version = procedure.current_version
    if not offered_online(version):
        raise FilingError("not_online", _("This procedure cannot be filed online."), status=409)
    assert version is not None
    return version


# --- Drafts ---------------------------------------------------------------------------------


def open_drafts(account: CitizenAccount):
    return (
        Draft.objects.filter(account=account, state=Draft.State.OPEN, expires_at__gt=timezone.now())
        .select_related("procedure", "version", "agency")
        .order_by("-updated_at")
    )


# Who an account files as (catalogue.ApplicantType): a person, or a business or organisation.
FILES_AS = {
    AccountKind.CITIZEN: {"citizen", "foreigner"},
    AccountKind.BUSINESS: {
        "enterprise", "household_business", "cooperative", "organisation", "public_body",
    },
}  # fmt: skip


def may_file(account: CitizenAccount, version: ProcedureVersion) -> bool:
    """The procedure is for who the account is (its published applicant types; none
    published: anyone)."""
    wanted = set(version.applicant_types or [])
    return not wanted or bool(wanted & FILES_AS[AccountKind(account.kind)])


@transaction.atomic
def start_draft(account: CitizenAccount, procedure: Procedure, agency_id: int | None) -> Draft:
    """The person's open draft of this procedure at this agency, or a new one: a second click
    or a second tab resumes the same draft, never a copy."""
    version = _require_online(procedure)
    if not may_file(account, version):
        raise FilingError(
            "not_for_this_account",
            _("This procedure is not filed by a %(kind)s account.")
            % {"kind": AccountKind(account.kind).label.lower()},
            status=403,
        )
    agencies = {a.pk: a for a in filing_agencies(version)}
    if agency_id not in agencies:
        raise FilingError("agency_required", _("Choose the agency you file with."), status=422)
    CitizenAccount.objects.select_for_update().filter(pk=account.pk).first()  # one at a time
    existing = open_drafts(account).filter(procedure=procedure, agency_id=agency_id).first()
    if existing is not None:
        return existing
    return Draft.objects.create(
        account=account,
        procedure=procedure,
        version=version,
        agency=agencies[agency_id],
        data=_prefilled(version, account),
        expires_at=timezone.now() + timedelta(days=_draft_days()),
    )


def get_draft(account: CitizenAccount, key: Any, *, lock: bool = False) -> Draft:
    """The person's open draft `key`; 404 for anybody else's, a submitted or an expired one."""
    drafts = Draft.objects.filter(account=account, state=Draft.State.OPEN)
    if lock:
        drafts = drafts.select_for_update()
    try:
        draft = drafts.select_related("procedure", "version", "agency").get(key=key)
    except (Draft.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if draft.expires_at <= timezone.now():
        raise Http404
    return draft


def _touch(draft: Draft, *fields: str) -> None:
    draft.expires_at = timezone.now() + timedelta(days=_draft_days())
    draft.save(update_fields=[*fields, "expires_at", "updated_at"])


def _prefilled(version: ProcedureVersion, account: CitizenAccount) -> dict[str, Any]:
    if not version.eform:
        return {}
    return {
        spec.name: eforms.prefill_value(spec, account)
        for spec in eforms.field_specs(version.eform)
        if spec.prefill and eforms.prefill_value(spec, account) not in ("", None)
    }


@transaction.atomic
def save_answers(draft: Draft, account: CitizenAccount, answers: dict[str, Any]) -> Draft:
    """Keep what the person typed (a draft may be incomplete: the review says what is
    missing). Fields filled from the identity provider take the account's stored values,
    whatever the request carried."""
    draft = get_draft(account, draft.key, lock=True)
    eform = draft.version.eform
    if not eform:
        return draft
    names = {spec.name for spec in eforms.field_specs(eform)}
    kept = {
        name: value for name, value in answers.items() if name in names and value not in ("", None)
    }
    draft.data = {**kept, **_prefilled(draft.version, account)}
    _touch(draft, "data")
    return draft


@transaction.atomic
def set_delivery(draft: Draft, account: CitizenAccount, method: str, address: str) -> Draft:
    draft = get_draft(account, draft.key, lock=True)
    if method not in DELIVERY_CHOICES:
        raise FilingError("invalid_delivery", _("Choose how to receive the result."), status=422)
    address = address.strip()[:500]
    if method == Channel.POSTAL and not address:
        raise FilingError(
            "delivery_address_required",
            _("Give the address the result is to be posted to."),
            status=422,
        )
    draft.result_delivery, draft.delivery_address = method, address
    _touch(draft, "result_delivery", "delivery_address")
    return draft


# --- Files ----------------------------------------------------------------------------------


def checklist(version: ProcedureVersion) -> list[Component]:
    """The documents a person uploads online: the checklist without what the paper form
    needs and without what the e-form stands for."""
    return [
        c
        for c in version.documents()
        if c.filing != Component.Filing.PAPER and not eforms.stands_for(version.eform, c.name)
    ]


def _component(draft: Draft, component_id: Any) -> Component:
    for component in checklist(draft.version):
        if str(component.pk) == str(component_id):
            return component
    raise FilingError("unknown_component", _("That document is not on this checklist."), status=422)


def _check_room(draft: Draft, adding: int, size: int) -> None:
    held = list(draft.files.values_list("size", flat=True))
    if len(held) + adding > settings.MOTCUA_DRAFT_MAX_FILES:
        raise FilingError(
            "too_many_files",
            _("A dossier can hold at most %(n)s files.") % {"n": settings.MOTCUA_DRAFT_MAX_FILES},
            status=413,
        )
    if sum(held) + size > settings.MOTCUA_DRAFT_MAX_MB * 1024 * 1024:
        raise FilingError(
            "draft_too_large",
            _("The files of a dossier can take at most %(mb)s MB together.")
            % {"mb": settings.MOTCUA_DRAFT_MAX_MB},
            status=413,
        )


@transaction.atomic
def add_files(
    draft: Draft, account: CitizenAccount, component_id: Any, uploads: list[UploadedFile]
) -> list[DraftFile]:
    """Pages of one checklist document: each checked (size, type by its content: PDF, JPEG,
    PNG, TIFF) before anything is written; all or none."""
    draft = get_draft(account, draft.key, lock=True)
    component = _component(draft, component_id)
    if not uploads:
        raise FilingError("file_required", _("Choose a file to upload."), status=422)
    _check_room(draft, len(uploads), sum(u.size or 0 for u in uploads))
    prepared = []
    for upload in uploads:
        files.check_size(upload)
        sha256, head = files.digest(upload)
        kind = files.sniff(head)
        prepared.append(
            DraftFile(
                draft=draft,
                component=component,
                original_name=(upload.name or "file")[:255],
                content_type=kind.content_type,
                extension=kind.extension,
                size=upload.size or 0,
                sha256=sha256,
            )
        )
    written = []
    try:
        for row, upload in zip(prepared, uploads, strict=True):
            row.file.save(f"{draft.key}/{row.sha256}{row.extension}", upload, save=False)
            written.append(row)
        with transaction.atomic():
            DraftFile.objects.bulk_create(prepared)
    except BaseException:
        for row in written:
            if row.file.name:
                row.file.storage.delete(row.file.name)
        raise
    _touch(draft)
    return prepared


@transaction.atomic
def remove_file(draft: Draft, account: CitizenAccount, file_id: Any) -> None:
    draft = get_draft(account, draft.key, lock=True)
    row = draft.files.filter(pk=file_id if str(file_id).isdigit() else 0).first()
    if row is None:
        raise FilingError("unknown_file", _("That file is not in this dossier."), status=404)
    name, storage, shared = row.file.name or "", row.file.storage, row.reused_from_id is not None
    row.delete()
    if name and not shared and not DraftFile.objects.filter(file=name).exists():
        transaction.on_commit(lambda: storage.delete(name))
    _touch(draft)


def reusable(account: CitizenAccount) -> list[Attachment]:
    """The person's documents kept from earlier dossiers (results and scans of what they
    handed in), newest first: Decree 45/2020 art. 8, a paper is not asked for twice."""
    mine = account_dossiers(account)
    return list(
        Attachment.objects.filter(
            dossier__in=mine, kind__in=(Attachment.Kind.RESULT, Attachment.Kind.SCAN)
        )
        .select_related("dossier")
        .order_by("-uploaded_at", "-pk")[:50]
    )


@transaction.atomic
def reuse(
    draft: Draft, account: CitizenAccount, component_id: Any, attachment_id: Any
) -> DraftFile:
    """Attach one of the person's kept documents to a checklist item (no upload)."""
    draft = get_draft(account, draft.key, lock=True)
    component = _component(draft, component_id)
    kept = {str(a.pk): a for a in reusable(account)}
    source = kept.get(str(attachment_id))
    if source is None:
        raise FilingError("unknown_document", _("That document is not yours to reuse."), status=404)
    if draft.files.filter(component=component, reused_from=source).exists():
        return draft.files.get(component=component, reused_from=source)
    _check_room(draft, 1, source.size)
    row = DraftFile.objects.create(
        draft=draft,
        component=component,
        file=source.file.name,
        original_name=source.original_name,
        content_type=source.content_type,
        extension=source.extension,
        size=source.size,
        sha256=source.sha256,
        reused_from=source,
    )
    _touch(draft)
    return row


# --- Review and submission ------------------------------------------------------------------


@dataclass
class Review:
    """What stands between the draft and its submission, and what is only a warning."""

    errors: dict[str, list[str]] = field(default_factory=dict)  # e-form field -> messages
    problems: list[str] = field(default_factory=list)  # blocking, not tied to a field
    missing: list[Component] = field(default_factory=list)  # required documents with no file

    @property
    def ready(self) -> bool:
        return not self.errors and not self.problems


def review(draft: Draft) -> Review:
    result = Review()
    version = draft.version
    if draft.procedure.current_version_id != version.pk:
        result.problems.append(
            _("The procedure changed since you started; start again from its page.")
        )
    if version.eform:
        result.errors = eforms.validate_answers(version.eform, draft.data)
    if draft.result_delivery == Channel.POSTAL and not draft.delivery_address.strip():
        result.problems.append(_("Give the address the result is to be posted to."))
    held = set(draft.files.values_list("component_id", flat=True))
    result.missing = [
        c for c in checklist(version) if c.required_for(Channel.ONLINE) and c.pk not in held
    ]
    return result


def examined_from(moment: datetime) -> datetime:
    """When the one-stop section examines a dossier submitted at `moment`: then during
    working hours, else the next working moment."""
    return get_calendar().effective_receipt(moment)


def _applicant(account: CitizenAccount) -> Applicant:
    if account.kind == AccountKind.BUSINESS:
        return Applicant(
            "enterprise",
            account.business_name or account.full_name,
            account.id_number,
            account.phone,
            account.email,
            account.address,
            id_type=account.id_type,
        )
    return Applicant(
        "citizen",
        account.full_name,
        account.id_number,
        account.phone,
        account.email,
        account.address,
        id_type=account.id_type,
    )


@transaction.atomic
def submit(draft: Draft, account: CitizenAccount) -> Dossier:
    """The dossier, submitted online (status 1): validated again here, whatever the review
    page showed. A second submission of the same draft (a double click, a retry after the
    connection dropped) answers the dossier of the first."""
    locked = (
        Draft.objects.select_for_update()
        .select_related("procedure", "version", "agency")
        .filter(account=account, key=draft.key)
        .first()
    )
    if locked is None:
        raise Http404
    if locked.state == Draft.State.SUBMITTED and locked.dossier_id:
        return Dossier.objects.get(pk=locked.dossier_id)
    draft = get_draft(account, draft.key)
    draft.data = {**draft.data, **_prefilled(draft.version, account)}
    checked = review(draft)
    if not checked.ready:
        raise FilingError(
            "draft_not_ready",
            _("The dossier cannot be submitted yet: correct what the review shows."),
            status=422,
        )
    rows = list(draft.files.select_related("component").order_by("component__order", "pk"))
    version = draft.version
    handed_in = [HandedIn(c.pk, is_digitised=True) for c in _components_held(rows)]
    handed_in += [
        HandedIn(c.pk, is_digitised=True)
        for c in version.documents()
        if version.eform and eforms.stands_for(version.eform, c.name)
    ]
    intake = Intake(
        procedure=draft.procedure,
        agency=draft.agency,
        applicant=_applicant(account),
        channel=Channel.ONLINE,
        handed_in=handed_in,
        form_data=draft.data,
        result_delivery=draft.result_delivery,
        delivery_address=draft.delivery_address,
        filed_by=account.user,
    )
    dossier = submit_online(intake, submitted_by=SYSTEM)
    _attach(dossier, rows, account)
    draft.state, draft.dossier = Draft.State.SUBMITTED, dossier
    draft.save(update_fields=["state", "dossier", "updated_at"])
    transaction.on_commit(lambda: _release(rows))
    return dossier


def _components_held(rows: list[DraftFile]) -> list[Component]:
    seen: dict[int, Component] = {}
    for row in rows:
        if row.component is not None:
            seen.setdefault(row.component.pk, row.component)
    return list(seen.values())


def _attach(dossier: Dossier, rows: list[DraftFile], account: CitizenAccount) -> None:
    """The draft's files become the dossier's scans, each against its handed-in document."""
    handed = {c.component_id: c for c in DossierComponent.objects.filter(dossier=dossier)}
    prepared = []
    for row in rows:
        upload = File(row.file.open("rb"), name=row.original_name)
        attachment, upload = files.prepare(
            dossier,
            actor=account.user,
            upload=upload,
            kind=Attachment.Kind.SCAN,
            component=handed.get(row.component_id),
        )
        prepared.append((attachment, upload))
    try:
        files.store(prepared, lambda: Attachment.objects.bulk_create([a for a, _u in prepared]))
    finally:
        for _attachment, upload in prepared:
            upload.close()
    # Documents taken from the person's earlier dossiers: reuses of the registry (QĐ 766 4.3).
    taken = [(a, row.reused_from_id) for (a, _u), row in zip(prepared, rows, strict=True)]
    registry_reuse.record_online(
        dossier, [(a, source) for a, source in taken if source is not None], actor=account.user
    )


def _release(rows: list[DraftFile]) -> None:
    """After the commit: the draft's own copies are no longer needed (the dossier has its
    files); a reused document's file belongs to its first dossier and stays."""
    for row in rows:
        if row.reused_from_id is None and row.file.name:
            row.file.storage.delete(row.file.name)


def expire_drafts(now: datetime | None = None) -> int:
    """Remove drafts left without a change past their expiry, with their files."""
    now = now or timezone.now()
    stale = Draft.objects.filter(state=Draft.State.OPEN, expires_at__lte=now)
    names = list(
        DraftFile.objects.filter(draft__in=stale, reused_from__isnull=True).values_list(
            "file", flat=True
        )
    )
    _total, deleted = stale.delete()
    count = deleted.get("filing.Draft", 0)
    storage = DraftFile._meta.get_field("file").storage
    for name in names:
        storage.delete(name)
    return count
