"""Import parsed records into the catalogue through the catalogue services.

Policy:
- Every record is parsed and validated first; with `strict`, one bad record refuses the
  whole file before anything is written.
- Then the whole file is written in ONE transaction, so an interrupted run (error, Ctrl-C,
  crash) changes nothing. A record the services refuse is rolled back to its savepoint and
  reported as skipped (in strict mode it refuses the file).
- A record whose content equals the current published version is left alone; a changed
  one becomes a new published version (the old one is superseded); a new code becomes a
  new procedure. So importing the same file twice changes nothing the second time.
"""

from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from motcua.organisations.models import Agency

from ..errors import CatalogueError
from ..models import Component, Field, Procedure, ProcedureVersion
from ..services import (
    NewProcedure,
    create_draft_version,
    create_procedures,
    publish_version,
)
from . import hooks
from .exporter import current_record, with_current_content
from .notes import Note
from .parse import RecordError, model_values, parse_record
from .record import Location, ProcedureRecord, content
from .references import AgencyDirectory, References, field_code_for

BATCH = 500
CHANGE_NOTE_LIMIT = 500


@dataclass
class Outcome:
    location: Location
    code: str
    action: str  # created | new_version | unchanged | skipped
    reason: str = ""
    notes: list[Note] = field(default_factory=list)


@dataclass
class ImportResult:
    outcomes: list[Outcome] = field(default_factory=list)
    rules: Counter = field(default_factory=Counter)
    dry_run: bool = False
    extra: list[str] = field(default_factory=list)  # the lines of other apps' hooks

    def count(self, action: str) -> int:
        return sum(1 for outcome in self.outcomes if outcome.action == action)

    @property
    def repaired(self) -> int:
        return sum(1 for o in self.outcomes if o.notes and o.action in WRITTEN)


WRITTEN = {"created", "new_version"}


class ImportRefused(Exception):
    """Strict mode met a record it cannot import; nothing was changed."""

    def __init__(self, result: ImportResult):
        super().__init__(_("The file has records that cannot be imported; nothing was changed."))
        self.result = result


class _StrictStop(Exception):
    """A record refused while writing in strict mode: unwinds the whole transaction."""

    def __init__(self, outcome: Outcome):
        super().__init__(outcome.reason)
        self.outcome = outcome


@dataclass
class ImportOptions:
    actor: Any = None
    strict: bool = False
    dry_run: bool = False
    owner_agency: Agency | None = None
    source_name: str = ""
    progress: Callable[[int, int], None] | None = None


@dataclass
class Prepared:
    location: Location
    record: ProcedureRecord | None
    refs: References | None = None
    code: str = ""
    reason: str = ""


def import_records(rows: Iterable[tuple[Location, Any]], options: ImportOptions) -> ImportResult:
    """Parse, validate and write the rows; see the module docstring for the policy."""
    prepared = prepare(rows, options)
    result = ImportResult(dry_run=options.dry_run)
    result.outcomes = [_skipped(p) for p in prepared if p.record is None]
    if options.strict and result.outcomes:
        raise ImportRefused(result)
    try:
        with transaction.atomic():
            written = list(_Writer(options, result).write([p for p in prepared if p.record]))
            result.extra = hooks.run(_published([o.code for o in written if o.action in WRITTEN]))
            if options.dry_run:
                transaction.set_rollback(True)
    except _StrictStop as stop:
        result.outcomes.append(stop.outcome)
        raise ImportRefused(result) from stop
    result.outcomes.extend(written)
    result.outcomes.sort(key=lambda o: (o.location.sheet, o.location.line))
    return result


def _published(codes: list[str]) -> list[ProcedureVersion]:
    """The versions the import just published, for the other apps' hooks."""
    if not codes:
        return []
    versions = ProcedureVersion.objects.filter(
        procedure__code__in=codes, procedure__current_version=F("pk")
    )
    return list(versions.select_related("procedure").order_by("procedure__code"))


def prepare(rows: Iterable[tuple[Location, Any]], options: ImportOptions) -> list[Prepared]:
    """Parse every row, refuse duplicates and unknown agency codes (reads only)."""
    directory = AgencyDirectory(owner_agency=options.owner_agency)
    seen: dict[str, Location] = {}
    prepared = []
    for location, data in rows:
        item = _prepare_one(location, data, seen, directory)
        if item.record is not None:
            seen[item.record.code] = location
        prepared.append(item)
    return prepared


