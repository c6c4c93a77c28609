import csv
import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from motcua.dossiers.codes import next_dossier_code
from motcua.dossiers.models import DailySequence, Dossier, DossierEvent
from motcua.dossiers.status import Action, Status

HEADER = [
    "code",
    "procedure_code",
    "receiving_agency",
    "competent_agency",
    "channel",
    "status",
    "applicant_type",
    "applicant_name",
    "applicant_id_number",
    "applicant_phone",
    "received_at",
    "due_at",
    "finished_at",
    "returned_at",
    "outcome",
]


def row(**changes):
    values = {
        "code": "H42.50.01-250310-0007",
        "procedure_code": "1.001193",
        "receiving_agency": "H42.50.01",
        "competent_agency": "",
        "channel": "in_person",
        "status": "10",
        "applicant_type": "citizen",
        "applicant_name": "Lê Văn Bình",
        "applicant_id_number": "042090009999",
        "applicant_phone": "0987654321",
        "received_at": "2025-03-10T08:15:00+07:00",
        "due_at": "2025-03-11T17:00:00+07:00",
        "finished_at": "2025-03-11T10:00:00+07:00",
        "returned_at": "2025-03-12T09:00:00+07:00",
        "outcome": "",
    }
    values.update(changes)
    return values


def write_csv(path, rows):
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=HEADER)
        writer.writeheader()
        writer.writerows(rows)
    return str(path)


def run(path) -> str:
    out = StringIO()
    call_command("import_dossiers", path, stdout=out)
    return out.getvalue()


@pytest.fixture(autouse=True)
def _english():
    from django.utils import translation

    with translation.override("en"):
        yield


def test_history_is_imported_with_its_real_times_and_events(
    tmp_path, birth_registration, commune_agency
):
    output = run(write_csv(tmp_path / "old.csv", [row()]))

    assert "imported: 1, skipped: 0" in output
    dossier = Dossier.objects.get()
    assert dossier.status == Status.RETURNED and dossier.outcome == "granted"
    assert dossier.received_at.isoformat() == "2025-03-10T01:15:00+00:00"
    actions = list(dossier.events.values_list("action", flat=True))
    assert actions == [Action.RECEIVE, Action.MARK_RESULT_READY, Action.RETURN_RESULT]
    assert dossier.events.first().created_at == dossier.received_at


def test_bad_rows_are_reported_with_their_line_and_the_rest_imported(
    tmp_path, birth_registration, commune_agency
):
    rows = [
        row(),
        row(code="H42.50.01-250310-0008", procedure_code="9.999999"),
        row(code="H42.50.01-250310-0009", applicant_id_number="12"),
        row(code="H42.50.01-250310-0010", received_at="yesterday"),
        row(code="H42.50.01-250310-0011", returned_at="2025-03-01T09:00:00+07:00"),
        row(code="H42.50.01-250310-0012", receiving_agency="X99"),
        row(code="H42.50.01-250310-0013", status="42"),
        row(code="", status="2"),
    ]
    output = run(write_csv(tmp_path / "old.csv", rows))

    assert "imported: 1, skipped: 7" in output
    for line in range(3, 10):
        assert f"line {line}\t" in output
    assert Dossier.objects.count() == 1


def test_a_second_run_imports_nothing_twice(tmp_path, birth_registration, commune_agency):
    path = write_csv(tmp_path / "old.csv", [row()])
    run(path)
    events = DossierEvent.objects.count()
    output = run(path)
    assert "imported: 0, skipped: 1 (already imported: 1, rejected: 0)" in output
    assert Dossier.objects.count() == 1 and DossierEvent.objects.count() == events


def test_json_lines_are_accepted_and_open_dossiers_stay_open(
    tmp_path, birth_registration, commune_agency
):
    path = tmp_path / "old.jsonl"
    open_row = row(status="4", finished_at="", returned_at="")
    path.write_text(json.dumps(open_row, ensure_ascii=False) + "\n", encoding="utf-8")
    assert "imported: 1" in run(str(path))
    assert Dossier.objects.get().status == Status.PROCESSING


def test_imported_codes_raise_the_daily_counter(tmp_path, birth_registration, commune_agency):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from django.db import transaction

    run(write_csv(tmp_path / "old.csv", [row()]))
    assert DailySequence.objects.get().last_value == 7
    with transaction.atomic():
        code = next_dossier_code(
            commune_agency, datetime(2025, 3, 10, 14, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
        )
    assert code == "H42.50.01-250310-0008"


def test_missing_file_is_a_clear_error(tmp_path, db):
    with pytest.raises(CommandError, match="No such file"):
        call_command("import_dossiers", str(tmp_path / "nope.csv"))
    broken = tmp_path / "broken.json"
    broken.write_text("[{", encoding="utf-8")
    with pytest.raises(CommandError, match="not a CSV or JSON file"):
        call_command("import_dossiers", str(broken))


def test_history_keeps_numbers_the_counter_would_refuse_by_their_structure(
    tmp_path, birth_registration, commune_agency
):
    # The counter checks the structure of a personal identity number (dossiers.identity);
    # records of the past are checked by length only, so nothing old is refused (issue 14).
    output = run(write_csv(tmp_path / "old.csv", [row(applicant_id_number="999095001234")]))
    assert "imported: 1, skipped: 0" in output
    assert Dossier.objects.get().applicant_id_number == "999095001234"
