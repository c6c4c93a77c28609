"""import_organisations / export_organisations through the commands and the service: a file
shaped like a real province's (a province merged in 2025, an abolished district committee
known by its old Circular 10/2016 code, a department, a reception point with counters),
bad records with their line numbers, --strict, --dry-run, idempotent re-import, round trips
in both formats, text that looks like a formula."""

import csv
import json
import shutil
import subprocess
from datetime import date
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation
from openpyxl import load_workbook

from motcua.audit.models import AuditEvent
from motcua.organisations.interchange.files import Location, read_rows
from motcua.organisations.interchange.importer import (
    ImportOptions,
    ImportRefused,
    import_records,
)
from motcua.organisations.models import (
    AdministrativeUnit,
    Agency,
    AgencyAlias,
    Counter,
    Department,
    ReceptionPoint,
)

MERGED = "2025-07-01"  # Nghị quyết 202/2025/QH15 takes effect

# Children before their parents, agencies before the units they name: order is free.
PROVINCE = [
    {
        "type": "agency",
        "code": "H02.32",
        "name": "Ủy ban nhân dân huyện Vị Xuyên",
        "kind": "district_committee",
        "parent": "000.00.00.H02",  # the parent named by its old code
        "unit": "D024",
        "valid_until": MERGED,
        "legal_basis": "Nghị quyết 1681/NQ-UBTVQH15",
        "aliases": ["000.00.32.H02"],
        "departments": [{"code": "TP", "name": "Phòng Tư pháp"}],
        "reception_points": [
            {
                "name": "Bộ phận Một cửa huyện Vị Xuyên",
                "address": "Thị trấn Vị Xuyên",
                "counters": [{"number": 1, "name": "Quầy 1"}, {"number": 2}],
            }
        ],
    },
    {
        "type": "agency",
        "code": "H02",
        "name": "Ủy ban nhân dân tỉnh Hà Giang",
        "kind": "provincial_committee",
        "unit": "02",
        "valid_until": MERGED,
        "successor": "H08",
        "aliases": [{"code": "000.00.00.H02", "note": "Thông tư 10/2016"}],
    },
    {
        "type": "agency",
        "code": "H08.01",
        "name": "Trung tâm Phục vụ hành chính công tỉnh Tuyên Quang",
        "kind": "provincial_centre",
        "parent": "H08",
        "unit": "08",
        "phone": "0207 3822 000",
        "email": "tthcc@tuyenquang.gov.vn",
        "reception_points": [
            {
                "name": "Trung tâm PVHCC tỉnh",
                "unit": "02266",
                "counters": [{"number": n, "name": f"Quầy {n}"} for n in (1, 2, 3)],
            }
        ],
    },
    {
        "type": "agency",
        "code": "H08",
        "name": "Ủy ban nhân dân tỉnh Tuyên Quang",
        "short_name": "UBND tỉnh",
        "kind": "Ủy ban nhân dân tỉnh",  # the kind's Vietnamese name is accepted too
        "unit": "08",
    },
    {
        "type": "agency",
        "code": "H08.12",
        "name": "Sở Tư pháp",
        "kind": "provincial_department",
        "parent": "H08",
        "unit": "08",
        "aliases": ["000.00.12.H08"],
        "departments": [{"code": "HCTP", "name": "Phòng Hành chính tư pháp"}],
    },
    {
        "type": "unit",
        "code": "C00745",
        "name": "Xã Đạo Đức",
        "kind": "commune",
        "division_type": "xã",
        "parent": "D024",
        "valid_until": "01/07/2025",
        "successor": "02266",
    },
    {
        "type": "unit",
        "code": "D024",
        "name": "Huyện Vị Xuyên",
        "kind": "legacy_district",
        "division_type": "huyện",
        "parent": "02",
        "valid_until": MERGED,
    },
    {
        "type": "unit",
        "code": "02",
        "name": "Tỉnh Hà Giang",
        "kind": "province",
        "division_type": "tỉnh",
        "valid_until": MERGED,
        "successor": "08",
        "legal_basis": "Nghị quyết 202/2025/QH15",
    },
    {"type": "unit", "code": "02266", "name": "Xã Vị Xuyên", "kind": "commune", "parent": "08"},
    {"type": "unit", "code": "08", "name": "Tỉnh Tuyên Quang", "kind": "province"},
]


@pytest.fixture(autouse=True)
def _english(settings):
    """The messages checked here are the English source strings."""
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


