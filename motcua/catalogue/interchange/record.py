"""One procedure as plain data, and its JSON form (the canonical interchange schema).

The JSON form is a superset of the national portal schema described in
../shared/data/procedures/README.md: the same keys mean the same things ("agency" is the
implementing agency as text, "documents" are the components, "channels" a list of
{"channel", "time_limit", "time_limit_value", "time_limit_unit"}), plus motcua's fields
(field_code, applicant_types, online_level, boundary_independent, the headline time limit,
fees, process steps, agency codes, import_notes). A "schema" key marks records written by
motcua, which are read literally, without the portal repair rules.
"""

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from ..models import ProcedureVersion
from .notes import Note, note_from_json

SCHEMA = "motcua-catalogue/1"

# ProcedureVersion columns carried as they are, in the order they are written.
VALUE_FIELDS = [
    "name",
    "procedure_type",
    "publishing_agency",
    "decision_number",
    "levels",
    "applicant_types",
    "target_subjects",
    "implementing_agency_text",
    "competent_authority_text",
    "coordinating_agency_text",
    "receiving_address",
    "channels",
    "online_level",
    "boundary_independent",
    "supplement_clock",
    "steps_text",
    "requirements",
    "result",
    "results",
    "legal_basis",
    "legal_basis_text",
    "time_limit_value",
    "time_limit_unit",
    "time_limit_text",
    "channel_time_limits",
    "fees_text",
    "documents_note",
    "source",
]
# JSON key -> column, where the portal schema names a column differently.
JSON_NAMES = {
    "agency": "implementing_agency_text",
    "competent_authority": "competent_authority_text",
    "coordinating_agency": "coordinating_agency_text",
}
COMPONENT_KEYS = [
    "order",
    "case",
    "name",
    "originals",
    "copies",
    "is_mandatory",
    "form_files",
    "kind",
    "filing",
]
FEE_KEYS = ["order", "name", "amount", "rule", "channel", "charged_at"]
STEP_KEYS = ["order", "name", "role", "budget_hours", "agency", "department", "is_inter_agency"]


@dataclass(frozen=True)
class Location:
    """Where a record came from: a JSON Lines line, or a row of a workbook sheet."""

    line: int
    sheet: str = ""

    def __str__(self) -> str:
        if self.sheet:
            return f"{self.sheet} row {self.line}"
        return f"line {self.line}"


@dataclass
class ProcedureRecord:
    """Content of one procedure version; agencies and departments are given by code."""

    code: str
    field_name: str
    values: dict[str, Any]
    field_code: str = ""
    components: list[dict[str, Any]] = field(default_factory=list)
    fees: list[dict[str, Any]] = field(default_factory=list)
    steps: list[dict[str, Any]] = field(default_factory=list)
    owner_agency: str = ""
    implementing_agencies: list[str] = field(default_factory=list)
    deciding_agency: str = ""
    notes: list[Note] = field(default_factory=list)
    # Notes already in the record's "import_notes" (an earlier import made those repairs).
    inherited_notes: list[Note] = field(default_factory=list)

    @property
    def new_notes(self) -> list[Note]:
        """The repairs and derivations this reading made."""
        inherited = set(self.inherited_notes)
        return [note for note in self.notes if note not in inherited]

    @property
    def reported_notes(self) -> list[Note]:
        return [note for note in self.new_notes if note.reported]


def json_number(value: Decimal | float | int | None) -> int | float | None:
    """7.00 -> 7, 2.50 -> 2.5: the shortest JSON number for a stored decimal."""
    if value is None:
        return None
    number = Decimal(str(value))
    if number == number.to_integral_value():
        return int(number)
    return float(number)