def _prepare_one(
    location: Location, data: Any, seen: dict[str, Location], directory: AgencyDirectory
) -> Prepared:
    code = str(data.get("code") or "") if isinstance(data, dict) else ""
    try:
        if isinstance(data, RecordError):  # the reader could not decode the row
            raise data
        record = parse_record(data)
        if record.code in seen:
            raise RecordError(
                _("Duplicate code %(code)s: first given at %(first)s.")
                % {"code": record.code, "first": seen[record.code]}
            )
        return Prepared(location, record, directory.resolve(record), code=record.code)
    except RecordError as error:
        return Prepared(location, None, code=code, reason=error.reason)


def _skipped(item: Prepared) -> Outcome:
    return Outcome(item.location, item.code, "skipped", reason=item.reason)


class _Writer:
    """Writes prepared records in batches: new codes with one bulk `create_procedures` per
    batch, changed ones with `create_draft_version` + `publish_version`, each in a savepoint
    so that a refused record is skipped without undoing the others."""

    def __init__(self, options: ImportOptions, result: ImportResult):
        self.options = options
        self.result = result
        self.fields = {f.name: f for f in Field.objects.all()}

    def write(self, prepared: list[Prepared]) -> Iterator[Outcome]:
        for start in range(0, len(prepared), BATCH):
            batch = prepared[start : start + BATCH]
            for item in batch:  # outside any savepoint: a field is shared by many records
                _field(item.record, self.fields)  # type: ignore[arg-type]
            current = _current_records([item.record.code for item in batch])  # type: ignore[union-attr]
            yield from self._create([item for item in batch if item.code not in current])
            for item in batch:
                if item.code in current:
                    yield self._guarded(item, partial(self._update, item, current[item.code]))
            if self.options.progress:
                self.options.progress(start + len(batch), len(prepared))

    def _create(self, items: list[Prepared]) -> Iterator[Outcome]:
        try:
            with transaction.atomic():
                create_procedures([self._new(i) for i in items], actor=self.options.actor)
        except (CatalogueError, ValidationError):
            # Some record was refused after all: write them one by one to skip just that one.
            for item in items:
                yield self._guarded(item, partial(self._create_one, item))
            return
        for item in items:
            yield self._done(item, "created")

    def _create_one(self, item: Prepared) -> str:
        create_procedures([self._new(item)], actor=self.options.actor)
        return "created"

    def _new(self, item: Prepared) -> NewProcedure:
        record, refs = item.record, item.refs
        assert record is not None and refs is not None
        return NewProcedure(
            code=record.code,
            values=_version_values(record, refs, self.fields),
            owner_agency=refs.owner,
            change_note=_change_note(self.options.source_name, item.location),
            **_children(record, refs, None),
        )

    def _update(self, item: Prepared, existing: tuple[Procedure, ProcedureRecord | None]) -> str:
        record, refs = item.record, item.refs
        assert record is not None and refs is not None
        procedure, stored = existing
        keep_local, keep_places = _keeps_local_agencies(record), _keeps_step_places(record)
        if stored is not None and _comparable(stored, keep_local, keep_places) == _comparable(
            record, keep_local, keep_places
        ):
            return "unchanged"
        if keep_local and procedure.current_version_id:
            current = procedure.current_version
            refs.implementing = list(current.implementing_agencies.all())
            refs.deciding = current.deciding_agency
        children = _children(record, refs, procedure)
        if keep_places and procedure.current_version_id:
            _keep_step_places(children["steps"], procedure.current_version)
        version = create_draft_version(
            procedure,
            actor=self.options.actor,
            values=_version_values(record, refs, self.fields),
            change_note=_change_note(self.options.source_name, item.location),
            **children,
        )
        publish_version(version, actor=self.options.actor)
        return "new_version"

    def _guarded(self, item: Prepared, action: Callable[[], str]) -> Outcome:
        try:
            with transaction.atomic():
                verb = action()
        except (CatalogueError, ValidationError) as error:
            outcome = Outcome(item.location, item.code, "skipped", reason=_error_text(error))
            if self.options.strict:
                raise _StrictStop(outcome) from error
            return outcome
        return self._done(item, verb)

    def _done(self, item: Prepared, action: str) -> Outcome:
        record = item.record
        assert record is not None
        if action not in WRITTEN:
            return Outcome(item.location, record.code, action)
        self.result.rules.update(note.rule for note in record.new_notes)
        return Outcome(item.location, record.code, action, notes=record.reported_notes)


