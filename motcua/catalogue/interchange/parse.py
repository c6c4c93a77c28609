"""A JSON object in either schema -> a validated `ProcedureRecord`, or a `RecordError`.

Each richer key (applicant_types, online_level, time_limit_unit, fees, steps...) is taken as
given when present and derived by the portal rules when absent, so the national file, the
demo file (national records plus process steps) and motcua's own exports all read here.
Records marked with `"schema"` (our exports) keep their documents exactly as written.
Validation is the models' own (`full_clean`), so each rule lives once.
"""

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from motcua.interchange import RecordError

from ..models import Component, Fee, ProcedureVersion, ProcessStep, procedure_code_validator
from . import portal
from .documents import repair_documents
from .notes import Note, note_from_json, unique_notes
from .record import JSON_NAMES, SCHEMA, ProcedureRecord, json_number

TEXT_KEYS = [
    "procedure_type",
    "publishing_agency",
    "decision_number",
    "target_subjects",
    "receiving_address",
    "steps_text",
    "requirements",
    "result",
    "legal_basis_text",
    "time_limit_text",
    "fees_text",
]
LIST_KEYS = ["levels", "results", "legal_basis"]
# Top-level notes on where a value came from (the demo file), kept in `source`.
SOURCE_MARKERS = ["process_template_source", "time_limit_source"]
FIELD_NAME_LIMIT = 255


def parse_record(data: Any) -> ProcedureRecord:
    if not isinstance(data, dict):
        raise RecordError(_("The record is not a JSON object."))
    canonical = _is_canonical(data)
    code, name, field_name = _identity(data)
    record = ProcedureRecord(code=code, field_name=field_name, values={"name": name})
    record.field_code = _text(data, "field_code").strip()
    record.inherited_notes = [note_from_json(note) for note in _list(data, "import_notes")]
    record.notes = list(record.inherited_notes)
    _read_texts(data, record)
    _read_channels_and_time(data, record, canonical)
    _read_documents(data, record, canonical)
    _read_fees(data, record)
    _read_who(data, record)
    record.steps = [_step(step, i) for i, step in enumerate(_list(data, "steps"), start=1)]
    _read_agencies(data, record)
    record.notes = unique_notes(record.notes)
    validate(record)
    return record


def _is_canonical(data: dict[str, Any]) -> bool:
    schema = data.get("schema")
    if schema not in (None, "", SCHEMA):
        raise RecordError(_("Unknown schema %(schema)s.") % {"schema": schema})
    return schema == SCHEMA


def _identity(data: dict[str, Any]) -> tuple[str, str, str]:
    code = _text(data, "code").strip()
    try:
        procedure_code_validator(code)
    except ValidationError as error:
        raise RecordError(_("Invalid code %(code)r: %(error)s") % _err(code, error)) from error
    name = _text(data, "name").strip()
    if not name:
        raise RecordError(_("The name is empty."))
    field_name = _text(data, "field").strip()
    if not field_name:
        raise RecordError(_("The field (lĩnh vực) is empty."))
    if len(field_name) > FIELD_NAME_LIMIT:
        raise RecordError(_("The field name is longer than 255 characters."))
    return code, name, field_name


def _err(code: str, error: ValidationError) -> dict[str, str]:
    return {"code": code, "error": " ".join(error.messages)}


def _read_texts(data: dict[str, Any], record: ProcedureRecord) -> None:
    values = record.values
    for key in TEXT_KEYS:
        values[key] = _text(data, key)
    for json_key, column in JSON_NAMES.items():
        values[column] = _text(data, json_key)
    for key in LIST_KEYS:
        values[key] = _list(data, key)
    values["source"] = _source(data)
    values["boundary_independent"] = _bool(data.get("boundary_independent"), "boundary_independent")
    values["supplement_clock"] = _text(data, "supplement_clock").strip()
    delegated = _text(data, "delegated_agency").strip()
    if delegated:
        record.notes.append(Note.of("delegated_agency_dropped", delegated))


def _source(data: dict[str, Any]) -> dict[str, Any]:
    source = data.get("source") or {}
    if not isinstance(source, dict):
        raise RecordError(_("source: expected an object."))
    for key in SOURCE_MARKERS:
        if data.get(key):
            source = {**source, key: str(data[key])}
    return source


