"""The demo catalogue: 212 real procedures shipped with the project, localised to the demo
province (who maintains each entry, which agencies carry it out)."""

from pathlib import Path

from django.db import transaction

from motcua.catalogue.interchange.files import read_rows
from motcua.catalogue.interchange.importer import ImportOptions, ImportResult, import_records
from motcua.catalogue.models import Level, Procedure, ProcedureVersion
from motcua.catalogue.services import assign_local_agencies
from motcua.filing.demo import seed_eforms
from motcua.organisations.models import Agency, Department
from motcua.organisations.roles import Role

DEMO_FILE = Path(__file__).resolve().parents[1] / "catalogue" / "data" / "demo_procedures.jsonl"
JUSTICE_FIELDS = {
    "Hộ tịch",
    "Chứng thực",
    "Công chứng",
    "Luật sư",
    "Thừa phát lại",
    "Giám định tư pháp",
    "Trợ giúp pháp lý",
    "Đấu giá tài sản",
    "Quốc tịch",
    "Lý lịch tư pháp",
    "Nuôi con nuôi",
}
OWNER_BY_FIELD = {"Đất đai": "H42.20", "Hoạt động xây dựng": "H42.15"}
COMMUNES = ["H42.50.01", "H42.50.02"]
# The commune department that assigns and appraises a commune procedure, by field (Decree
# 150/2025): civil status and certification are the office's justice work; land and
# construction the economic department's. Residence registration is the commune police's,
# not a department of the committee: its steps name none.
COMMUNE_DEPARTMENT_BY_FIELD = {
    "Hộ tịch": "VP",
    "Chứng thực": "VP",
    "Đất đai": "KT",
    "Hoạt động xây dựng": "KT",
}
DEPARTMENT_ROLES = [Role.DEPARTMENT_HEAD, Role.SPECIALIST]


def _owner_code(field_name: str) -> str:
    if field_name in JUSTICE_FIELDS:
        return "H42.12"
    return OWNER_BY_FIELD.get(field_name, "H42")


def _localise(procedure: Procedure, agencies: dict[str, Agency]) -> bool:
    owner = agencies[_owner_code(procedure.field.name)]
    version = procedure.current_version
    if Level.COMMUNE in version.levels:
        implementing = [agencies[code] for code in COMMUNES]
        _place_steps(version, _commune_department(procedure.field.name))
    else:
        implementing = [owner]
    return assign_local_agencies(procedure, owner=owner, implementing=implementing, actor=None)


def _commune_department(field_name: str) -> Department | None:
    code = COMMUNE_DEPARTMENT_BY_FIELD.get(field_name)
    if code is None:
        return None
    # Named by the first commune's department: a step without an agency goes to the
    # department of the same code of whichever commune resolves the dossier.
    return Department.objects.get(agency__code=COMMUNES[0], code=code)


def _place_steps(version: ProcedureVersion, department: Department | None) -> None:
    """The assignment and appraisal steps of the province's internal process (Circular
    01/2018 art. 8) in the commune department that does that work. Seed data, set as the
    organisations are: a rerun finds nothing to change."""
    steps = version.steps.filter(agency=None, role__in=DEPARTMENT_ROLES)
    steps.exclude(department=department).update(department=department)


@transaction.atomic
def seed_catalogue() -> tuple[ImportResult, int]:
    """Import the demo file (a second run changes nothing) and localise every procedure."""
    result = import_records(read_rows(DEMO_FILE, "jsonl"), ImportOptions(source_name="demo"))
    agencies = {a.code: a for a in Agency.objects.filter(code__startswith="H42")}
    codes = [o.code for o in result.outcomes if o.action != "skipped"]
    procedures = Procedure.objects.filter(code__in=codes).select_related("field", "current_version")
    localised = sum(_localise(p, agencies) for p in procedures)
    seed_eforms()  # birth and residence registration, copies of extracts: filed online
    return result, localised