def write_jsonl(path: Path, records: list) -> Path:
    lines = [r if isinstance(r, str) else json.dumps(r, ensure_ascii=False) for r in records]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def run(*args, **options) -> str:
    out = StringIO()
    call_command(
        "import_organisations", *[str(a) for a in args], stdout=out, stderr=StringIO(), **options
    )
    return out.getvalue()


def export(path: Path, *args) -> Path:
    call_command("export_organisations", str(path), *args, stdout=StringIO())
    return path


def snapshot() -> list:
    """Everything the import writes, as plain values."""
    return [
        list(AdministrativeUnit.objects.order_by("code").values()),
        list(Agency.objects.order_by("code").values(*AGENCY_FIELDS)),
        list(AgencyAlias.objects.order_by("code").values("code", "agency__code", "note")),
        list(Department.objects.order_by("pk").values()),
        list(ReceptionPoint.objects.order_by("pk").values()),
        list(Counter.objects.order_by("pk").values()),
    ]


AGENCY_FIELDS = [
    f.attname for f in Agency._meta.concrete_fields if f.name not in ("created_at", "updated_at")
]


def unit(code: str) -> AdministrativeUnit:
    return AdministrativeUnit.objects.get(code=code)


def agency(code: str) -> Agency:
    return Agency.objects.get(code=code)


@pytest.fixture
def province_file(tmp_path):
    return write_jsonl(tmp_path / "tuyen-quang.jsonl", PROVINCE)


def test_a_province_file_loads_with_its_past(db, province_file):
    out = run(province_file)
    assert "units: created 5, updated 0, unchanged 0" in out
    assert "agencies: created 5, updated 0, unchanged 0" in out
    assert "skipped: 0" in out

    ha_giang = AdministrativeUnit.objects.get(code="02")
    assert ha_giang.is_legacy and ha_giang.valid_until == date(2025, 7, 1)
    assert ha_giang.successor == unit("08")
    commune = unit("C00745")
    assert commune.parent == unit("D024") and commune.is_legacy
    assert not AdministrativeUnit.objects.get(code="02266").is_legacy

    district = Agency.objects.get(code="H02.32")
    assert not district.is_active  # ended: never active, kept with its history
    assert district.parent == agency("H02") and district.unit == unit("D024")
    assert AgencyAlias.objects.get(code="000.00.32.H02").agency == district
    assert district.departments.get().code == "TP"
    point = district.reception_points.get()
    assert [c.number for c in point.counters.all()] == [1, 2]
    assert agency("H02").successor == agency("H08")
    assert Agency.objects.get(code="H08").kind == "provincial_committee"
    assert AgencyAlias.objects.get(code="000.00.00.H02").note == "Thông tư 10/2016"
    centre = Agency.objects.get(code="H08.01")
    assert centre.reception_points.get().counters.count() == 3
    assert centre.reception_points.get().unit == unit("02266")

    # A report of 2019 counts the agencies of 2019; one of this year, those of this year.
    in_2019 = set(
        Agency.objects.existed_during(date(2019, 1, 1), date(2019, 3, 31)).values_list(
            "code", flat=True
        )
    )
    assert {"H02", "H02.32", "H08", "H08.12"} <= in_2019
    now = set(
        Agency.objects.existed_during(date(2025, 7, 1), date(2025, 9, 30)).values_list(
            "code", flat=True
        )
    )
    assert "H02" not in now and "H02.32" not in now and "H08" in now
    last_day = Agency.objects.existed_during(date(2025, 6, 30), date(2025, 6, 30))
    assert last_day.filter(code="H02").exists()
    units_2019 = AdministrativeUnit.objects.existed_during(date(2019, 1, 1), date(2019, 12, 31))
    assert units_2019.filter(code="D024").exists()
    assert not Agency.objects.active().filter(code__startswith="H02").exists()


def test_reimport_changes_nothing(db, province_file):
    run(province_file)
    before, events = snapshot(), AuditEvent.objects.count()
    out = run(province_file)
    assert "units: created 0, updated 0, unchanged 5" in out
    assert "agencies: created 0, updated 0, unchanged 5" in out
    assert snapshot() == before
    assert AuditEvent.objects.count() == events


def test_a_changed_record_updates_only_what_changed(db, province_file, tmp_path):
    run(province_file)
    changed = json.loads(json.dumps(PROVINCE))
    changed[4]["name"] = "Sở Tư pháp tỉnh Tuyên Quang"
    changed[4]["departments"].append({"code": "BTTP", "name": "Phòng Bổ trợ tư pháp"})
    out = run(write_jsonl(tmp_path / "changed.jsonl", changed), verbosity=2)
    assert "agencies: created 0, updated 1, unchanged 4" in out
    assert "name, departments" in out
    assert Agency.objects.get(code="H08.12").departments.count() == 2


