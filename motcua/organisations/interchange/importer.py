"""Import parsed records into the organisation tree.

Policy (docs/organisations-import.md):
- Every record is parsed and validated first; with `strict`, one bad record refuses the
  whole file before anything is written.
- Units are written before agencies, and within each, a record after the records it names
  (parent, successor) whatever their order in the file; a cycle is refused.
- The whole file is written in ONE transaction, each record in a savepoint: a record the
  models refuse (`full_clean`) is undone alone and reported, or, with `strict`, undoes the
  whole file. `dry_run` does everything, then rolls back.
- A record equal to what is stored changes nothing (unchanged); an import never deletes: a
  department, reception point, counter or alias the file does not name is left as it is.
"""

import copy
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _

from motcua.audit.services import record_event

from ..codes import from_old_agency_code
from ..models import (
    AdministrativeUnit,
    Agency,
    AgencyAlias,
    Counter,
    Department,
    ReceptionPoint,
)
from .files import Location, RecordError
from .records import AgencyRecord, Record, UnitRecord, parse

ACTIONS = ("created", "updated", "unchanged", "skipped")
SHEET_TYPES = {"units": "unit", "agencies": "agency"}


@dataclass
class Outcome:
    location: Location
    type: str  # unit | agency | "" when unreadable
    code: str
    action: str  # created | updated | unchanged | skipped
    reason: str = ""


@dataclass
class ImportResult:
    outcomes: list[Outcome] = field(default_factory=list)
    dry_run: bool = False

    def count(self, action: str, record_type: str | None = None) -> int:
        return sum(
            1
            for o in self.outcomes
            if o.action == action and (record_type is None or o.type == record_type)
        )

    @property
    def skipped(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.action == "skipped"]


class ImportRefused(Exception):
    """Strict mode met a record it cannot import; nothing was changed."""

    def __init__(self, result: ImportResult):
        super().__init__(_("The file has records that cannot be imported; nothing was changed."))
        self.result = result


class _StrictStop(Exception):
    def __init__(self, outcome: Outcome):
        super().__init__(outcome.reason)
        self.outcome = outcome


@dataclass
class ImportOptions:
    actor: Any = None
    strict: bool = False
    dry_run: bool = False
    progress: Callable[[int, int], None] | None = None


@dataclass
class Item:
    location: Location
    type: str
    code: str
    record: Record | None = None
    reason: str = ""


def import_records(rows: Iterable[tuple[Location, Any]], options: ImportOptions) -> ImportResult:
    """Validate and write the rows; see the module docstring for the policy."""
    items = prepare(rows)
    result = ImportResult(dry_run=options.dry_run)
    result.outcomes = [_skipped(i) for i in items if i.record is None]
    if options.strict and result.outcomes:
        raise ImportRefused(result)
    good = [i for i in items if i.record is not None]
    ordered, cycles = _ordered(good)
    result.outcomes += [_skipped(i) for i in cycles]
    if options.strict and cycles:
        raise ImportRefused(result)
    try:
        with transaction.atomic():
            refused = [i for i in items if i.record is None and i.code] + cycles
            writer = _Writer(options, refused)
            for done, item in enumerate(ordered, start=1):
                result.outcomes.append(writer.write(item))
                if options.progress:
                    options.progress(done, len(ordered))
            if options.dry_run:
                transaction.set_rollback(True)
    except _StrictStop as stop:
        result.outcomes.append(stop.outcome)
        raise ImportRefused(result) from stop
    result.outcomes.sort(key=lambda o: _sort_key(o.location))
    return result


def _sort_key(location: Location) -> tuple[int, int]:
    from .xlsx import SHEETS

    sheets = list(SHEETS)
    return (sheets.index(location.sheet) + 1 if location.sheet in sheets else 0, location.line)


def _skipped(item: Item) -> Outcome:
    return Outcome(item.location, item.type, item.code, "skipped", item.reason)


# --- Reading every record before writing any ---------------------------------------------


def prepare(rows: Iterable[tuple[Location, Any]]) -> list[Item]:
    """Parse every row, refuse codes and aliases given twice (reads nothing stored)."""
    items = []
    seen: dict[tuple[str, str], Location] = {}
    for location, data in rows:
        item = _prepare_one(location, data, SHEET_TYPES.get(location.sheet), seen)
        items.append(item)
    _check_aliases(items)
    return items


