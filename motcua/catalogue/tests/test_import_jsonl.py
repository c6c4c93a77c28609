"""import_catalogue with JSON Lines: validation, repairs, strictness, idempotence, atomicity."""

import csv
import json
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from motcua.audit.models import AuditEvent
from motcua.catalogue.models import Procedure, ProcedureVersion

from .import_samples import catalogue_state, portal_record, repairable_record, write_jsonl


def run_import(path, *args, **options):
    out, err = StringIO(), StringIO()
    call_command("import_catalogue", str(path), *args, stdout=out, stderr=err, **options)
    return out.getvalue(), err.getvalue()


@pytest.fixture
def mixed_file(tmp_path):
    """Good, repairable and bad lines; line 3 is blank."""
    return write_jsonl(
        tmp_path / "mixed.jsonl",
        [
            portal_record("1.001193"),
            repairable_record("2.000635"),
            "",
            portal_record("1.23"),
            "{not json",
            portal_record("1.000894", name="  "),
            portal_record("1.001193", name="Đăng ký khai sinh (lần hai)"),
            portal_record("1.004222", channels=[]),
        ],
    )


@pytest.mark.django_db
def test_bad_lines_are_reported_with_their_number_and_the_rest_imported(mixed_file):
    out, _err = run_import(mixed_file)

    assert "created: 2, new versions: 0, unchanged: 0, repaired: 1, skipped: 5" in out
    skipped = [line.split("\t") for line in out.splitlines() if "\tskipped\t" in line]
    assert [(where, code) for where, code, *_ in skipped] == [
        ("line 4", "1.23"),
        ("line 5", ""),
        ("line 6", "1.000894"),
        ("line 7", "1.001193"),
        ("line 8", "1.004222"),
    ]
    reasons = {where: reason for where, _code, _action, reason in skipped}
    assert "1.23" in reasons["line 4"]
    assert "JSON" in reasons["line 5"]
    assert "line 1" in reasons["line 7"]  # the duplicate names the first occurrence
    assert "channels" in reasons["line 8"]
    assert set(Procedure.objects.values_list("code", flat=True)) == {"1.001193", "2.000635"}


@pytest.mark.django_db
def test_each_new_procedure_is_published_and_audited(mixed_file):
    run_import(mixed_file)

    procedure = Procedure.objects.get(code="1.001193")
    version = procedure.current_version
    assert version.number == 1 and version.status == ProcedureVersion.Status.PUBLISHED
    assert procedure.name == "Đăng ký khai sinh" and procedure.field.code == "ho-tich"
    assert "mixed.jsonl, line 1" in version.change_note
    actions = AuditEvent.objects.filter(target_id=str(version.pk)).values_list("action", flat=True)
    assert sorted(actions) == ["procedure.version_created", "procedure.version_published"]
    assert AuditEvent.objects.count() == 4


@pytest.mark.django_db
def test_repairs_follow_the_stated_rules_and_are_kept_on_the_version(mixed_file):
    out, _err = run_import(mixed_file)

    version = Procedure.objects.get(code="2.000635").current_version
    components = list(version.components.order_by("order"))
    assert [c.name for c in components] == [
        "Tờ khai theo mẫu quy định tại Thông tư 04/2020/TT-BTP",
        "Giấy tờ tùy thân (nếu có)",
    ]
    assert components[0].form_files == ["Mẫu TK01.docx"]
    assert components[1].is_mandatory is False
    assert version.documents_note.splitlines() == [
        "- Trường hợp ủy quyền thì nộp văn bản ủy quyền.",
        "Giấy tờ phải xuất trình:",
        "Người yêu cầu được trả kết quả trong ngày.",
    ]
    assert (version.time_limit_value, version.time_limit_unit) == (Decimal(1), "working_days")
    assert [row["channel"] for row in version.channel_time_limits] == ["in_person", "online"]
    assert version.online_level == "partial"
    assert version.applicant_types == ["citizen", "organisation"]
    assert {(f.channel, f.amount) for f in version.fees.all()} == {
        ("in_person", Decimal(8000)),
        ("online", Decimal(8000)),
    }
    rules = {note["rule"] for note in version.import_notes}
    assert rules >= {
        "document_bullet_stripped",
        "form_file_split",
        "document_note_moved",
        "document_heading_moved",
        "time_unit_assumed",
        "time_limit_missing",
        "fee_shown_as_free",
        "delegated_agency_dropped",
        "online_level_assumed",
        "applicant_type_unknown",
    }
    assert "line 2\t2.000635\trepaired\t" in out