def test_dry_run_writes_nothing(db, province_file):
    out = run(province_file, dry_run=True)
    assert "agencies: created 5" in out and "Dry run" in out
    assert not Agency.objects.exists() and not AdministrativeUnit.objects.exists()
    assert not AuditEvent.objects.exists()


BAD = [
    {"type": "unit", "code": "08", "name": "Tỉnh Tuyên Quang", "kind": "province"},
    {"type": "agency", "code": "H08", "name": "UBND tỉnh", "kind": "ministry", "unit": "08"},
    {
        "type": "agency",
        "code": "H08.2",
        "name": "X",
        "kind": "tax",
        "unit": "08",
        "valid_from": "31/02/2020",
    },
    '{"type": "agency", "code": ',
    {"type": "agency", "code": "H08.3", "name": "Y", "kind": "tax", "unit": "08", "parent": "H99"},
    {"type": "unit", "code": "08", "name": "Lặp lại", "kind": "province"},
    {"type": "agency", "code": "000.00.05.H08", "name": "Z", "kind": "tax", "unit": "08"},
    {
        "type": "agency",
        "code": "H08.4",
        "name": "Con",
        "kind": "tax",
        "unit": "08",
        "parent": "H08",
    },
    {
        "type": "agency",
        "code": "H08.5",
        "name": "W",
        "kind": "tax",
        "unit": "08",
        "reception_points": [
            {"name": "P", "counters": [{"number": 0}, {"number": 2}, {"number": 2}]}
        ],
    },
    {
        "type": "agency",
        "code": "H08.6",
        "name": "V",
        "kind": "tax",
        "unit": "08",
        "valid_until": "2020-01-01",
        "is_active": True,
    },
    {"type": "thing", "code": "X"},
]


def test_bad_records_are_reported_with_their_line_and_skipped(db, tmp_path):
    path = write_jsonl(tmp_path / "bad.jsonl", BAD)
    out = run(path)
    lines = {line.split("\t")[0]: line for line in out.splitlines() if "\t" in line}
    assert "kind" in lines["line 2"] and "ministry" in lines["line 2"]
    assert "31/02/2020" in lines["line 3"]
    assert "JSON" in lines["line 4"]
    assert "H99" in lines["line 5"]
    assert "line 1" in lines["line 6"]  # the first time the code was given
    assert "H08.05" in lines["line 7"]  # the QĐ 20/2020 code it converts to
    assert "line 2" in lines["line 8"]  # its parent was not imported
    assert "counters" in lines["line 9"] and "2" in lines["line 9"]
    assert "is_active" in lines["line 10"]
    assert "thing" in lines["line 11"]
    assert "skipped: 10" in out
    assert AdministrativeUnit.objects.get().name == "Tỉnh Tuyên Quang"
    assert not Agency.objects.exists()


def test_strict_refuses_the_whole_file(db, tmp_path):
    path = write_jsonl(tmp_path / "bad.jsonl", BAD)
    with pytest.raises(CommandError):
        run(path, strict=True)
    assert not AdministrativeUnit.objects.exists()


def test_strict_refuses_a_record_the_models_refuse_while_writing(db, tmp_path):
    records = [
        {"type": "unit", "code": "08", "name": "Tỉnh Tuyên Quang", "kind": "province"},
        # A province under a province: only the model's own clean() knows.
        {"type": "unit", "code": "09", "name": "Sai", "kind": "province", "parent": "08"},
    ]
    path = write_jsonl(tmp_path / "late.jsonl", records)
    with pytest.raises(CommandError):
        run(path, strict=True)
    assert not AdministrativeUnit.objects.exists()
    out = run(path)
    assert "parent" in out and "units: created 1" in out
    assert AdministrativeUnit.objects.count() == 1


def test_the_service_reports_refusals_with_their_location(db):
    rows = [
        (Location(3), {"type": "unit", "code": "08", "name": "T", "kind": "province"}),
        (Location(7), {"type": "unit", "code": "0", "name": "", "kind": "x"}),
    ]
    with pytest.raises(ImportRefused) as refused:
        import_records(rows, ImportOptions(strict=True))
    (outcome,) = refused.value.result.skipped
    assert outcome.location == Location(7) and "name" in outcome.reason and "kind" in outcome.reason
    result = import_records(rows, ImportOptions())
    assert result.count("created", "unit") == 1 and result.count("skipped") == 1