def _read_channels_and_time(data: dict[str, Any], record: ProcedureRecord, canonical: bool) -> None:
    channels, limits = _channel_entries(data, record, canonical)
    record.values["channels"] = channels
    if "time_limit_unit" in data:  # our schema states the headline limit
        value = portal.decimal_or_none(data.get("time_limit_value"))
        unit = str(data.get("time_limit_unit") or "")
        unit = str(portal.TIME_UNITS.get(unit.lower(), unit)) if unit else ""
    else:
        value, unit = portal.headline_time(limits)
    record.values["time_limit_value"] = value
    record.values["time_limit_unit"] = unit
    for row in limits:  # stored as JSON
        row["value"] = json_number(row["value"])
        row["unit"] = str(row["unit"]) if row["unit"] else None
    record.values["channel_time_limits"] = limits


def _channel_entries(
    data: dict[str, Any], record: ProcedureRecord, canonical: bool
) -> tuple[list[str], list[dict[str, Any]]]:
    """Channels in order of first mention, and a time-limit row for each entry that states
    any time (our records read as written, portal ones through the repair rules)."""
    channels: list[str] = []
    limits: list[dict[str, Any]] = []
    for entry in _list(data, "channels"):
        entry = {"channel": entry} if isinstance(entry, str) else entry
        if not isinstance(entry, dict):
            raise RecordError(_("channels: each entry must be an object or a name."))
        channel = str(entry.get("channel") or "")
        if channel not in channels:
            channels.append(channel)
        if {"time_limit", "time_limit_value", "time_limit_unit"} & entry.keys():
            row, notes = (portal.literal_time if canonical else portal.channel_time)(entry)
            record.notes.extend(notes)
            if row["text"] or row["value"] is not None:
                limits.append(row)
    return channels, limits


def _read_documents(data: dict[str, Any], record: ProcedureRecord, canonical: bool) -> None:
    rows = _list(data, "documents")
    note = _text(data, "documents_note")
    if canonical:
        record.components = [_component(row, i) for i, row in enumerate(rows, start=1)]
        record.values["documents_note"] = note
        return
    checked = [_component(row, i) for i, row in enumerate(rows, start=1)]
    components, documents_note, notes = repair_documents(checked, note)
    record.components = components
    record.values["documents_note"] = documents_note
    record.notes.extend(notes)


def _component(row: Any, index: int) -> dict[str, Any]:
    row = _child(row, "documents", index)
    files = row.get("form_files") or []
    if not isinstance(files, list):
        raise RecordError(
            _("%(where)s: form_files must be a list.") % _where(row, "documents", index)
        )
    return {
        "order": _int(_order(row, index), row, "documents", index),
        "case": str(row.get("case") or ""),
        "name": str(row.get("name") or ""),
        "originals": _int(row.get("originals") or 0, row, "documents", index),
        "copies": _int(row.get("copies") or 0, row, "documents", index),
        "is_mandatory": _bool(row.get("is_mandatory"), "is_mandatory", default=True),
        "form_files": [str(name) for name in files],
        "kind": str(row.get("kind") or "document"),
        "filing": str(row.get("filing") or "any"),
        **_row_of(row),
    }


def _read_fees(data: dict[str, Any], record: ProcedureRecord) -> None:
    if "fees" in data:
        record.fees = [_fee(row, i) for i, row in enumerate(_list(data, "fees"), start=1)]
        return
    record.fees, notes = portal.fees([e for e in _list(data, "channels") if isinstance(e, dict)])
    record.notes.extend(notes)


def _fee(row: Any, index: int) -> dict[str, Any]:
    row = _child(row, "fees", index)
    return {
        "order": _int(_order(row, index), row, "fees", index),
        "name": str(row.get("name") or ""),
        "amount": portal.decimal_or_none(row.get("amount")),
        "rule": str(row.get("rule") or ""),
        "channel": str(row.get("channel") or ""),
        "charged_at": str(row.get("charged_at") or Fee.ChargedAt.RECEIPT),
        **_row_of(row),
    }


def _step(row: Any, index: int) -> dict[str, Any]:
    row = _child(row, "steps", index)
    return {
        "order": _int(_order(row, index), row, "steps", index),
        "name": str(row.get("name") or ""),
        "role": str(row.get("role") or ""),
        "budget_hours": portal.decimal_or_none(row.get("budget_hours")),
        "agency": str(row.get("agency") or "") or None,
        "department": str(row.get("department") or "") or None,
        "is_inter_agency": _bool(row.get("is_inter_agency"), "is_inter_agency"),
        **_row_of(row),
    }