@pytest.mark.django_db
def test_strict_refuses_the_whole_file_and_changes_nothing(mixed_file):
    before = catalogue_state()

    with pytest.raises(CommandError, match="nothing was changed"):
        run_import(mixed_file, "--strict")

    assert catalogue_state() == before


@pytest.mark.django_db
def test_strict_accepts_a_file_whose_records_only_needed_repairs(tmp_path):
    path = write_jsonl(tmp_path / "ok.jsonl", [portal_record(), repairable_record()])

    out, _err = run_import(path, "--strict")

    assert "created: 2" in out


@pytest.mark.django_db
def test_importing_the_same_file_twice_changes_nothing_the_second_time(mixed_file):
    run_import(mixed_file)
    before = catalogue_state()

    out, _err = run_import(mixed_file)

    assert "created: 0, new versions: 0, unchanged: 2, repaired: 0, skipped: 5" in out
    assert catalogue_state() == before


@pytest.mark.django_db
def test_a_changed_record_becomes_version_2_and_supersedes_version_1(tmp_path):
    run_import(write_jsonl(tmp_path / "v1.jsonl", [portal_record()]))
    changed = portal_record(name="Đăng ký khai sinh (sửa đổi)", fees_text="Miễn phí.")

    out, _err = run_import(write_jsonl(tmp_path / "v2.jsonl", [changed]))

    assert "created: 0, new versions: 1, unchanged: 0" in out
    procedure = Procedure.objects.get(code="1.001193")
    first, second = procedure.versions.order_by("number")
    assert (first.status, second.status) == ("superseded", "published")
    assert procedure.current_version == second
    assert procedure.name == "Đăng ký khai sinh (sửa đổi)"
    assert second.components.count() == first.components.count() == 2
    assert AuditEvent.objects.filter(target_id=str(second.pk)).count() == 2


@pytest.mark.django_db
def test_dry_run_counts_everything_and_saves_nothing(mixed_file):
    before = catalogue_state()

    out, _err = run_import(mixed_file, "--dry-run")

    assert "created: 2" in out and "Dry run" in out
    assert catalogue_state() == before


@pytest.mark.django_db
def test_an_interrupted_run_changes_nothing(tmp_path, monkeypatch):
    run_import(write_jsonl(tmp_path / "first.jsonl", [portal_record("1.000001")]))
    before = catalogue_state()
    records = [portal_record("1.000001", name="Tên mới")]
    records += [portal_record(f"1.00010{i}") for i in range(5)]
    calls = []

    def record_event_then_crash(*args, **kwargs):
        calls.append(args[0])
        if len(calls) == 3:  # midway through writing the new procedures
            raise RuntimeError("power cut")
        return real_record_event(*args, **kwargs)

    from motcua.catalogue import services

    real_record_event = services.record_event
    monkeypatch.setattr(services, "record_event", record_event_then_crash)

    with pytest.raises(RuntimeError, match="power cut"):
        run_import(write_jsonl(tmp_path / "second.jsonl", records))

    assert len(calls) == 3
    assert catalogue_state() == before


@pytest.mark.django_db
def test_the_report_file_lists_every_skipped_and_repaired_record(mixed_file, tmp_path):
    report = tmp_path / "report.csv"

    run_import(mixed_file, "--report", str(report))

    with report.open(encoding="utf-8") as rows:
        table = list(csv.DictReader(rows))
    skipped = [(row["location"], row["code"]) for row in table if row["action"] == "skipped"]
    assert ("line 4", "1.23") in skipped and len(skipped) == 5
    repaired = {row["rule"] for row in table if row["action"] == "repaired"}
    assert "time_unit_assumed" in repaired
    assert "online_level_assumed" not in repaired  # derivations are not reported as repairs


