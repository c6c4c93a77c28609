"""export_catalogue, and round trips through import_catalogue in both formats."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from motcua.catalogue.interchange.record import SCHEMA
from motcua.catalogue.models import Procedure
from motcua.testing.spreadsheets import HOSTILE, assert_plain_text

from .import_samples import (
    catalogue_state,
    portal_record,
    repairable_record,
    wipe_catalogue,
    write_jsonl,
)


def command(name, *args):
    out = StringIO()
    call_command(name, *[str(a) for a in args], stdout=out, stderr=StringIO())
    return out.getvalue()


def workbook_values(path):
    workbook = load_workbook(path, read_only=True)
    values = {ws.title: [list(row) for row in ws.iter_rows(values_only=True)] for ws in workbook}
    workbook.close()
    return values


@pytest.fixture
def catalogue(tmp_path, birth_registration):
    """A hand-made procedure with steps and an owner, plus two imported national ones."""
    records = [portal_record("1.000894", name="Đăng ký kết hôn"), repairable_record()]
    command("import_catalogue", write_jsonl(tmp_path / "national.jsonl", records))
    return Procedure.objects.count()


@pytest.mark.django_db
def test_export_writes_one_record_per_published_procedure_in_code_order(tmp_path, catalogue):
    out = command("export_catalogue", tmp_path / "export.jsonl")

    lines = (tmp_path / "export.jsonl").read_text(encoding="utf-8").splitlines()
    records = [json.loads(line) for line in lines]
    assert f"Exported {catalogue} procedures" in out
    assert [r["code"] for r in records] == ["1.000894", "1.001193", "2.000635"]
    birth = records[1]
    assert birth["schema"] == SCHEMA and birth["owner_agency"] == "H42.50.01"
    assert [s["role"] for s in birth["steps"]] == ["receiving_clerk", "specialist", "leader"]
    assert birth["documents"][0] == {
        "order": 1,
        "case": "",
        "name": "Tờ khai đăng ký khai sinh",
        "originals": 1,
        "copies": 0,
        "is_mandatory": True,
        "form_files": [],
        "kind": "document",
        "filing": "any",
    }
    assert {"channel": "in_person"} in birth["channels"]


@pytest.mark.django_db
@pytest.mark.parametrize("extension", ["jsonl", "xlsx"])
def test_export_then_import_into_the_same_catalogue_changes_nothing(tmp_path, catalogue, extension):
    path = tmp_path / f"export.{extension}"
    command("export_catalogue", path)
    before = catalogue_state()

    out = command("import_catalogue", path)

    assert f"created: 0, new versions: 0, unchanged: {catalogue}, repaired: 0, skipped: 0" in out
    assert catalogue_state() == before


@pytest.mark.django_db
def test_jsonl_round_trip_gives_the_same_file(tmp_path, catalogue):
    first, second = tmp_path / "first.jsonl", tmp_path / "second.jsonl"
    command("export_catalogue", first)
    wipe_catalogue()

    out = command("import_catalogue", first)
    command("export_catalogue", second)

    assert f"created: {catalogue}, new versions: 0, unchanged: 0, repaired: 0" in out
    assert first.read_bytes() == second.read_bytes()


@pytest.mark.django_db
def test_xlsx_round_trip_gives_the_same_workbook(tmp_path, catalogue):
    first, second = tmp_path / "first.xlsx", tmp_path / "second.xlsx"
    command("export_catalogue", first)
    wipe_catalogue()

    command("import_catalogue", first)
    command("export_catalogue", second)

    assert workbook_values(first) == workbook_values(second)


@pytest.mark.django_db
def test_an_xlsx_export_reimports_to_the_same_jsonl(tmp_path, catalogue):
    command("export_catalogue", tmp_path / "before.jsonl")
    command("export_catalogue", tmp_path / "catalogue.xlsx")
    wipe_catalogue()

    command("import_catalogue", tmp_path / "catalogue.xlsx")
    command("export_catalogue", tmp_path / "after.jsonl")

    assert (tmp_path / "before.jsonl").read_bytes() == (tmp_path / "after.jsonl").read_bytes()


@pytest.mark.django_db
def test_the_workbook_is_laid_out_for_people(tmp_path, catalogue):
    path = tmp_path / "catalogue.xlsx"
    command("export_catalogue", path)

    workbook = load_workbook(path)
    assert workbook.sheetnames == [
        "procedures",
        "channels",
        "components",
        "fees",
        "steps",
        "long_texts",
    ]
    sheet = workbook["procedures"]
    assert sheet["A1"].value == "code" and sheet["A1"].font.b
    assert sheet.freeze_panes == "A2"
    assert sheet.column_dimensions["B"].width == 60
    assert [row[0].value for row in workbook["steps"].iter_rows(min_row=2)] == ["1.001193"] * 3


@pytest.mark.django_db
def test_workbook_errors_name_the_sheet_and_row(tmp_path, catalogue):
    path = tmp_path / "catalogue.xlsx"
    command("export_catalogue", path)
    workbook = load_workbook(path)
    workbook["procedures"].append(["9.9", "Thủ tục mới", "Hộ tịch"])  # row 5: invalid code
    steps = workbook["steps"]
    steps.cell(row=3, column=4, value="wizard")  # the role of the second step
    workbook["fees"].append(["8.888888", 1, "Phí", 1000])
    workbook.save(path)

    out = command("import_catalogue", path)

    skipped = [line.split("\t") for line in out.splitlines() if "\tskipped\t" in line]
    assert [(where, code) for where, code, *_ in skipped] == [
        ("fees row 5", ""),  # a fee of a procedure that is not there
        ("procedures row 3", "1.001193"),
        ("procedures row 5", "9.9"),
    ]
    assert "steps row 3" in skipped[1][3] and "wizard" in skipped[1][3]


@pytest.mark.django_db
def test_a_text_longer_than_a_cell_continues_in_long_texts(tmp_path):
    long_text = "Điều kiện. " * 4000  # 44,000 characters, as in the real 2.001538
    command(
        "import_catalogue",
        write_jsonl(tmp_path / "in.jsonl", [portal_record(requirements=long_text)]),
    )
    command("export_catalogue", tmp_path / "out.xlsx")
    wipe_catalogue()

    command("import_catalogue", tmp_path / "out.xlsx")

    version = Procedure.objects.get(code="1.001193").current_version
    assert version.requirements == long_text


@pytest.mark.django_db
def test_export_can_be_limited_to_some_codes(tmp_path, catalogue):
    path = tmp_path / "two.jsonl"

    command("export_catalogue", path, "--code", "2.000635,1.000894")

    codes = [json.loads(line)["code"] for line in path.read_text(encoding="utf-8").splitlines()]
    assert codes == ["1.000894", "2.000635"]


@pytest.mark.django_db
def test_exporting_an_unknown_code_is_an_error(tmp_path, catalogue):
    with pytest.raises(CommandError, match="9.999999"):
        command("export_catalogue", tmp_path / "x.jsonl", "--code", "9.999999")


@pytest.mark.django_db
def test_exporting_to_an_unknown_format_is_an_error(tmp_path, catalogue):
    with pytest.raises(CommandError, match="--format"):
        command("export_catalogue", tmp_path / "x.csv")


@pytest.mark.django_db
def test_the_supplement_clock_policy_survives_export_and_import(tmp_path, civil_status_field):
    from conftest import procedure_values
    from motcua.catalogue.models import ProcedureVersion
    from motcua.catalogue.services import create_procedure

    create_procedure(
        "1.000894",
        actor=None,
        values=procedure_values(
            civil_status_field, name="Đăng ký kết hôn", supplement_clock="pause"
        ),
    )
    path = tmp_path / "out.jsonl"
    call_command("export_catalogue", str(path), verbosity=0)
    ProcedureVersion.objects.update(supplement_clock="")
    call_command("import_catalogue", str(path), verbosity=0)
    assert ProcedureVersion.objects.get(status="published").supplement_clock == "pause"


@pytest.mark.django_db
def test_xlsx_export_writes_formula_like_texts_as_text_and_reimports_them_unchanged(tmp_path):
    """Issue 11: a name such as "=HYPERLINK(…)" is text in the workbook, shown as typed,
    and the export still re-imports to the same catalogue (nothing added to the text)."""
    records = [
        portal_record(f"9.00000{n}", name=text, target_subjects=text, result=text)
        for n, text in enumerate(HOSTILE)
    ]
    command("import_catalogue", write_jsonl(tmp_path / "hostile.jsonl", records))
    command("export_catalogue", tmp_path / "before.jsonl")
    command("export_catalogue", tmp_path / "catalogue.xlsx")
    names = set(Procedure.objects.values_list("current_version__name", flat=True))
    assert {"=1+1", "@SUM(1,1)", "＝1+1", "#N/A", "-1+1"} <= names

    assert_plain_text(tmp_path / "catalogue.xlsx", names)
    wipe_catalogue()
    command("import_catalogue", tmp_path / "catalogue.xlsx")
    command("export_catalogue", tmp_path / "after.jsonl")

    assert (tmp_path / "before.jsonl").read_bytes() == (tmp_path / "after.jsonl").read_bytes()