def _prepare_one(
    location: Location, data: Any, record_type: str | None, seen: dict[tuple[str, str], Location]
) -> Item:
    code = str(data.get("code") or "") if isinstance(data, dict) else ""
    given_type = record_type or (str(data.get("type") or "") if isinstance(data, dict) else "")
    try:
        record = parse(data, record_type)
    except RecordError as error:
        return Item(location, given_type, code, reason=error.reason)
    kind = "unit" if isinstance(record, UnitRecord) else "agency"
    if (kind, record.code) in seen:
        first = seen[(kind, record.code)]
        return Item(
            location,
            kind,
            record.code,
            reason=_("Code %(code)s is given twice: first at %(first)s.")
            % {"code": record.code, "first": first},
        )
    seen[(kind, record.code)] = location
    return Item(location, kind, record.code, record)


def _check_aliases(items: list[Item]) -> None:
    """An alias is of one agency only, and never an agency's own code (in the file)."""
    codes = {i.code for i in items if i.type == "agency" and i.record is not None}
    owner: dict[str, Item] = {}
    for item in items:
        if not isinstance(item.record, AgencyRecord):
            continue
        for alias in item.record.aliases:
            code = alias["code"]
            if code in codes:
                item.reason = _("Alias %(code)s is the code of an agency in the file.") % {
                    "code": code
                }
            elif code in owner and owner[code] is not item:
                item.reason = _("Alias %(code)s is also given to %(agency)s (%(where)s).") % {
                    "code": code,
                    "agency": owner[code].code,
                    "where": owner[code].location,
                }
            owner.setdefault(code, item)
        if item.reason:
            item.record = None


def _ordered(items: list[Item]) -> tuple[list[Item], list[Item]]:
    """Units then agencies, each after the records of the file it names; the records caught
    in a cycle of parents and successors are returned apart, with their reason."""
    ordered, cycles = [], []
    for kind in ("unit", "agency"):
        group = [i for i in items if i.type == kind]
        by_code = {i.code: i for i in group}
        aliases = {
            alias["code"]: i.code
            for i in group
            if isinstance(i.record, AgencyRecord)
            for alias in i.record.aliases
        }
        needs: dict[str, set[str]] = {}
        for item in group:
            assert item.record is not None
            refs = [item.record.refs.get(k, "") for k in ("parent", "successor")]
            if kind == "agency":
                refs = [_in_file(ref, by_code, aliases) for ref in refs]
            needs[item.code] = {ref for ref in refs if ref in by_code and ref != item.code}
        done: set[str] = set()
        while True:
            ready = [i for i in group if i.code not in done and needs[i.code] <= done]
            if not ready:
                break
            ordered += ready
            done |= {i.code for i in ready}
        for item in group:
            if item.code not in done:
                item.reason = _(
                    "Its parents or successors form a cycle, or depend on one: %(codes)s."
                ) % {"codes": ", ".join(sorted(needs[item.code] - done))}
                cycles.append(item)
    return ordered, cycles


def _in_file(ref: str, by_code: dict[str, Item], aliases: dict[str, str]) -> str:
    if not ref or ref in by_code:
        return ref
    return aliases.get(ref) or from_old_agency_code(ref) or ref


# --- Writing --------------------------------------------------------------------------------