@pytest.mark.django_db
def test_the_report_can_be_json_lines(mixed_file, tmp_path):
    report = tmp_path / "report.jsonl"

    run_import(mixed_file, "--report", str(report))

    rows = [json.loads(line) for line in report.read_text(encoding="utf-8").splitlines()]
    assert {"location", "code", "action", "rule", "reason"} == set(rows[0])


@pytest.mark.django_db
def test_owner_agency_option_sets_who_manages_new_procedures(tmp_path, commune_agency):
    path = write_jsonl(tmp_path / "one.jsonl", [portal_record()])

    run_import(path, "--owner-agency", commune_agency.code)

    assert Procedure.objects.get(code="1.001193").owner_agency == commune_agency


@pytest.mark.django_db
def test_an_unknown_owner_agency_is_refused(tmp_path):
    path = write_jsonl(tmp_path / "one.jsonl", [portal_record()])

    with pytest.raises(CommandError, match="H99"):
        run_import(path, "--owner-agency", "H99")


@pytest.mark.django_db
def test_progress_goes_to_stderr(tmp_path):
    path = write_jsonl(tmp_path / "one.jsonl", [portal_record()])

    _out, err = run_import(path)

    assert "100% (1/1)" in err


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "content", "args", "message"),
    [
        ("missing.jsonl", None, [], "No such file"),
        ("catalogue.txt", "{}", [], "--format"),
        ("binary.jsonl", b"\x89PNG\r\n\x1a\n\xff\xfe", [], "UTF-8"),
        ("garbage.jsonl", "hello\nworld\n", [], "not a JSON Lines file"),
        ("empty.jsonl", "\n\n", [], "no records"),
        ("lines.jsonl", '{"code": "1.001193"}\n', ["--format", "xlsx"], "Excel"),
    ],
)
def test_unreadable_input_exits_with_a_clear_message(tmp_path, name, content, args, message):
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    elif content is not None:
        path.write_text(content, encoding="utf-8")

    with pytest.raises(CommandError, match=message):
        run_import(path, *args)


@pytest.fixture
def refused_by_services(tmp_path, monkeypatch):
    """Three records; the middle one passes reading but the services refuse its fee."""
    from motcua.catalogue.interchange import parse

    monkeypatch.setattr(parse, "validate", lambda record: None)
    bad_fee = [{"name": "Lệ phí", "amount": None, "rule": ""}]
    records = [portal_record("1.000001"), portal_record("1.000002", fees=bad_fee)]
    return write_jsonl(tmp_path / "three.jsonl", [*records, portal_record("1.000003")])


@pytest.mark.django_db
def test_a_record_the_services_refuse_is_skipped_alone(refused_by_services):
    out, _err = run_import(refused_by_services)

    assert "created: 2, new versions: 0, unchanged: 0, repaired: 0, skipped: 1" in out
    assert "line 2\t1.000002\tskipped\t" in out
    assert set(Procedure.objects.values_list("code", flat=True)) == {"1.000001", "1.000003"}
    assert AuditEvent.objects.count() == 4


@pytest.mark.django_db
def test_strict_refuses_when_the_services_refuse_a_record(refused_by_services):
    before = catalogue_state()

    with pytest.raises(CommandError, match="nothing was changed"):
        run_import(refused_by_services, "--strict")

    assert catalogue_state() == before


@pytest.mark.django_db
def test_the_summary_is_in_vietnamese_by_default(tmp_path):
    from io import StringIO

    from django.core.management import call_command
    from django.utils import translation

    path = tmp_path / "one.jsonl"
    path.write_text(json.dumps(portal_record(), ensure_ascii=False) + "\n", encoding="utf-8")
    out = StringIO()
    with translation.override("vi"):
        call_command("import_catalogue", str(path), stdout=out)
    assert "tạo mới: 1" in out.getvalue()
