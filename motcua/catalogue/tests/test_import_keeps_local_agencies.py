import json

from django.core.management import call_command

from motcua.catalogue.models import Procedure
from motcua.catalogue.services import assign_local_agencies
from motcua.organisations.models import Department


def national_record(**changes) -> dict:
    record = {
        "code": "1.001193",
        "name": "Đăng ký khai sinh",
        "field": "Hộ tịch",
        "levels": ["commune"],
        "channels": [
            {
                "channel": "in_person",
                "time_limit": "1 Ngày làm việc",
                "time_limit_value": 1,
                "time_limit_unit": "Ngày làm việc",
            }
        ],
        "documents": [
            {"case": None, "name": "Tờ khai", "originals": 1, "copies": 0, "form_files": []}
        ],
    }
    record.update(changes)
    return record


def write(path, record) -> str:
    path.write_text(json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")
    return str(path)


def test_reimporting_national_data_keeps_the_provinces_agency_assignment(
    tmp_path, commune_agency, other_commune_agency
):
    call_command("import_catalogue", write(tmp_path / "a.jsonl", national_record()), verbosity=0)
    procedure = Procedure.objects.get(code="1.001193")
    assign_local_agencies(
        procedure,
        owner=commune_agency,
        implementing=[commune_agency, other_commune_agency],
        actor=None,
    )

    call_command("import_catalogue", write(tmp_path / "a.jsonl", national_record()), verbosity=0)
    procedure.refresh_from_db()
    assert procedure.versions.count() == 1

    changed = national_record(name="Đăng ký khai sinh (mới)")
    call_command("import_catalogue", write(tmp_path / "b.jsonl", changed), verbosity=0)
    procedure.refresh_from_db()
    assert procedure.current_version.number == 2
    assert set(procedure.current_version.implementing_agencies.all()) == {
        commune_agency,
        other_commune_agency,
    }


STEPS = [
    {"order": 1, "name": "Tiếp nhận hồ sơ", "role": "receiving_clerk", "budget_hours": 4},
    {"order": 2, "name": "Thẩm định hồ sơ", "role": "specialist", "budget_hours": 16},
    {"order": 3, "name": "Ký duyệt", "role": "leader", "budget_hours": 4},
]


def test_reimporting_national_data_keeps_the_provinces_step_departments(tmp_path, commune_agency):
    office = Department.objects.create(agency=commune_agency, code="VP", name="Văn phòng")
    record = national_record(steps=STEPS)
    call_command("import_catalogue", write(tmp_path / "a.jsonl", record), verbosity=0)
    procedure = Procedure.objects.get(code="1.001193")
    procedure.current_version.steps.filter(order=2).update(department=office)

    call_command("import_catalogue", write(tmp_path / "a.jsonl", record), verbosity=0)
    assert procedure.versions.count() == 1

    changed = national_record(name="Đăng ký khai sinh (mới)", steps=STEPS)
    call_command("import_catalogue", write(tmp_path / "b.jsonl", changed), verbosity=0)
    procedure.refresh_from_db()
    assert procedure.current_version.number == 2
    departments = dict(procedure.current_version.steps.values_list("order", "department"))
    assert departments == {1: None, 2: office.pk, 3: None}
