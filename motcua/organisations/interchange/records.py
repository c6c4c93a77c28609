"""One unit or agency as plain data, parsed from its JSON object, and back.

A record is a JSON object with "type": "unit" or "agency" (the workbook's sheet says it).
Keys that a record leaves out keep what is stored (a new row gets the default); a key given
empty empties it. The keys are listed in docs/organisations-import.md.
"""

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cache
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from vietnam_provinces import Province, Ward

from ..codes import from_old_agency_code, is_agency_code, is_old_agency_code, validate_alias_code
from ..models import AdministrativeUnit, Agency, Counter, Department, ReceptionPoint
from .files import RecordError

SCHEMA = "motcua-organisations/1"
TYPES = ("unit", "agency")

UNIT_KEYS = [
    "code",
    "name",
    "kind",
    "division_type",
    "parent",
    "is_legacy",
    "valid_from",
    "valid_until",
    "successor",
    "legal_basis",
]
AGENCY_KEYS = [
    "code",
    "name",
    "short_name",
    "kind",
    "parent",
    "unit",
    "address",
    "phone",
    "email",
    "is_active",
    "valid_from",
    "valid_until",
    "successor",
    "legal_basis",
]
ALIAS_KEYS = ["code", "note"]
DEPARTMENT_KEYS = ["code", "name", "is_active"]
POINT_KEYS = ["name", "address", "unit", "is_active"]
COUNTER_KEYS = ["number", "name", "is_active"]
# References by code, kept apart from the values written to the row.
UNIT_REFS = ("parent", "successor")
AGENCY_REFS = ("parent", "successor", "unit")

_UNIT_CODE = re.compile(r"^[0-9A-Za-z][0-9A-Za-z._-]*$")
_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
_TRUE = {"true", "1", "yes", "y", "x", "có", "co"}
_FALSE = {"false", "0", "no", "n", "không", "khong", ""}


@dataclass
class UnitRecord:
    code: str
    values: dict[str, Any]  # the columns given, references left out
    refs: dict[str, str]  # parent, successor -> unit code ("" for none), those given


@dataclass
class AgencyRecord:
    code: str
    values: dict[str, Any]
    refs: dict[str, str]  # parent, successor (agency codes), unit (unit code)
    aliases: list[dict[str, Any]] = field(default_factory=list)
    departments: list[dict[str, Any]] = field(default_factory=list)
    points: list[dict[str, Any]] = field(default_factory=list)  # each with "counters"


Record = UnitRecord | AgencyRecord


class _Errors:
    """Collects every problem of a record, so that one run reports them all."""

    def __init__(self) -> None:
        self.messages: list[str] = []

    def add(self, where: str, message: str) -> None:
        self.messages.append(f"{where}: {message}" if where else message)

    def raise_any(self) -> None:
        if self.messages:
            raise RecordError("; ".join(self.messages))


def parse(data: Any, record_type: str | None = None) -> Record:
    """A validated record from its JSON object, or RecordError with every reason."""
    if isinstance(data, RecordError):
        raise data
    if not isinstance(data, dict):
        raise RecordError(_("A record must be a JSON object."))
    record_type = record_type or str(data.get("type") or "")
    if record_type not in TYPES:
        raise RecordError(
            _("type must be “unit” or “agency”, not “%(value)s”.") % {"value": record_type}
        )
    if record_type == "unit":
        return _unit(data)
    return _agency(data)


