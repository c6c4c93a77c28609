"""History as a provincial operator brings it (issue 14 §1, §3): a file shaped like a real
2018-2019 export (9-digit identity cards, agency codes of Circular 10/2016, Vietnamese dates,
statuses and channels, localised procedure codes, a column motcua does not know) imports
through the command; the statistics equal a direct count; a re-run imports nothing; an
interrupted run resumes; the rejects file, fixed, imports. Runs on SQLite and PostgreSQL."""

import csv
from collections import Counter
from datetime import date, datetime
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.management import CommandError, call_command

from conftest import procedure_values
from motcua.catalogue.services import create_procedure
from motcua.dossiers import history
from motcua.dossiers.models import DailySequence, Dossier, DossierEvent
from motcua.dossiers.status import Action, Status
from motcua.organisations.codes import (
    from_old_agency_code,
    is_old_agency_code,
    to_old_agency_code,
)
from motcua.organisations.models import AgencyAlias
from motcua.reports import naive, tally_reads
from motcua.reports.scope import GroupBy, Period, Scope, quarter

VN = ZoneInfo("Asia/Ho_Chi_Minh")
HEADER = [
    "code", "procedure_code", "receiving_agency", "competent_agency", "channel", "status",
    "applicant_type", "applicant_name", "applicant_id_number", "received_at", "due_at",
    "finished_at", "returned_at", "ghi_chu",
]  # fmt: skip


def old_row(**changes) -> dict[str, str]:
    values = {
        "code": "000.01.50.H42-190311-0001",
        "procedure_code": "1.001193.000.00.00.H42",
        "receiving_agency": "000.01.50.H42",
        "competent_agency": "",
        "channel": "Trực tiếp",
        "status": "Đã trả kết quả",
        "applicant_type": "Công dân",
        "applicant_name": "Nguyễn Văn Bảy",
        "applicant_id_number": "183456789",
        "received_at": "11/03/2019 08:15",
        "due_at": "13/03/2019",
        "finished_at": "13/03/2019 16:30",
        "returned_at": "14/03/2019 09:00",
        "ghi_chu": "hồ sơ giấy",
    }
    values.update(changes)
    return values


EXPORT = [
    old_row(),
    # national status code, ISO moments, online, result ready not yet returned, early
    old_row(
        code="000.01.50.H42-190312-0001",
        channel="Trực tuyến",
        status="9",
        received_at="2019-03-12T09:00:00+07:00",
        due_at="2019-03-15T17:00:00+07:00",
        finished_at="2019-03-13 10:00",
        returned_at="",
    ),
    # by public post, late, appointment as a moment, time before the date
    old_row(
        code="000.01.50.H42-190401-0002",
        channel="Bưu chính công ích",
        received_at="08:00 01/04/2019",
        due_at="03/04/2019 17:00",
        finished_at="05/04/2019 15:00",
        returned_at="08/04/2019 08:00",
        applicant_id_number="042090001234",
    ),
    # still being processed, withdrawn, refused at reception; unaccented status
    old_row(
        code="000.01.50.H42-190402-0001",
        status="Đang xử lý",
        received_at="02/04/2019",
        due_at="05/04/2019",
        finished_at="",
        returned_at="",
    ),
    old_row(
        code="000.01.50.H42-190402-0002",
        status="Cong dan yeu cau rut ho so",
        received_at="02/04/2019 10:00",
        finished_at="03/04/2019 10:00",
        returned_at="",
    ),
    # an organisation without a number, the national procedure code, a QĐ 20/2020 code
    old_row(
        code="H42.50.01-190403-0007",
        procedure_code="1.001193",
        receiving_agency="H42.50.01",
        applicant_type="Tổ chức",
        applicant_name="Hợp tác xã Thạch Hà",
        applicant_id_number="",
        received_at="03/04/2019 14:00",
        due_at="05/04/2019",
        finished_at="04/04/2019",
        returned_at="05/04/2019",
    ),
]


def write(path, rows, header=HEADER) -> str:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=header)
        writer.writeheader()
        writer.writerows(rows)
    return str(path)


def run(path, *args) -> str:
    out = StringIO()
    call_command("import_dossiers", path, *args, stdout=out, stderr=StringIO())
    return out.getvalue()


@pytest.fixture(autouse=True)
def _english():
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture
def localised(civil_status_field, commune_agency):
    """The catalogue holds birth registration localised to the province (H42)."""
    return create_procedure(
        "1.001193.000.00.00.H42",
        actor=None,
        values=procedure_values(civil_status_field),
        components=[{"order": 1, "name": "Tờ khai", "originals": 1, "copies": 0}],
        steps=[{"order": 1, "name": "Giải quyết", "role": "specialist", "budget_hours": 8}],
    )


# --- Codes -------------------------------------------------------------------------------