def to_json(record: ProcedureRecord) -> dict[str, Any]:
    """The record in the interchange schema (what `export_catalogue` writes)."""
    values = record.values
    data: dict[str, Any] = {"schema": SCHEMA, "code": record.code}
    data["name"] = values["name"]
    data["field"] = record.field_name
    data["field_code"] = record.field_code
    for key in ("levels", "procedure_type", "publishing_agency", "decision_number"):
        data[key] = values[key]
    data["applicant_types"] = values["applicant_types"]
    data["target_subjects"] = values["target_subjects"]
    for json_key, column in JSON_NAMES.items():
        data[json_key] = values[column]
    data["receiving_address"] = values["receiving_address"]
    data["owner_agency"] = record.owner_agency
    data["implementing_agencies"] = sorted(record.implementing_agencies)
    data["deciding_agency"] = record.deciding_agency
    data["channels"] = channel_rows(values["channels"], values["channel_time_limits"])
    data["online_available"] = "online" in values["channels"]
    for key in ("online_level", "boundary_independent", "supplement_clock"):
        data[key] = values[key]
    data["time_limit_value"] = json_number(values["time_limit_value"])
    data["time_limit_unit"] = values["time_limit_unit"]
    for key in ("time_limit_text", "fees_text"):
        data[key] = values[key]
    data["fees"] = [_child_json(fee, FEE_KEYS) for fee in record.fees]
    data["documents"] = [_child_json(c, COMPONENT_KEYS) for c in record.components]
    for key in ("documents_note", "requirements", "result", "results", "legal_basis"):
        data[key] = values[key]
    for key in ("legal_basis_text", "steps_text", "source"):
        data[key] = values[key]
    data["steps"] = [_child_json(step, STEP_KEYS) for step in record.steps]
    data["import_notes"] = [note.as_json() for note in record.notes]
    return data


def content(record: ProcedureRecord) -> dict[str, Any]:
    """What makes two versions the same: everything but identity and ownership details."""
    data = to_json(record)
    for key in ("schema", "field_code", "owner_agency", "online_available"):
        del data[key]
    return data


def channel_rows(channels: list[str], limits: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Portal-style channel entries: one per time-limit row, channels without one bare."""
    rows: list[dict[str, Any]] = []
    for channel in channels:
        matching = [row for row in limits if row.get("channel") == channel]
        rows.extend(_channel_json(row) for row in matching)
        if not matching:
            rows.append({"channel": channel})
    rows.extend(_channel_json(row) for row in limits if row.get("channel") not in channels)
    return rows


def _channel_json(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "channel": row.get("channel"),
        "time_limit": row.get("text"),
        "time_limit_value": json_number(row.get("value")),
        "time_limit_unit": row.get("unit"),
    }


def _child_json(child: dict[str, Any], keys: list[str]) -> dict[str, Any]:
    data = {key: child.get(key) for key in keys}
    for key in ("amount", "budget_hours"):
        if key in data:
            data[key] = json_number(data[key])
    return data


def from_version(version: ProcedureVersion) -> ProcedureRecord:
    """The record of a stored version (children and agencies prefetched by the caller)."""
    owner = version.procedure.owner_agency
    return ProcedureRecord(
        code=version.procedure.code,
        field_name=version.field.name,
        field_code=version.field.code,
        values={name: getattr(version, name) for name in VALUE_FIELDS},
        components=[_child_values(c, COMPONENT_KEYS) for c in version.components.all()],
        fees=[_child_values(fee, FEE_KEYS) for fee in version.fees.all()],
        steps=[_step_values(step) for step in version.steps.all()],
        owner_agency=owner.code if owner else "",
        implementing_agencies=[agency.code for agency in version.implementing_agencies.all()],
        deciding_agency=version.deciding_agency.code if version.deciding_agency else "",
        notes=[note_from_json(note) for note in version.import_notes or []],
    )


def _child_values(obj: Any, keys: list[str]) -> dict[str, Any]:
    return {key: getattr(obj, key) for key in keys}


def _step_values(step: Any) -> dict[str, Any]:
    values = _child_values(step, [key for key in STEP_KEYS if key not in {"agency", "department"}])
    values["agency"] = step.agency.code if step.agency else None
    values["department"] = step.department.code if step.department else None
    return values