def test_a_cycle_of_parents_is_refused(db, tmp_path):
    records = [
        {"type": "unit", "code": "08", "name": "T", "kind": "province"},
        {
            "type": "agency",
            "code": "H08.1",
            "name": "A",
            "kind": "tax",
            "unit": "08",
            "parent": "H08.2",
        },
        {
            "type": "agency",
            "code": "H08.2",
            "name": "B",
            "kind": "tax",
            "unit": "08",
            "parent": "H08.1",
        },
    ]
    out = run(write_jsonl(tmp_path / "cycle.jsonl", records))
    assert out.count("H08.1") >= 2 and not Agency.objects.exists()


def test_an_old_code_of_another_agency_is_refused(db, province_file, tmp_path):
    run(province_file)
    other = {
        **PROVINCE[4],  # type: ignore[dict-item]
        "code": "H08.13",
        "name": "Sở khác",
        "aliases": ["000.00.12.H08"],
        "departments": [],
    }
    out = run(write_jsonl(tmp_path / "other.jsonl", [other]))
    assert "000.00.12.H08" in out and "H08.12" in out
    assert not Agency.objects.filter(code="H08.13").exists()


def test_a_successor_must_exist_when_the_agency_ended(db, province_file, tmp_path):
    run(province_file)
    late = {
        "type": "agency",
        "code": "H08.20",
        "name": "Mới",
        "kind": "tax",
        "unit": "08",
        "valid_from": "2026-01-01",
    }
    old = {
        "type": "agency",
        "code": "H02.20",
        "name": "Cũ",
        "kind": "tax",
        "unit": "02",
        "valid_until": MERGED,
        "successor": "H08.20",
    }
    out = run(write_jsonl(tmp_path / "successor.jsonl", [late, old]))
    assert "successor" in out
    assert not Agency.objects.filter(code="H02.20").exists()


def _wipe() -> None:
    Agency.objects.update(parent=None, successor=None)
    Agency.objects.all().delete()
    AdministrativeUnit.objects.update(parent=None, successor=None)
    AdministrativeUnit.objects.all().delete()


@pytest.mark.parametrize("suffix", [".jsonl", ".xlsx"])
def test_round_trip(db, province_file, tmp_path, suffix):
    run(province_file)
    before = snapshot()
    first = export(tmp_path / f"first{suffix}")
    out = run(first)
    assert "created 0, updated 0" in out and "skipped: 0" in out
    assert snapshot() == before
    _wipe()
    run(first, strict=True)
    second = export(tmp_path / f"second{suffix}")
    if suffix == ".jsonl":
        assert first.read_bytes() == second.read_bytes()
    assert _records(first) == _records(second)
    assert _without_ids(snapshot()) == _without_ids(before)


IDS = {"id", "parent_id", "successor_id", "unit_id", "agency_id", "reception_point_id"}


def _without_ids(tables: list) -> list:
    """The rows without their ids (new after a wipe); the relations are compared by code in
    the exported files."""
    return [[{k: v for k, v in row.items() if k not in IDS} for row in table] for table in tables]


def _records(path: Path) -> list:
    return [data for _location, data in read_rows(path)]


def test_the_workbook_opens_with_a_sheet_per_kind_of_row(db, province_file, tmp_path):
    run(province_file)
    path = export(tmp_path / "org.xlsx")
    workbook = load_workbook(path)
    assert workbook.sheetnames == [
        "units",
        "agencies",
        "aliases",
        "departments",
        "reception_points",
        "counters",
    ]
    agencies = workbook["agencies"]
    header = [c.value for c in agencies[1]]
    assert header[:4] == ["code", "name", "short_name", "kind"]
    codes = [row[0].value for row in agencies.iter_rows(min_row=2)]
    assert codes == ["H02", "H02.32", "H08", "H08.01", "H08.12"]
    until = agencies.cell(row=2, column=header.index("valid_until") + 1)
    assert until.value.date() == date(2025, 7, 1) and until.number_format == "yyyy-mm-dd"
    assert workbook["counters"].max_row == 6  # the header and five counters
    units = workbook["units"]
    assert [row[0].value for row in units.iter_rows(min_row=2)][:2] == ["02", "08"]  # text kept


def test_workbook_errors_name_the_sheet_and_row(db, province_file, tmp_path):
    run(province_file)
    path = export(tmp_path / "org.xlsx")
    workbook = load_workbook(path)
    workbook["agencies"]["D3"] = "not a kind"
    workbook["departments"].append(["H99", "X", "Phòng lạc"])
    workbook["counters"]["C2"] = "một"
    workbook.save(path)
    out = run(path)
    assert "agencies row 3" in out
    assert "H99" in out and "departments" in out
    assert "counters row 2, number" in out