def test_old_agency_codes_convert_both_ways():
    assert from_old_agency_code("000.00.12.H56") == "H56.12"
    assert from_old_agency_code("000.00.00.H56") == "H56"
    assert from_old_agency_code("000.01.50.H42") == "H42.50.01"
    assert from_old_agency_code("013.05.50.H15") == "H15.50.05.013"
    assert from_old_agency_code("001.00.12.H56") is None  # a level under an absent one
    assert from_old_agency_code("H56.12") is None and not is_old_agency_code("H56.12")
    assert to_old_agency_code("H56.12") == "000.00.12.H56"
    assert to_old_agency_code("H42.50.01") == "000.01.50.H42"
    assert to_old_agency_code("H15.50.05.13") is None  # level 4 has three characters there


def test_moments_as_old_systems_write_them():
    tz = VN
    assert history.parse_moment("11/03/2019 08:15", tz) == datetime(2019, 3, 11, 8, 15, tzinfo=tz)
    assert history.parse_moment("08:15 11/03/2019", tz) == datetime(2019, 3, 11, 8, 15, tzinfo=tz)
    assert history.parse_moment("1/3/2019 8:05:09", tz) == datetime(2019, 3, 1, 8, 5, 9, tzinfo=tz)
    assert history.parse_moment("11/03/2019", tz) == date(2019, 3, 11)
    assert history.parse_moment("2019-03-11", tz) == date(2019, 3, 11)
    moment = history.parse_moment("2019-03-11T01:15:00Z", tz)
    assert moment == datetime(2019, 3, 11, 8, 15, tzinfo=tz)
    with pytest.raises(ValueError):
        history.parse_moment("31/02/2019", tz)


def test_statuses_and_channels_by_code_or_vietnamese_name(db):
    assert history._status("Đã trả kết quả") == Status.RETURNED
    assert history._status("  đã TRẢ kết  quả ") == Status.RETURNED
    assert history._status("Da tra ket qua") == Status.RETURNED
    assert history._status("10") == Status.RETURNED
    assert history._status("Đã xử lý xong") == Status.RESOLVED
    assert history._status("Đang giải quyết") == Status.PROCESSING
    assert history._status("Không được tiếp nhận") == Status.NOT_RECEIVED
    assert history._word("channel", "Bưu chính công ích") == "postal"
    assert history._word("channel", "Qua dịch vụ bưu chính công ích") == "postal"
    assert history._word("channel", "Trực tuyến") == "online"
    assert history._word("channel", "trực tiếp") == "in_person"


# --- A 2018-2019 export ------------------------------------------------------------------


def test_an_old_export_imports_with_old_codes_kept_as_aliases(
    tmp_path, birth_registration, localised, commune_agency
):
    output = run(write(tmp_path / "export-2019.csv", EXPORT))

    assert "imported: 6, skipped: 0" in output, output
    assert output.count("Unknown column “ghi_chu”: ignored.") == 1
    assert "Old agency code 000.01.50.H42 recorded as an alias of H42.50.01." in output
    alias = AgencyAlias.objects.get()
    assert (alias.code, alias.agency) == ("000.01.50.H42", commune_agency)
    first = Dossier.objects.get(code="000.01.50.H42-190311-0001")
    assert first.receiving_agency == first.competent_agency == commune_agency
    assert first.procedure == localised  # the localised code as written
    assert first.applicant_id_type == "old_id_card" and first.applicant_id_number == "183456789"
    assert first.status == Status.RETURNED and first.channel == "in_person"
    assert first.received_at == datetime(2019, 3, 11, 8, 15, tzinfo=VN)
    # an appointment given as a day: the close of business of that day
    assert first.due_at == datetime(2019, 3, 13, 17, 0, tzinfo=VN)
    actions = list(first.events.order_by("created_at").values_list("action", flat=True))
    assert actions == [Action.RECEIVE, Action.MARK_RESULT_READY, Action.RETURN_RESULT]
    national = Dossier.objects.get(code="H42.50.01-190403-0007")
    # "1.001193" is in the catalogue as such: the national code is taken as written
    assert national.procedure == birth_registration
    assert national.applicant_type == "organisation" and national.applicant_id_type == "none"
    # a day without a time: the opening of business, after the moments before it that day
    assert national.finished_at == datetime(2019, 4, 4, 7, 30, tzinfo=VN)
    assert Dossier.objects.get(code="000.01.50.H42-190402-0002").status == Status.WITHDRAWN
    assert Dossier.objects.get(code="000.01.50.H42-190401-0002").channel == "postal"
    # only a code of motcua's form raises the counter
    assert list(DailySequence.objects.values_list("day", "last_value")) == [(date(2019, 4, 3), 7)]