class _Writer:
    """Writes one record at a time, each in a savepoint, with the stored rows read once."""

    def __init__(self, options: ImportOptions, refused: list[Item]):
        self.options = options
        self.failed = {(i.type, i.code): i.location for i in refused}
        self.touched: list[str] = []
        self.units = {u.code: u for u in AdministrativeUnit.objects.select_related("successor")}
        self._load_agencies()

    def _load_agencies(self) -> None:
        self.agencies = {a.code: a for a in Agency.objects.select_related("successor")}
        self.aliases = dict(AgencyAlias.objects.values_list("code", "agency__code"))
        self.alias_notes = dict(AgencyAlias.objects.values_list("code", "note"))
        self.departments: dict[int, dict[str, Department]] = defaultdict(dict)
        for department in Department.objects.all():
            self.departments[department.agency_id][department.code] = department
        self.points: dict[int, dict[str, ReceptionPoint]] = defaultdict(dict)
        for point in ReceptionPoint.objects.select_related("unit").order_by("pk"):
            self.points[point.agency_id].setdefault(point.name, point)
        self.counters: dict[int, dict[int, Counter]] = defaultdict(dict)
        for counter in Counter.objects.all():
            self.counters[counter.reception_point_id][counter.number] = counter

    def write(self, item: Item) -> Outcome:
        self.touched = []
        try:
            with transaction.atomic():
                if isinstance(item.record, UnitRecord):
                    action = self._unit(item.record)
                else:
                    assert isinstance(item.record, AgencyRecord)
                    action = self._agency(item.record)
        except (RecordError, ValidationError) as error:
            self.failed[(item.type, item.code)] = item.location
            # The savepoint is undone: the caches hold what the database holds again.
            if item.type == "unit":
                stored = AdministrativeUnit.objects.filter(code=item.code).first()
                self.units.pop(item.code, None)
                if stored is not None:
                    self.units[item.code] = stored
            else:
                self._load_agencies()
            outcome = Outcome(item.location, item.type, item.code, "skipped", _reason(error))
            if self.options.strict:
                raise _StrictStop(outcome) from error
            return outcome
        reason = ", ".join(self.touched) if action == "updated" else ""
        return Outcome(item.location, item.type, item.code, action, reason)

    # --- references ---

    def _unit_ref(self, code: str, key: str) -> AdministrativeUnit | None:
        if not code:
            return None
        if code in self.units:
            return self.units[code]
        raise RecordError(self._missing(key, code, "unit", _("no administrative unit")))

    def _agency_ref(self, code: str, key: str) -> Agency | None:
        """An agency by its code, an alias, or its Circular 10/2016 code."""
        if not code:
            return None
        found = code if code in self.agencies else self.aliases.get(code)
        if found is None:
            found = from_old_agency_code(code)
        if found is not None and found in self.agencies:
            return self.agencies[found]
        raise RecordError(self._missing(key, code, "agency", _("no agency")))

    def _missing(self, key: str, code: str, kind: str, nothing: str) -> str:
        where = self.failed.get((kind, code))
        if where is not None:
            return _("%(key)s: %(code)s (%(where)s) was not imported.") % {
                "key": key,
                "code": code,
                "where": where,
            }
        return _("%(key)s: %(nothing)s has the code %(code)s.") % {
            "key": key,
            "nothing": nothing,
            "code": code,
        }

    # --- units ---

    def _unit(self, record: UnitRecord) -> str:
        wanted = dict(record.values)
        for key in record.refs:
            wanted[key] = self._unit_ref(record.refs[key], key)
        stored = self.units.get(record.code)
        unit = copy.copy(stored) if stored else AdministrativeUnit(code=record.code)
        action = _apply(unit, wanted, stored is None, self.touched)
        if action != "unchanged":
            self.units[record.code] = unit
            record_event(f"administrativeunit.imported.{action}", unit, actor=self.options.actor)
        return action

    # --- agencies ---

    def _agency(self, record: AgencyRecord) -> str:
        if record.code in self.aliases:
            raise RecordError(
                _("%(code)s is an old code (alias) of agency %(agency)s.")
                % {"code": record.code, "agency": self.aliases[record.code]}
            )
        wanted = dict(record.values)
        wanted["unit"] = self._unit_ref(record.refs["unit"], "unit")
        for key in ("parent", "successor"):
            if key in record.refs:
                wanted[key] = self._agency_ref(record.refs[key], key)
        stored = self.agencies.get(record.code)
        agency = copy.copy(stored) if stored else Agency(code=record.code)
        action = _apply(agency, wanted, stored is None, self.touched)
        self.agencies[record.code] = agency
        changed = [
            self._aliases(agency, record.aliases),
            self._departments(agency, record.departments),
            self._points(agency, record.points),
        ]
        if action == "unchanged" and any(changed):
            action = "updated"
        if action != "unchanged":
            record_event(f"agency.imported.{action}", agency, actor=self.options.actor)
        return action

    def _aliases(self, agency: Agency, aliases: list[dict[str, Any]]) -> bool:
        changed = False
        for values in aliases:
            code = values["code"]
            owner = self.aliases.get(code)
            if owner not in (None, agency.code):
                raise RecordError(
                    _("aliases: %(code)s is already an old code of agency %(agency)s.")
                    % {"code": code, "agency": owner}
                )
            if owner is None:
                alias = AgencyAlias(agency=agency, code=code, note=values.get("note", ""))
                _save(alias, created=True, where="aliases")
                self.touched.append("aliases")
            elif "note" in values and self.alias_notes.get(code) != values["note"]:
                AgencyAlias.objects.filter(code=code).update(note=values["note"])
                self.touched.append("aliases.note")
            else:
                continue
            self.aliases[code], self.alias_notes[code] = agency.code, values.get("note", "")
            changed = True
        return changed

    def _departments(self, agency: Agency, departments: list[dict[str, Any]]) -> bool:
        stored = self.departments[agency.pk]
        changed = False
        for values in departments:
            current = stored.get(values["code"])
            department = copy.copy(current) if current else Department(agency=agency)
            action = _apply(department, values, current is None, self.touched, "departments")
            if action != "unchanged":
                stored[values["code"]] = department
                changed = True
        return changed

    def _points(self, agency: Agency, points: list[dict[str, Any]]) -> bool:
        stored = self.points[agency.pk]
        changed = False
        for given in points:
            values = {k: v for k, v in given.items() if k != "counters"}
            if "unit" in values:
                values["unit"] = self._unit_ref(values["unit"], "reception_points.unit")
            current = stored.get(values["name"])
            point = copy.copy(current) if current else ReceptionPoint(agency=agency)
            action = _apply(point, values, current is None, self.touched, "reception_points")
            if action != "unchanged":
                stored[values["name"]] = point
                changed = True
            changed |= self._counters(point, given["counters"])
        return changed

    def _counters(self, point: ReceptionPoint, counters: list[dict[str, Any]]) -> bool:
        stored = self.counters[point.pk]
        changed = False
        for values in counters:
            current = stored.get(values["number"])
            counter = copy.copy(current) if current else Counter(reception_point=point)
            if _apply(counter, values, current is None, self.touched, "counters") != "unchanged":
                stored[values["number"]] = counter
                changed = True
        return changed


