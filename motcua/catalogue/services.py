"""Changes to the catalogue. Every change goes through here and is audited."""

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.audit.services import record_event

from .errors import CatalogueError
from .models import Component, Fee, Procedure, ProcedureVersion, ProcessStep
from .text import fold

VERSION_CHILDREN = (("components", Component), ("fees", Fee), ("steps", ProcessStep))


def search_text_for(version: ProcedureVersion) -> str:
    parts = [version.procedure.code, version.name, version.field.name]
    return fold(" ".join(parts))


def _sync_procedure_columns(procedure: Procedure, version: ProcedureVersion) -> None:
    procedure.current_version = version
    procedure.name = version.name
    procedure.field = version.field
    procedure.levels_index = " " + " ".join(sorted(version.levels)) + " "
    procedure.online_level = version.online_level
    procedure.search_text = search_text_for(version)
    procedure.save(
        update_fields=[
            "current_version",
            "name",
            "field",
            "levels_index",
            "online_level",
            "search_text",
            "updated_at",
        ]
    )


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


@transaction.atomic
def create_procedure(
    code: str, *, actor, owner_agency=None, values: dict[str, Any], **children
) -> Procedure:
    """A new procedure with its first version, published."""
    if Procedure.objects.filter(code=code).exists():
        raise CatalogueError(
            "duplicate_code", _("A procedure with code %(code)s exists.") % {"code": code}
        )
    procedure = Procedure(code=code, owner_agency=owner_agency)
    procedure.full_clean(exclude=["current_version", "field"])
    procedure.save()
    version = create_draft_version(procedure, actor=actor, values=values, **children)
    publish_version(version, actor=actor)
    procedure.refresh_from_db()
    return procedure