def _error_text(error: CatalogueError | ValidationError) -> str:
    if isinstance(error, CatalogueError):
        return error.message
    return " ".join(error.messages)


def _version_values(
    record: ProcedureRecord, refs: References, fields: dict[str, Field]
) -> dict[str, Any]:
    values = dict(record.values)
    values["field"] = _field(record, fields)
    values["import_notes"] = [note.as_json() for note in record.notes]
    values["deciding_agency"] = refs.deciding
    return values


def _field(record: ProcedureRecord, fields: dict[str, Field]) -> Field:
    """The field of that name, created with a code slug when new (folded name, '-')."""
    if record.field_name not in fields:
        taken = {f.code for f in fields.values()}
        code = field_code_for(record.field_name, record.field_code, taken)
        fields[record.field_name] = Field.objects.create(code=code, name=record.field_name)
    return fields[record.field_name]


def _children(
    record: ProcedureRecord, refs: References, procedure: Procedure | None
) -> dict[str, Any]:
    uploaded = _uploaded_forms(procedure)
    components = [model_values(row) for row in record.components]
    for row in components:
        if row["name"] in uploaded:  # keep a form an administrator uploaded earlier
            row["form_file"] = uploaded[row["name"]]
    steps = [
        {**model_values(row), "agency": agency, "department": department}
        for row, (agency, department) in zip(record.steps, refs.steps, strict=True)
    ]
    return {
        "components": components,
        "fees": [model_values(row) for row in record.fees],
        "steps": steps,
        "implementing_agencies": refs.implementing,
    }


def _keeps_local_agencies(record: ProcedureRecord) -> bool:
    """A record that names no local agencies (the national data never does) leaves the
    province's assignment of implementing and deciding agencies as it is."""
    return not record.implementing_agencies and not record.deciding_agency


def _keeps_step_places(record: ProcedureRecord) -> bool:
    """Likewise, a record whose steps name no agency or department leaves where the
    province placed each step (its internal process, Circular 01/2018 art. 8) as it is."""
    return not any(step.get("agency") or step.get("department") for step in record.steps)


def _keep_step_places(steps: list[dict[str, Any]], current: ProcedureVersion) -> None:
    """The agency and department the province gave each step still there (same order and
    role) in the current version."""
    placed = {
        (step.order, step.role): (step.agency, step.department)
        for step in current.steps.select_related("agency", "department")
    }
    for step in steps:
        step["agency"], step["department"] = placed.get((step["order"], step["role"]), (None, None))


def _comparable(record: ProcedureRecord, keep_local: bool, keep_places: bool) -> dict[str, Any]:
    data = content(record)
    if keep_local:
        data.pop("implementing_agencies", None)
        data.pop("deciding_agency", None)
    if keep_places:
        for step in data["steps"]:
            step.pop("agency", None)
            step.pop("department", None)
    return data


def _uploaded_forms(procedure: Procedure | None) -> dict[str, Any]:
    if procedure is None or procedure.current_version_id is None:
        return {}
    rows = Component.objects.filter(version_id=procedure.current_version_id).exclude(form_file="")
    return {row.name: row.form_file for row in rows}


def _change_note(source_name: str, location: Location) -> str:
    note = _("Imported from %(file)s, %(where)s") % {"file": source_name, "where": location}
    return note[:CHANGE_NOTE_LIMIT]


def _current_records(codes: list[str]) -> dict[str, tuple[Procedure, ProcedureRecord | None]]:
    """The stored procedures among `codes`, each with the record of its published version."""
    procedures = with_current_content(Procedure.objects.filter(code__in=codes))
    return {procedure.code: (procedure, current_record(procedure)) for procedure in procedures}