def test_the_alias_is_used_by_the_next_import(tmp_path, localised, commune_agency):
    AgencyAlias.objects.create(code="000.99.50.H42", agency=commune_agency)
    rows = [old_row(code="X-1", receiving_agency="000.99.50.H42")]
    assert "imported: 1, skipped: 0" in run(write(tmp_path / "a.csv", rows))
    assert Dossier.objects.get().receiving_agency == commune_agency


def test_a_national_code_finds_the_one_localised_variant(tmp_path, localised, commune_agency):
    output = run(write(tmp_path / "a.csv", [old_row(procedure_code="1.001193")]))
    assert "imported: 1" in output and Dossier.objects.get().procedure == localised


def test_statistics_equal_the_direct_count_after_import(
    tmp_path, birth_registration, localised, commune_agency
):
    run(write(tmp_path / "export-2019.csv", EXPORT))
    scopes = [Scope(), Scope(frozenset([commune_agency.pk])), Scope(procedure_id=localised.pk)]
    periods = [quarter(2019, 1), quarter(2019, 2), Period(date(2019, 3, 12), date(2019, 4, 2))]
    for period in periods:
        for scope in scopes:
            for group_by in ("", GroupBy.AGENCY, GroupBy.MONTH):
                assert tally_reads.counts(period, scope, group_by) == naive.counts(
                    period, scope, group_by
                ), (period, scope, group_by)


def test_a_second_run_imports_nothing(tmp_path, birth_registration, localised, commune_agency):
    path = write(tmp_path / "export-2019.csv", EXPORT)
    run(path)
    counts = (Dossier.objects.count(), DossierEvent.objects.count(), AgencyAlias.objects.count())
    output = run(path)
    assert "imported: 0, skipped: 6 (already imported: 6, rejected: 0)" in output
    assert counts == (
        Dossier.objects.count(),
        DossierEvent.objects.count(),
        AgencyAlias.objects.count(),
    )


VIETNAMESE = {
    "code": "Mã hồ sơ", "procedure_code": "Mã thủ tục", "receiving_agency": "Cơ quan tiếp nhận",
    "competent_agency": "Cơ quan giải quyết", "channel": "Hình thức nộp",
    "status": "Trạng thái", "applicant_type": "Loại đối tượng",
    "applicant_name": "Họ tên người nộp", "applicant_id_number": "Số CMND/CCCD",
    "received_at": "Ngày tiếp nhận", "due_at": "Ngày hẹn trả", "finished_at": "Ngày có kết quả",
    "returned_at": "Ngày trả kết quả", "ghi_chu": "Ghi chú",
}  # fmt: skip


def test_vietnamese_column_headings_are_read_as_the_names_they_stand_for(
    tmp_path, localised, commune_agency
):
    rows = [{VIETNAMESE[k]: v for k, v in old_row().items()}]
    header = [VIETNAMESE[name] for name in HEADER]
    output = run(write(tmp_path / "xuat-2019.csv", rows, header))
    assert "imported: 1, skipped: 0" in output, output
    assert output.count("Unknown column") == 1 and "“Ghi chú”" in output
    dossier = Dossier.objects.get()
    assert (
        dossier.code == "000.01.50.H42-190311-0001" and dossier.applicant_name == "Nguyễn Văn Bảy"
    )
    assert dossier.applicant_id_type == "old_id_card" and dossier.status == Status.RETURNED


def test_digitised_in_the_older_system_counts_for_qd766_digitisation(
    tmp_path, localised, commune_agency
):
    """Issue 14 §4: 4.2 counts dossiers digitised, scanned here or recorded as digitised in
    the imported history (column `digitised`, or the heading `Đã số hóa`)."""
    from motcua.reports import quality_reads
    from motcua.reports.tests.quality_rows import received_dossiers

    rows = [
        old_row(code="A-1", digitised="Có"),
        old_row(code="A-2", digitised="0"),
        old_row(code="A-3", digitised="peut-être"),
    ]
    output = run(write(tmp_path / "a.csv", rows, [*HEADER, "digitised"]))
    assert "imported: 2, skipped: 1" in output and "is not yes or no" in output, output
    found = {d.pk: d.digitised for d in received_dossiers(quarter(2019, 1), Scope())}
    by_code = dict(Dossier.objects.values_list("code", "pk"))
    assert found == {by_code["A-1"]: True, by_code["A-2"]: False}
    summed = sum(quality_reads.facts(quarter(2019, 1), Scope()).keys.values(), Counter())
    assert (summed["digitised"], summed["received"]) == (1, 2)  # the tallies agree