def _unit(data: dict[str, Any]) -> UnitRecord:
    errors = _Errors()
    reader = _Reader(data, "", errors)
    code = reader.text("code", 16, required=True)
    if code and not _UNIT_CODE.match(code):
        errors.add("code", _("letters, digits, dots, hyphens and underscores only."))
    values: dict[str, Any] = {}
    reader.put(values, "name", reader.text, 128, required=True)
    reader.put(values, "kind", reader.choice, AdministrativeUnit.Kind, required=True)
    reader.put(values, "division_type", reader.text, 32)
    reader.put(values, "is_legacy", reader.boolean)
    reader.put(values, "legal_basis", reader.text, 255)
    _validity(reader, values, "is_legacy", True, errors)
    refs = {key: reader.text(key, 16) for key in UNIT_REFS if key in data}
    if (values.get("is_legacy") or values.get("valid_until")) and code in current_unit_codes():
        errors.add(
            "code",
            _(
                "%(code)s is the code of a unit of the 2025 list (load_units), which would "
                "take it back: give the unit of before 2025 a code of its own, e.g. "
                "%(prefix)s%(code)s."
            )
            % {"code": code, "prefix": "P" if values.get("kind") == "province" else "C"},
        )
    if code and code in refs.values():
        errors.add("", _("A unit cannot be its own parent or successor."))
    errors.raise_any()
    return UnitRecord(code, values, refs)


@cache
def current_unit_codes() -> frozenset[str]:
    """The codes load_units gives the provinces and communes of the 2025 reform."""
    provinces = {f"{int(p.code):02d}" for p in Province.iter_all()}
    return frozenset(provinces | {f"{int(w.code):05d}" for w in Ward.iter_all()})


def _agency(data: dict[str, Any]) -> AgencyRecord:
    errors = _Errors()
    reader = _Reader(data, "", errors)
    code = reader.text("code", 35, required=True)
    if code and not is_agency_code(code):
        hint = from_old_agency_code(code) if is_old_agency_code(code) else None
        errors.add(
            "code",
            _(
                "“%(code)s” is in the Circular 10/2016 form: give the QĐ 20/2020 code "
                "(%(new)s?) and this one under aliases."
            )
            % {"code": code, "new": hint}
            if hint
            else _("“%(code)s” is not an agency identifier code (QĐ 20/2020), e.g. H15.50.05.13.")
            % {"code": code},
        )
    values: dict[str, Any] = {}
    reader.put(values, "name", reader.text, 255, required=True)
    reader.put(values, "short_name", reader.text, 64)
    reader.put(values, "kind", reader.choice, Agency.Kind, required=True)
    reader.put(values, "address", reader.text, 255)
    reader.put(values, "phone", reader.text, 32)
    reader.put(values, "email", reader.email)
    reader.put(values, "is_active", reader.boolean)
    reader.put(values, "legal_basis", reader.text, 255)
    _validity(reader, values, "is_active", False, errors)
    refs = {key: reader.text(key, 35) for key in AGENCY_REFS if key in data}
    if "unit" not in data or not refs.get("unit"):
        errors.add("unit", _("required (the code of an administrative unit)."))
    if code and code in (refs.get("parent"), refs.get("successor")):
        errors.add("", _("An agency cannot be its own parent or successor."))
    record = AgencyRecord(code, values, refs)
    record.aliases = _children(data, "aliases", errors, _alias)
    record.departments = _children(data, "departments", errors, _department)
    record.points = _children(data, "reception_points", errors, _point)
    _unique(record.aliases, ("code",), "aliases", errors)
    _unique(record.departments, ("code",), "departments", errors)
    _unique(record.points, ("name",), "reception_points", errors)
    for alias in record.aliases:
        if alias.get("code") == code:
            errors.add("aliases", _("An agency's own code is not its alias."))
    errors.raise_any()
    return record


def _validity(
    reader: "_Reader", values: dict[str, Any], flag: str, ended_value: bool, errors: _Errors
) -> None:
    """Dates and the flag that follows them: a unit that ended is abolished (is_legacy), an
    agency that ended is not active. Left out, the flag is set from the dates."""
    reader.put(values, "valid_from", reader.day)
    reader.put(values, "valid_until", reader.day)
    first, until = values.get("valid_from"), values.get("valid_until")
    if first and until and until <= first:
        errors.add("valid_until", _("must come after valid_from."))
    if until and until <= timezone.localdate():
        if flag not in values:
            values[flag] = ended_value
        elif values[flag] != ended_value:
            errors.add(
                flag,
                _("%(flag)s must be %(value)s for what ended on %(day)s.")
                % {"flag": flag, "value": str(ended_value).lower(), "day": until.isoformat()},
            )


