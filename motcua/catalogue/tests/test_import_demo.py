"""The demo catalogue shipped in motcua/catalogue/data, and its generated process templates."""

from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db.models import Sum
from hypothesis import given
from hypothesis import strategies as st

from motcua.catalogue.interchange.demo import budget_hours, process_template
from motcua.catalogue.models import Procedure, ProcessStep

DEMO_FILE = Path(__file__).resolve().parents[1] / "data" / "demo_procedures.jsonl"


@pytest.mark.django_db
def test_the_shipped_demo_file_imports_fully():
    lines = [line for line in DEMO_FILE.read_text(encoding="utf-8").splitlines() if line]
    out = StringIO()

    call_command("import_catalogue", str(DEMO_FILE), "--strict", stdout=out, stderr=StringIO())

    assert f"created: {len(lines)}," in out.getvalue() and "skipped: 0" in out.getvalue()
    assert 150 <= Procedure.objects.count() <= 300
    assert Procedure.objects.filter(levels_index__contains=" commune ").count() >= 60


@pytest.mark.django_db
def test_every_demo_procedure_has_a_template_that_uses_up_its_time_limit():
    call_command("import_catalogue", str(DEMO_FILE), stdout=StringIO(), stderr=StringIO())

    for procedure in Procedure.objects.select_related("current_version"):
        version = procedure.current_version
        steps = ProcessStep.objects.filter(version=version)
        total = steps.aggregate(total=Sum("budget_hours"))["total"]
        assert total == budget_hours(version.time_limit_value, version.time_limit_unit)
        assert list(steps.values_list("role", flat=True)) == [
            "receiving_clerk",
            "department_head",
            "specialist",
            "leader",
            "receiving_clerk",
        ]
        assert version.source["process_template_source"] == "generated for the demo"


@pytest.mark.parametrize(
    ("value", "unit", "hours"),
    [
        (Decimal(1), "working_days", Decimal(8)),
        (Decimal("0.5"), "working_days", Decimal(4)),
        (Decimal(4), "working_hours", Decimal(4)),
        (Decimal(30), "calendar_days", Decimal(168)),  # 21 working days
        (Decimal(1), "calendar_days", Decimal(8)),  # at least one day
        (Decimal(2), "months", Decimal(352)),
        (None, "", None),
    ],
)
def test_time_limits_convert_to_working_hours(value, unit, hours):
    assert budget_hours(value, unit) == hours


def test_a_long_limit_gives_fixed_budgets_to_all_but_appraisal():
    steps = process_template(Decimal(80))
    assert [s["budget_hours"] for s in steps] == [4, 4, 60, 8, 4]


def test_a_short_limit_is_shared_out():
    assert [s["budget_hours"] for s in process_template(Decimal(8))] == [0.8, 0.8, 4.0, 1.6, 0.8]


@given(st.decimals(min_value=Decimal("0.5"), max_value=Decimal(20000), places=2))
def test_step_budgets_always_add_up_to_the_limit(hours):
    steps = process_template(hours)
    assert sum(Decimal(str(s["budget_hours"])) for s in steps) == hours
    assert all(s["budget_hours"] >= 0 for s in steps)


@pytest.mark.django_db
def test_birth_registration_lists_only_papers_as_documents():
    call_command("import_catalogue", str(DEMO_FILE), stdout=StringIO(), stderr=StringIO())
    version = Procedure.objects.get(code="1.001193").current_version
    assert version is not None

    documents, notes = version.documents(), version.notes()
    assert len(documents) == 8 and len(notes) == 5
    assert not any(d.case.startswith("* Lưu ý") for d in documents)
    at_counter = {d.name[:15] for d in documents if d.required_for("in_person")}
    assert at_counter == {"Giấy chứng sinh", "Hộ chiếu/Thẻ că", "Tờ khai đăng ký"}
    online = {d.name[:15] for d in documents if d.required_for("online")}
    assert online == {"Giấy chứng sinh", "Hộ chiếu/Thẻ că", "Mẫu hộ tịch điệ"}
