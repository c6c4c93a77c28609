"""Changes to the catalogue. Every change goes through here and is audited."""

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.audit.services import record_event
from motcua.organisations.models import Agency

from .errors import CatalogueError
from .models import Component, Fee, Procedure, ProcedureVersion, ProcessStep
from .text import fold

VERSION_CHILDREN = (("components", Component), ("fees", Fee), ("steps", ProcessStep))


def search_text_for(version: ProcedureVersion) -> str:
    parts = [version.procedure.code, version.name, version.field.name]
    return fold(" ".join(parts))


SYNCED_COLUMNS = ["current_version", "name", "field", "levels_index", "online_level", "search_text"]


def _set_procedure_columns(procedure: Procedure, version: ProcedureVersion) -> None:
    procedure.current_version = version
    procedure.name = version.name
    procedure.field = version.field
    procedure.levels_index = " " + " ".join(sorted(version.levels)) + " "
    procedure.online_level = version.online_level
    procedure.search_text = search_text_for(version)


def _sync_procedure_columns(procedure: Procedure, version: ProcedureVersion) -> None:
    _set_procedure_columns(procedure, version)
    procedure.save(update_fields=[*SYNCED_COLUMNS, "updated_at"])


@transaction.atomic
def create_draft_version(
    procedure: Procedure,
    *,
    actor,
    values: dict[str, Any],
    components: Iterable[dict] = (),
    fees: Iterable[dict] = (),
    steps: Iterable[dict] = (),
    implementing_agencies: Iterable = (),
    change_note: str = "",
) -> ProcedureVersion:
    """A new draft version of `procedure` with the given content and children."""
    Procedure.objects.select_for_update().get(pk=procedure.pk)
    number = (procedure.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    version = ProcedureVersion(
        procedure=procedure,
        number=number,
        created_by=actor if getattr(actor, "pk", None) else None,
        change_note=change_note,
        **values,
    )
    version.full_clean(exclude=["procedure", "created_by"])
    version.save()
    version.implementing_agencies.set(implementing_agencies)
    for (_related, model), rows in zip(VERSION_CHILDREN, (components, fees, steps), strict=True):
        objects = [model(version=version, **row) for row in rows]
        for obj in objects:
            obj.full_clean(exclude=["version"])
        model.objects.bulk_create(objects)
    record_event("procedure.version_created", version, actor=actor, number=number)
    return version


@transaction.atomic
def copy_version_as_draft(version: ProcedureVersion, *, actor) -> ProcedureVersion:
    """Start editing a published procedure: a draft copy of `version` with all its children."""
    values = {
        f.name: getattr(version, f.name)
        for f in ProcedureVersion._meta.concrete_fields
        if f.name
        not in {
            "id",
            "procedure",
            "number",
            "status",
            "created_by",
            "created_at",
            "published_at",
            "change_note",
        }
    }
    children = []
    for related, model in VERSION_CHILDREN:
        names = [f.name for f in model._meta.concrete_fields if f.name not in {"id", "version"}]
        children.append(
            [{n: getattr(o, n) for n in names} for o in getattr(version, related).all()]
        )
    return create_draft_version(
        version.procedure,
        actor=actor,
        values=values,
        components=children[0],
        fees=children[1],
        steps=children[2],
        implementing_agencies=list(version.implementing_agencies.all()),
    )


@transaction.atomic
def publish_version(version: ProcedureVersion, *, actor) -> ProcedureVersion:
    """Make `version` the current one; the previous published version becomes superseded.

    Published versions are never edited again (dossiers pin them)."""
    procedure = Procedure.objects.select_for_update().get(pk=version.procedure_id)
    version = ProcedureVersion.objects.select_for_update().get(pk=version.pk)
    if version.status != ProcedureVersion.Status.DRAFT:
        raise CatalogueError("not_a_draft", _("Only a draft version can be published."))
    procedure.versions.filter(status=ProcedureVersion.Status.PUBLISHED).update(
        status=ProcedureVersion.Status.SUPERSEDED
    )
    version.status = ProcedureVersion.Status.PUBLISHED
    version.published_at = timezone.now()
    version.save(update_fields=["status", "published_at"])
    _sync_procedure_columns(procedure, version)
    record_event("procedure.version_published", version, actor=actor, number=version.number)
    return version


@dataclass
class NewProcedure:
    """What `create_procedures` needs for one procedure (as `create_procedure`'s arguments)."""

    code: str
    values: dict[str, Any]
    owner_agency: Agency | None = None
    components: Iterable[dict] = ()
    fees: Iterable[dict] = ()
    steps: Iterable[dict] = ()
    implementing_agencies: Iterable[Agency] = ()
    change_note: str = ""


@transaction.atomic
def create_procedure(
    code: str, *, actor, owner_agency=None, values: dict[str, Any], **children
) -> Procedure:
    """A new procedure with its first version, published."""
    item = NewProcedure(code, values, owner_agency, **children)
    return create_procedures([item], actor=actor)[0]


@transaction.atomic
def create_procedures(items: list[NewProcedure], *, actor) -> list[Procedure]:
    """New procedures, each with its first version published at once: the validation,
    denormalised columns and audit events of a draft published with `publish_version`,
    written with bulk inserts so that a catalogue import of thousands stays fast."""
    _refuse_existing_codes([item.code for item in items])
    procedures = [Procedure(code=item.code, owner_agency=item.owner_agency) for item in items]
    for procedure in procedures:
        procedure.full_clean(exclude=["current_version", "field"], validate_unique=False)
    Procedure.objects.bulk_create(procedures)
    versions = [_first_version(p, item, actor) for p, item in zip(procedures, items, strict=True)]
    ProcedureVersion.objects.bulk_create(versions)
    _bulk_children(versions, items)
    for procedure, version in zip(procedures, versions, strict=True):
        _set_procedure_columns(procedure, version)
    Procedure.objects.bulk_update(procedures, SYNCED_COLUMNS)
    for version in versions:
        record_event("procedure.version_created", version, actor=actor, number=1)
        record_event("procedure.version_published", version, actor=actor, number=1)
    return procedures


def _refuse_existing_codes(codes: list[str]) -> None:
    taken = sorted(Procedure.objects.filter(code__in=codes).values_list("code", flat=True))
    duplicates = sorted({code for code in codes if codes.count(code) > 1})
    if taken or duplicates:
        code = ", ".join(taken or duplicates)
        raise CatalogueError(
            "duplicate_code", _("A procedure with code %(code)s exists.") % {"code": code}
        )


def _first_version(procedure: Procedure, item: NewProcedure, actor) -> ProcedureVersion:
    version = ProcedureVersion(
        procedure=procedure,
        number=1,
        status=ProcedureVersion.Status.PUBLISHED,
        published_at=timezone.now(),
        created_by=actor if getattr(actor, "pk", None) else None,
        change_note=item.change_note,
        **item.values,
    )
    version.full_clean(exclude=["procedure", "created_by"])
    return version


def _bulk_children(versions: list[ProcedureVersion], items: list[NewProcedure]) -> None:
    for related, model in VERSION_CHILDREN:
        objects = [
            model(version=version, **row)
            for version, item in zip(versions, items, strict=True)
            for row in getattr(item, related)
        ]
        for obj in objects:
            obj.full_clean(exclude=["version"])
        model.objects.bulk_create(objects)
    through = ProcedureVersion.implementing_agencies.through
    links = [
        through(procedureversion=version, agency=agency)
        for version, item in zip(versions, items, strict=True)
        for agency in item.implementing_agencies
    ]
    through.objects.bulk_create(links)


@transaction.atomic
def assign_local_agencies(procedure: Procedure, *, owner, implementing, actor) -> bool:
    """Localise a procedure to the province: the agency that maintains the entry and the
    local agencies that carry it out. The published content is not changed, so no new
    version is made. Returns whether anything changed (audited only then)."""
    procedure = Procedure.objects.select_for_update().get(pk=procedure.pk)
    version = procedure.current_version
    wanted = {agency.pk for agency in implementing}
    current = set(version.implementing_agencies.values_list("pk", flat=True)) if version else set()
    changed = procedure.owner_agency_id != getattr(owner, "pk", None) or wanted != current
    if not changed:
        return False
    procedure.owner_agency = owner
    procedure.save(update_fields=["owner_agency", "updated_at"])
    if version is not None:
        version.implementing_agencies.set(implementing)
    record_event(
        "procedure.localised",
        procedure,
        actor=actor,
        owner=getattr(owner, "code", None),
        implementing=sorted(a.code for a in implementing),
    )
    return True