def _children(data: dict[str, Any], key: str, errors: _Errors, parse_one: Any) -> list:
    items = data.get(key)
    if items is None:
        return []
    if not isinstance(items, list):
        errors.add(key, _("must be a list."))
        return []
    parsed = []
    for index, item in enumerate(items, start=1):
        where = str(item.pop("_row")) if isinstance(item, dict) and "_row" in item else None
        where = where or f"{key}[{index}]"
        if key == "aliases" and isinstance(item, str):
            item = {"code": item}
        if not isinstance(item, dict):
            errors.add(where, _("must be an object."))
            continue
        parsed.append(parse_one(_Reader(item, where, errors)))
    return parsed


def _alias(reader: "_Reader") -> dict[str, Any]:
    values: dict[str, Any] = {"code": reader.text("code", 35, required=True)}
    if values["code"]:
        try:
            validate_alias_code(values["code"])
        except ValidationError as error:
            reader.errors.add(reader.where("code"), " ".join(error.messages))
    reader.put(values, "note", reader.text, 255)
    return values


def _department(reader: "_Reader") -> dict[str, Any]:
    values: dict[str, Any] = {"code": reader.text("code", 32, required=True)}
    reader.put(values, "name", reader.text, 255, required=True)
    reader.put(values, "is_active", reader.boolean)
    return values


def _point(reader: "_Reader") -> dict[str, Any]:
    values: dict[str, Any] = {"name": reader.text("name", 255, required=True)}
    reader.put(values, "address", reader.text, 255)
    reader.put(values, "unit", reader.text, 16)
    reader.put(values, "is_active", reader.boolean)
    counters = _children(reader.data, "counters", reader.errors, _counter)
    _unique(counters, ("number",), reader.where("counters"), reader.errors)
    values["counters"] = counters
    return values


def _counter(reader: "_Reader") -> dict[str, Any]:
    values: dict[str, Any] = {"number": reader.number("number")}
    reader.put(values, "name", reader.text, 128)
    reader.put(values, "is_active", reader.boolean)
    return values


def _unique(items: list[dict[str, Any]], keys: tuple[str, ...], where: str, errors: _Errors):
    seen: set[tuple] = set()
    for item in items:
        value = tuple(item.get(k) for k in keys)
        if value in seen and all(v not in (None, "") for v in value):
            errors.add(
                where,
                _("%(value)s is given twice.") % {"value": " ".join(str(v) for v in value)},
            )
        seen.add(value)


class _Reader:
    """Reads the keys of one JSON object (or child object), reporting each problem with the
    key's place (`where`: "" for the record itself, else e.g. "departments[2]" or
    "departments row 7")."""

    def __init__(self, data: dict[str, Any], where: str, errors: _Errors):
        self.data, self.errors = data, errors
        # "departments[2].code" in JSON Lines, "departments row 7, code" in a workbook
        self.prefix = (f"{where}, " if " " in where else f"{where}.") if where else ""

    def where(self, key: str) -> str:
        return f"{self.prefix}{key}"

    def put(self, values: dict[str, Any], key: str, read: Any, *args: Any, **kwargs: Any):
        """values[key] = the value read, when the key is given (or is required)."""
        if key in self.data or kwargs.get("required"):
            values[key] = read(key, *args, **kwargs)

    def text(self, key: str, limit: int = 255, required: bool = False) -> str:
        value = self.data.get(key)
        if value is None:
            value = ""
        elif isinstance(value, bool) or not isinstance(value, str | int | float):
            self.errors.add(self.where(key), _("must be text."))
            return ""
        text = unicodedata.normalize("NFC", str(value)).strip()
        if isinstance(value, float) and value.is_integer():
            text = str(int(value))
        if required and not text:
            self.errors.add(self.where(key), _("required."))
        if len(text) > limit:
            self.errors.add(self.where(key), _("at most %(limit)d characters.") % {"limit": limit})
        return text

    def email(self, key: str) -> str:
        text = self.text(key, 254)
        if text:
            try:
                validate_email(text)
            except ValidationError:
                self.errors.add(self.where(key), _("not an e-mail address."))
        return text

    def choice(self, key: str, choices: Any, required: bool = False) -> str:
        text = self.text(key, 64, required=required)
        if not text:
            return ""
        folded = text.casefold()
        for value, label in choices.choices:
            if folded == value.casefold() or folded in _labels(label):
                return str(value)
        self.errors.add(
            self.where(key),
            _("“%(value)s” is not one of %(choices)s.")
            % {"value": text, "choices": ", ".join(choices.values)},
        )
        return ""

    def boolean(self, key: str) -> bool:
        value = self.data.get(key)
        if isinstance(value, bool):
            return value
        if isinstance(value, int | float) and value in (0, 1):
            return bool(value)
        text = str(value if value is not None else "").strip().casefold()
        if text in _TRUE:
            return True
        if text not in _FALSE:
            self.errors.add(self.where(key), _("must be true or false."))
        return False

    def day(self, key: str) -> date | None:
        value = self.data.get(key)
        if value in (None, ""):
            return None
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, date):
            return value
        text = str(value).strip()
        try:
            match = _DATE.match(text)
            if match:
                return date(int(match[3]), int(match[2]), int(match[1]))
            return date.fromisoformat(text)
        except ValueError:
            self.errors.add(
                self.where(key),
                _("“%(value)s” is not a date (yyyy-mm-dd or dd/mm/yyyy).") % {"value": text},
            )
            return None

    def number(self, key: str) -> int | None:
        value = self.data.get(key)
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if isinstance(value, str) and value.strip().isdigit():
            value = int(value.strip())
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 32767:
            self.errors.add(self.where(key), _("a whole number from 1 to 32767."))
            return None
        return value