FORMULAS = ['=HYPERLINK("http://evil","x")', "+84 207 3822", "-1", "@SUM(A1)", "＝1+1"]


def test_formula_like_text_stays_text(db, tmp_path):
    records = [
        {"type": "unit", "code": "08", "name": "Tỉnh Tuyên Quang", "kind": "province"},
        {
            "type": "agency",
            "code": "H08",
            "name": FORMULAS[0],
            "short_name": FORMULAS[4],
            "kind": "provincial_committee",
            "unit": "08",
            "phone": FORMULAS[1],
            "address": FORMULAS[3],
            "departments": [{"code": "=A1", "name": FORMULAS[2]}],
        },
    ]
    run(write_jsonl(tmp_path / "f.jsonl", records), strict=True)
    path = export(tmp_path / "f.xlsx")
    sheet = load_workbook(path)["agencies"]
    name, short_name = sheet["B2"], sheet["C2"]
    assert name.data_type == "s" and name.value == FORMULAS[0] and name.quotePrefix
    assert short_name.value == FORMULAS[4] and short_name.quotePrefix
    _wipe()
    run(path, strict=True)
    agency = Agency.objects.get()
    assert (agency.name, agency.phone, agency.address, agency.short_name) == (
        FORMULAS[0],
        FORMULAS[1],
        FORMULAS[3],
        FORMULAS[4],
    )
    assert agency.departments.get().name == "-1"


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_libreoffice_opens_the_workbook_and_it_imports_back(db, province_file, tmp_path):
    run(province_file)
    path = export(tmp_path / "org.xlsx")
    outdir = tmp_path / "lo"
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{tmp_path / 'profile'}",
            "--headless",
            "--convert-to",
            "xlsx",
            "--outdir",
            str(outdir),
            str(path),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    converted = outdir / "org.xlsx"
    assert converted.exists()
    before = snapshot()
    out = run(converted, strict=True)
    assert "created 0, updated 0" in out
    assert snapshot() == before


def test_an_agency_that_ended_cannot_be_left_active(db, province_file):
    from django.core.exceptions import ValidationError

    run(province_file)
    district = Agency.objects.get(code="H02.32")
    district.is_active = True
    with pytest.raises(ValidationError) as info:
        district.full_clean()
    assert "is_active" in info.value.message_dict


def test_unreadable_files_are_refused(db, tmp_path):
    missing = tmp_path / "none.jsonl"
    with pytest.raises(CommandError):
        run(missing)
    text = tmp_path / "x.txt"
    text.write_text("hello")
    with pytest.raises(CommandError):
        run(text)
    notxlsx = tmp_path / "x.xlsx"
    notxlsx.write_text("hello")
    with pytest.raises(CommandError):
        run(notxlsx)


def test_export_only_units(db, province_file, tmp_path):
    run(province_file)
    path = export(tmp_path / "units.jsonl", "--only", "units")
    records = _records(path)
    assert {r["type"] for r in records} == {"unit"} and len(records) == 5


def test_the_admin_shows_validity_and_old_codes(client, system_admin, db, province_file):
    from conftest import PASSWORD

    run(province_file)
    client.login(username=system_admin.username, password=PASSWORD)
    district = agency("H02.32")
    page = client.get(f"/admin/organisations/agency/{district.pk}/change/")
    assert page.status_code == 200
    body = page.content.decode()
    assert 'name="valid_until"' in body and 'name="successor"' in body
    assert "000.00.32.H02" in body
    units = client.get("/admin/organisations/administrativeunit/?q=02")
    assert units.status_code == 200


def test_a_unit_of_before_2025_needs_a_code_the_2025_list_does_not_use(db, tmp_path):
    records = [
        {"type": "unit", "code": "08", "name": "Tỉnh Tuyên Quang", "kind": "province"},
        {"type": "unit", "code": "00745", "name": "Xã cũ", "kind": "commune", "parent": "08",
         "valid_until": MERGED},
    ]  # fmt: skip
    out = run(write_jsonl(tmp_path / "old.jsonl", records))
    assert "C00745" in out and not AdministrativeUnit.objects.filter(code="00745").exists()


def test_the_report_file_lists_every_record(db, tmp_path):
    path = write_jsonl(tmp_path / "bad.jsonl", BAD)
    report = tmp_path / "report.csv"
    run(path, report=report)
    rows = list(csv.DictReader(report.open(encoding="utf-8")))
    assert [r["location"] for r in rows][:3] == ["line 1", "line 2", "line 3"]
    assert rows[0]["action"] == "created" and rows[1]["action"] == "skipped"
    assert "kind" in rows[1]["reason"]