def test_a_dry_run_checks_everything_and_writes_nothing(
    tmp_path, birth_registration, localised, commune_agency
):
    rows = [*EXPORT, old_row(code="BAD-1", receiving_agency="000.77.77.H99")]
    path = write(tmp_path / "export-2019.csv", rows)
    output = run(path, "--dry-run")
    assert "Dry run: nothing was written" in output
    assert "imported: 6, skipped: 1 (already imported: 0, rejected: 1)" in output, output
    assert "Unknown receiving agency code 000.77.77.H99" in output
    assert "000.01.50.H42 would be recorded as an alias of H42.50.01" in output
    assert not Dossier.objects.exists() and not DossierEvent.objects.exists()
    assert not AgencyAlias.objects.exists()  # the old code's alias neither
    assert (tmp_path / "export-2019.rejects.csv").exists()  # to fix before the real run
    # and the real run then does what the dry run said
    assert "imported: 6, skipped: 1" in run(path)


def test_an_interrupted_run_is_resumed_by_running_it_again(
    tmp_path, monkeypatch, birth_registration, localised, commune_agency
):
    path = write(tmp_path / "export-2019.csv", EXPORT)
    write_batch = history._Importer.write
    calls = []

    def interrupted(self, batch):
        calls.append(len(batch))
        if len(calls) == 2:
            raise KeyboardInterrupt  # the operator's Ctrl-C, or the machine going down
        write_batch(self, batch)

    monkeypatch.setattr(history._Importer, "write", interrupted)
    with pytest.raises(KeyboardInterrupt):
        run(path, "--batch-size", "4")
    assert Dossier.objects.count() == 4  # the first batch committed, the second not at all
    assert DossierEvent.objects.filter(dossier__isnull=True).count() == 0
    monkeypatch.setattr(history._Importer, "write", write_batch)

    output = run(path, "--batch-size", "4")
    assert "imported: 2, skipped: 4 (already imported: 4, rejected: 0)" in output
    assert Dossier.objects.count() == 6
    for period in (quarter(2019, 1), quarter(2019, 2)):
        assert tally_reads.counts(period, Scope()) == naive.counts(period, Scope())


def test_bad_rows_go_to_a_rejects_file_that_imports_once_fixed(
    tmp_path, birth_registration, localised, commune_agency
):
    rows = [
        *EXPORT[:2],
        old_row(code="000.01.50.H42-190501-0001", receiving_agency="000.00.77.H42"),
        old_row(code="000.01.50.H42-190501-0002", received_at="32/05/2019"),
        old_row(code="000.01.50.H42-190501-0003", status="Hoàn tất?"),
    ]
    path = tmp_path / "export-2019.csv"
    output = run(write(path, rows))
    assert "imported: 2, skipped: 3 (already imported: 0, rejected: 3)" in output
    assert "line 4\t000.01.50.H42-190501-0001\tUnknown receiving agency code" in output
    assert "line 5\t" in output and "line 6\t" in output
    rejects = tmp_path / "export-2019.rejects.csv"
    with rejects.open(encoding="utf-8-sig", newline="") as handle:
        refused = list(csv.DictReader(handle))
    assert [r["code"] for r in refused] == [r["code"] for r in rows[2:]]
    assert list(refused[0]) == [*HEADER, "import_error"]
    assert refused[0]["import_error"].startswith("Unknown receiving agency code")
    assert refused[0]["ghi_chu"] == "hồ sơ giấy"

    refused[0]["receiving_agency"] = "000.01.50.H42"
    refused[1]["received_at"] = "12/03/2019 08:00"
    refused[2]["status"] = "Đã trả kết quả"
    write(rejects, refused, header=[*HEADER, "import_error"])
    output = run(str(rejects))
    assert "imported: 3, skipped: 0" in output and "import_error" not in output
    assert Dossier.objects.count() == 5
    assert not (tmp_path / "export-2019.rejects.rejects.csv").exists()


def test_json_lines_stream_and_reject_a_broken_line(tmp_path, localised, commune_agency):
    import json

    path = tmp_path / "export.jsonl"
    lines = [json.dumps(old_row(), ensure_ascii=False), "{not json", ""]
    path.write_text("\n".join(lines), encoding="utf-8")
    output = run(str(path))
    assert "imported: 1, skipped: 1" in output and "line 2\t" in output
    assert (tmp_path / "export.rejects.jsonl").read_text(encoding="utf-8") == "{not json\n"


def test_a_semicolon_separated_export_is_read(tmp_path, localised, commune_agency):
    path = tmp_path / "export.csv"
    with path.open("w", newline="", encoding="utf-8-sig") as handle:
        writer = csv.DictWriter(handle, fieldnames=HEADER, delimiter=";")
        writer.writeheader()
        writer.writerow(old_row())
    assert "imported: 1, skipped: 0" in run(str(path))


def test_a_bad_batch_size_is_refused(tmp_path, db):
    with pytest.raises(CommandError, match="batch-size"):
        run(write(tmp_path / "a.csv", []), "--batch-size", "0")