def _labels(label: Any) -> set[str]:
    """A choice's name in the active language, in Vietnamese and in English."""
    names = {str(label).casefold()}
    for language in ("vi", "en"):
        with translation.override(language):
            names.add(str(label).casefold())
    return names


# --- Stored rows -> JSON objects (export, and the comparison that makes re-imports no-ops) ---


def unit_json(unit: AdministrativeUnit) -> dict[str, Any]:
    return {
        "type": "unit",
        "schema": SCHEMA,
        "code": unit.code,
        "name": unit.name,
        "kind": unit.kind,
        "division_type": unit.division_type,
        "parent": unit.parent.code if unit.parent else None,
        "is_legacy": unit.is_legacy,
        "valid_from": unit.valid_from,
        "valid_until": unit.valid_until,
        "successor": unit.successor.code if unit.successor else None,
        "legal_basis": unit.legal_basis,
    }


def agency_json(agency: Agency) -> dict[str, Any]:
    """The agency with its aliases, departments and reception points (with their counters);
    the related rows are expected prefetched (exporter.agencies)."""
    return {
        "type": "agency",
        "schema": SCHEMA,
        "code": agency.code,
        "name": agency.name,
        "short_name": agency.short_name,
        "kind": agency.kind,
        "parent": agency.parent.code if agency.parent else None,
        "unit": agency.unit.code,
        "address": agency.address,
        "phone": agency.phone,
        "email": agency.email,
        "is_active": agency.is_active,
        "valid_from": agency.valid_from,
        "valid_until": agency.valid_until,
        "successor": agency.successor.code if agency.successor else None,
        "legal_basis": agency.legal_basis,
        "aliases": [{"code": a.code, "note": a.note} for a in agency.aliases.all()],
        "departments": [_department_json(d) for d in agency.departments.all()],
        "reception_points": [_point_json(p) for p in agency.reception_points.all()],
    }


def _department_json(department: Department) -> dict[str, Any]:
    return {"code": department.code, "name": department.name, "is_active": department.is_active}


def _point_json(point: ReceptionPoint) -> dict[str, Any]:
    return {
        "name": point.name,
        "address": point.address,
        "unit": point.unit.code if point.unit else None,
        "is_active": point.is_active,
        "counters": [_counter_json(c) for c in point.counters.all()],
    }


def _counter_json(counter: Counter) -> dict[str, Any]:
    return {"number": counter.number, "name": counter.name, "is_active": counter.is_active}