def _apply(
    obj: models.Model, wanted: dict[str, Any], new: bool, touched: list[str], where: str = ""
) -> str:
    """Set the values that differ, validate with the model's own rules and save; the names
    of the changed fields go to `touched`."""
    changed = [key for key, value in wanted.items() if new or _stored(obj, key) != _key(value)]
    if not changed:
        return "unchanged"
    for key in changed:
        setattr(obj, key, wanted[key])
    _save(obj, created=new, where=where, fields=changed)
    if not new:
        touched.extend(f"{where}.{key}" if where else key for key in changed)
    elif where:
        touched.append(where)
    return "created" if new else "updated"


def _stored(obj: models.Model, key: str) -> Any:
    """A value as stored; a related row by its id, so that comparing costs no query."""
    field = obj._meta.get_field(key)
    return getattr(obj, field.attname)  # type: ignore[union-attr]


def _key(value: Any) -> Any:
    return value.pk if isinstance(value, models.Model) else value


def _save(obj: models.Model, created: bool, where: str, fields: list[str] | None = None) -> None:
    try:
        obj.full_clean()
    except ValidationError as error:
        raise RecordError(_validation_text(error, where)) from error
    if created:
        obj.save()
    else:
        obj.save(update_fields=[*fields, *_auto_now(obj)] if fields else None)


def _auto_now(obj: models.Model) -> list[str]:
    return [f.name for f in obj._meta.concrete_fields if getattr(f, "auto_now", False)]


def _validation_text(error: ValidationError, where: str) -> str:
    prefix = f"{where}: " if where else ""
    if not hasattr(error, "error_dict"):
        return prefix + " ".join(error.messages)
    parts = [
        f"{key}: {' '.join(messages)}" if key != "__all__" else " ".join(messages)
        for key, messages in error.message_dict.items()
    ]
    return prefix + "; ".join(parts)


def _reason(error: RecordError | ValidationError) -> str:
    if isinstance(error, RecordError):
        return error.reason
    return _validation_text(error, "")