def _read_who(data: dict[str, Any], record: ProcedureRecord) -> None:
    values = record.values
    if "applicant_types" in data:
        values["applicant_types"] = [str(kind) for kind in _list(data, "applicant_types")]
    else:
        values["applicant_types"], notes = portal.applicant_types(values["target_subjects"])
        record.notes.extend(notes)
    if data.get("online_level"):
        values["online_level"] = str(data["online_level"])
    else:
        level, notes = portal.online_level(values["channels"], data.get("online_available"))
        values["online_level"] = level
        record.notes.extend(notes)


def _read_agencies(data: dict[str, Any], record: ProcedureRecord) -> None:
    record.owner_agency = _text(data, "owner_agency").strip()
    record.implementing_agencies = [str(c) for c in _list(data, "implementing_agencies") if c]
    record.deciding_agency = _text(data, "deciding_agency").strip()


# --- small readers ---------------------------------------------------------------------


def _text(data: dict[str, Any], key: str) -> str:
    value = data.get(key)
    if value is None:
        return ""
    if isinstance(value, dict | list):
        raise RecordError(_("%(key)s: expected text.") % {"key": key})
    return str(value)


def _list(data: dict[str, Any], key: str) -> list[Any]:
    value = data.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        raise RecordError(_("%(key)s: expected a list.") % {"key": key})
    return value


def _bool(value: Any, key: str, default: bool = False) -> bool:
    if value is None or value == "":
        return default
    if isinstance(value, bool):
        return value
    lowered = str(value).strip().lower()
    if lowered in {"true", "1", "yes"}:
        return True
    if lowered in {"false", "0", "no"}:
        return False
    raise RecordError(_("%(key)s: expected true or false.") % {"key": key})


def _int(value: Any, row: dict[str, Any], kind: str, index: int) -> int:
    try:
        number = Decimal(str(value))
    except ArithmeticError:
        number = Decimal("NaN")
    if not number.is_finite() or number != number.to_integral_value() or number < 0:
        raise RecordError(_("%(where)s: expected a whole number.") % _where(row, kind, index))
    return int(number)


def _order(row: dict[str, Any], index: int) -> Any:
    """The given order (0 included), else the position in the list."""
    order = row.get("order")
    return index if order is None or order == "" else order


def _row_of(row: dict[str, Any]) -> dict[str, Any]:
    """Keep the workbook row (`_row`, e.g. "steps row 7") of a child for error messages."""
    return {"_row": row["_row"]} if row.get("_row") else {}


def model_values(row: dict[str, Any]) -> dict[str, Any]:
    """A child row as model keyword arguments: no row number, no agency codes."""
    return {k: v for k, v in row.items() if k not in {"_row", "agency", "department"}}


def _child(row: Any, kind: str, index: int) -> dict[str, Any]:
    if not isinstance(row, dict):
        raise RecordError(_("%(where)s: expected an object.") % _where({}, kind, index))
    return row


def _where(row: dict[str, Any], kind: str, index: int) -> dict[str, str]:
    """ "documents #3" in JSON; "components row 14" when a workbook named the row."""
    if row.get("_row"):
        return {"where": str(row["_row"])}
    return {"where": f"{kind} #{index}"}


# --- validation by the models ----------------------------------------------------------


def validate(record: ProcedureRecord) -> None:
    """Check the record with the models' own validators before anything is saved."""
    version = ProcedureVersion(**record.values)
    _clean(version, "", ["procedure", "field", "number", "created_by", "deciding_agency"])
    for kind, model, rows in (
        ("documents", Component, record.components),
        ("fees", Fee, record.fees),
        ("steps", ProcessStep, record.steps),
    ):
        for index, row in enumerate(rows, start=1):
            label = _where(row, kind, index)["where"] + ": "
            _clean(model(**model_values(row)), label, ["version", "agency", "department"])


def _clean(obj: Any, label: str, exclude: list[str]) -> None:
    try:
        obj.full_clean(exclude=exclude)
    except ValidationError as error:
        raise RecordError(label + _validation_text(error)) from error


def _validation_text(error: ValidationError) -> str:
    if hasattr(error, "error_dict"):
        return "; ".join(
            f"{field}: {' '.join(messages)}" for field, messages in error.message_dict.items()
        )
    return " ".join(error.messages)
