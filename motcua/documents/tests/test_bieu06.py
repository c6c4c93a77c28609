"""Biểu 06/VPCP/KSTT as Excel and PDF: the official layout, numbers in their columns, the
total row, the extra figures, the notes and signatures, in Vietnamese and in English."""

import io
import shutil
import subprocess
from datetime import date

import pytest
import time_machine
from django.utils import translation
from openpyxl import load_workbook

from motcua.documents.bieu06 import (
    bieu06_pdf,
    bieu06_xlsx,
    how_counted,
    period_line,
    period_name,
)
from motcua.reports import figures as f
from motcua.reports.report import Report, Row, build
from motcua.reports.scope import GroupBy, Period, Scope, quarter
from motcua.testing.spreadsheets import HOSTILE, assert_plain_text

from .pdfs import A4_LANDSCAPE, page_sizes, reader
from .pdfs import text as pypdf_text

AGENCY = "Sở Tư pháp tỉnh Hà Tĩnh"
Q1 = quarter(2026, 1)
TODAY = date(2026, 4, 3)


def _figures(carried, online, in_person, early, on_time, late, overdue, extra=0):
    """Complete figures from the base counts; everything received and not resolved is in
    progress."""
    base = {
        f.CARRIED_OVER: carried,
        f.RECEIVED_ONLINE: online,
        f.RECEIVED_IN_PERSON: in_person,
        f.EARLY: early,
        f.ON_TIME: on_time,
        f.LATE: late,
        f.IN_PROGRESS: carried + online + in_person - early - on_time - late,
        f.OVERDUE: overdue,
        **dict.fromkeys(f.EXTRA, extra),
    }
    return f.complete(base)


def _report(rows: list[Row], period: Period = Q1, group_by: str = GroupBy.FIELD) -> Report:
    total = {name: sum(row.figures[name] for row in rows) for name in f.ALL}
    label = translation.gettext("Total")
    return Report(period, Scope(), group_by, rows, Row(None, label, total))


def _two_fields() -> Report:
    """Made in the active language, like reports.report.build."""
    return _report(
        [
            Row(1, "Hộ tịch", _figures(3, 120, 1115, 40, 900, 12, 7, extra=2)),
            Row(2, "Chứng thực", _figures(0, 5, 20, 1, 10, 0, 0, extra=1)),
        ]
    )


def _xlsx(report: Report | None = None, language: str = "vi"):
    """The workbook of `report` (else `_two_fields()`) in `language` on TODAY."""
    with translation.override(language), time_machine.travel(TODAY):
        report = report or _two_fields()
        return load_workbook(io.BytesIO(bieu06_xlsx(report, title_agency=AGENCY)))


def _pdf(report: Report | None = None, language: str = "vi") -> bytes:
    with translation.override(language), time_machine.travel(TODAY):
        report = report or _two_fields()
        return bieu06_pdf(report, title_agency=AGENCY)


def _text(pdf: bytes) -> str:
    """The text row by row (pdftotext -layout when installed, else pypdf), white space
    squeezed."""
    if shutil.which("pdftotext") is None:
        return pypdf_text(pdf)
    done = subprocess.run(
        ["pdftotext", "-layout", "-enc", "UTF-8", "-", "-"],
        input=pdf,
        capture_output=True,
        check=True,
    )
    return " ".join(done.stdout.decode().split())


# Excel -------------------------------------------------------------------------------------

HEADINGS = {
    "A7": "STT",
    "B7": "Lĩnh vực, công việc giải quyết theo cấp",
    "C7": "Số hồ sơ nhận giải quyết",
    "G7": "Kết quả giải quyết",
    "C8": "Tổng số",
    "D8": "Trong đó",
    "G8": "Số hồ sơ đã giải quyết",
    "K8": "Số hồ sơ đang giải quyết",
    "D9": "Số mới tiếp nhận",
    "F9": "Số kỳ trước chuyển qua",
    "G9": "Tổng số",
    "H9": "Trả trước hạn",
    "I9": "Trả đúng thời hạn",
    "J9": "Trả quá hạn",
    "K9": "Tổng số",
    "L9": "Chưa đến hạn",
    "M9": "Quá hạn",
    "D10": "Trực tuyến",
    "E10": "Trực tiếp, dịch vụ bưu chính",
}
MERGED = {
    "A7:A10",
    "B7:B10",
    "C7:F7",
    "G7:M7",
    "C8:C10",
    "D8:F8",
    "G8:J8",
    "K8:M8",
    "D9:E9",
    "F9:F10",
    "G9:G10",
    "M9:M10",
}


def test_excel_form_has_the_official_top_header_groups_and_column_numbers():
    sheet = _xlsx()["Biểu 06"]

    assert sheet["A1"].value == "SỞ TƯ PHÁP TỈNH HÀ TĨNH"
    assert sheet["I1"].value == "Biểu số 06/VPCP/KSTT"
    assert sheet["I2"].value == "Ban hành kèm theo Thông tư số 01/2020/TT-VPCP"
    assert sheet["A4"].value == (
        "TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH\n"
        "TẠI CƠ QUAN, ĐƠN VỊ TRỰC TIẾP GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH"
    )
    assert sheet["A5"].value == (
        "Kỳ báo cáo: Quý I năm 2026 (Từ ngày 01/01/2026 đến ngày 31/03/2026)"
    )
    assert sheet["J6"].value == "Đơn vị tính: Số hồ sơ TTHC"
    assert {ref: sheet[ref].value for ref in HEADINGS} == HEADINGS
    assert {str(cells) for cells in sheet.merged_cells.ranges} >= MERGED
    assert [cell.value for cell in sheet[11]] == [f"({n})" for n in range(1, 14)]
    assert sheet["C7"].font.b and sheet["H9"].font.b and sheet["E10"].font.b


def test_excel_numbers_sit_in_their_columns_with_the_total_row_first():
    sheet = _xlsx()["Biểu 06"]
    total, civil, certification = ([cell.value for cell in sheet[row]] for row in (12, 13, 14))

    assert civil == [1, "Hộ tịch", 1238, 120, 1115, 3, 952, 40, 900, 12, 286, 279, 7]
    assert certification == [2, "Chứng thực", 25, 5, 20, 0, 11, 1, 10, 0, 14, 14, 0]
    assert total[:2] == [None, "Tổng số"] and sheet["B12"].font.b
    assert total[2:] == [a + b for a, b in zip(civil[2:], certification[2:], strict=True)]
    numbers = sheet["C13"]
    assert isinstance(numbers.value, int) and numbers.number_format == "#,##0"
    assert sheet.max_row > 14 and sheet["A15"].value is None  # nothing else in the table


def test_excel_prints_on_a4_landscape_with_the_header_on_every_page():
    sheet = _xlsx()["Biểu 06"]

    assert sheet.page_setup.orientation == "landscape"
    assert int(sheet.page_setup.paperSize) == int(sheet.PAPERSIZE_A4)
    assert sheet.page_setup.fitToWidth == 1 and sheet.page_setup.fitToHeight == 0
    assert sheet.print_title_rows == "$7:$11"
    assert sheet.freeze_panes == "C12"
    assert sheet.column_dimensions["B"].width == 42


def test_excel_notes_and_signature_blocks_follow_the_table():
    sheet = _xlsx()["Biểu 06"]
    texts = [cell.value for row in sheet.iter_rows(min_row=15) for cell in row if cell.value]

    assert "Cách tính số liệu" in texts
    assert any("Hồ sơ liên thông là một hồ sơ: được tính một lần" in t for t in texts)
    assert any("theo ngày hẹn trước khi xin lỗi" in t for t in texts)
    assert "……………, ngày 03 tháng 4 năm 2026" in texts
    assert {"NGƯỜI LẬP BIỂU", "THỦ TRƯỞNG ĐƠN VỊ", "(Ký, ghi rõ họ tên)"} <= set(texts)


def test_excel_second_sheet_has_the_other_figures_and_rates():
    sheet = _xlsx()["Các số liệu khác"]

    headings = [cell.value for cell in sheet[4]]
    assert headings[:2] == ["STT", "Lĩnh vực, công việc giải quyết theo cấp"]
    # received and returned by post first, beside the official columns
    assert headings[4] == "Chờ bổ sung" and len(headings) == 2 + len(f.EXTRA) + 2
    assert headings[-2:] == ["Tỷ lệ giải quyết đúng hạn (%)", "Tỷ lệ tiếp nhận trực tuyến (%)"]
    assert [cell.value for cell in sheet[5]] == [None, "Tổng số", *[3] * 8, 98.75, 9.92]
    assert [cell.value for cell in sheet[6]][:3] == [1, "Hộ tịch", 2]
    assert sheet["K6"].value == 98.74  # (40 + 900) / 952 resolved
    assert sheet["L6"].value == 9.72  # 120 / (120 + 1115) received this period


def test_excel_in_english_has_english_headings():
    workbook = _xlsx(language="en")
    sheet = workbook["Form 06"]

    assert sheet["I1"].value == "Form No. 06/VPCP/KSTT"
    assert (
        sheet["A5"].value == "Reporting period: Quarter I of 2026 (from 01/01/2026 to 31/03/2026)"
    )
    assert (sheet["A7"].value, sheet["C7"].value, sheet["I9"].value) == (
        "No.",
        "Dossiers to resolve",
        "Returned on time",
    )
    assert sheet["B12"].value == "Total" and sheet["C12"].value == 1263
    assert workbook.sheetnames == ["Form 06", "Other figures"]


# PDF ---------------------------------------------------------------------------------------


def test_pdf_is_the_form_on_a4_landscape_with_vietnamese_text():
    pdf = _pdf()
    content = _text(pdf)

    assert pdf.startswith(b"%PDF")
    assert page_sizes(pdf) == {A4_LANDSCAPE}
    assert "SỞ TƯ PHÁP TỈNH HÀ TĨNH" in content and "Biểu số 06/VPCP/KSTT" in content
    assert "TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH" in content
    assert "TẠI CƠ QUAN, ĐƠN VỊ TRỰC TIẾP GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH" in content
    assert "Kỳ báo cáo: Quý I năm 2026 (Từ ngày 01/01/2026 đến ngày 31/03/2026)" in content
    assert "Đơn vị tính: Số hồ sơ TTHC" in content
    assert "(1) (2) (3) (4) (5) (6) (7) (8) (9) (10) (11) (12) (13)" in content
    assert "Tổng số 1.263 125 1.135 3 963 41 910 12 300 293 7" in content
    assert "1 Hộ tịch 1.238 120 1.115 3 952 40 900 12 286 279 7" in content
    assert "2 Chứng thực 25 5 20 0 11 1 10 0 14 14 0" in content
    assert "Tổng số 3 3 3 3 3 3 3 3 98,75 9,92" in content
    headings = pypdf_text(pdf)  # in reading order: headings wrap over several lines
    assert "Chờ bổ sung" in headings and "Trả đúng thời hạn" in headings
    assert "NGƯỜI LẬP BIỂU" in content and "THỦ TRƯỞNG ĐƠN VỊ" in content
    assert "ngày 03 tháng 4 năm 2026" in content


def test_pdf_in_english():
    pdf = _pdf(language="en")
    content = _text(pdf)

    assert "STATUS AND RESULTS OF RESOLVING ADMINISTRATIVE PROCEDURES" in content
    assert "Form No. 06/VPCP/KSTT" in content and "Returned on time" in pypdf_text(pdf)
    assert "Total 1,263 125 1,135 3 963" in content
    assert "PREPARED BY" in content and "3 April 2026" in content


def test_pdf_headings_repeat_on_every_page():
    rows = [Row(n, f"Lĩnh vực thứ {n}", _figures(1, 2, 3, 1, 1, 1, 1)) for n in range(1, 61)]
    pages = reader(_pdf(_report(rows))).pages

    assert len(pages) >= 3
    assert all("Lĩnh vực, công việc giải quyết theo cấp" in p.extract_text() for p in pages)
    assert "Số hồ sơ nhận giải quyết" in pages[1].extract_text()


# From the dossiers ---------------------------------------------------------------------------


def test_a_report_built_from_dossiers_names_the_place_of_its_agency(received, commune_agency):
    report = build(Q1, Scope(frozenset({commune_agency.pk})), GroupBy.FIELD)
    sheet = _xlsx(report)["Biểu 06"]

    row = [cell.value for cell in sheet[13]]
    assert row == [1, "Hộ tịch", 1, 0, 1, 0, 0, 0, 0, 0, 1, 0, 1]
    texts = [cell.value for r in sheet.iter_rows(min_row=15) for cell in r if cell.value]
    assert "Thành Sen, ngày 03 tháng 4 năm 2026" in texts
    assert "Thành Sen, ngày 03 tháng 4 năm 2026" in _text(_pdf(report))


# Words -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("first", "last", "name"),
    [
        (date(2026, 1, 1), date(2026, 3, 31), "Quý I năm 2026"),
        (date(2026, 10, 1), date(2026, 12, 31), "Quý IV năm 2026"),
        (date(2026, 3, 1), date(2026, 3, 31), "Tháng 3 năm 2026"),
        (date(2026, 1, 1), date(2026, 6, 30), "6 tháng đầu năm 2026"),
        (date(2026, 1, 1), date(2026, 9, 30), "9 tháng năm 2026"),
        (date(2026, 1, 1), date(2026, 12, 31), "Năm 2026"),
        (date(2026, 2, 1), date(2026, 4, 30), ""),  # three months, not a quarter
        (date(2026, 3, 2), date(2026, 3, 31), ""),
        (date(2025, 12, 1), date(2026, 1, 31), ""),
    ],
)
def test_period_names(first, last, name):
    with translation.override("vi"):
        assert period_name(Period(first, last)) == name


def test_an_unnamed_period_shows_its_days():
    with translation.override("vi"):
        assert (
            period_line(Period(date(2026, 3, 2), date(2026, 3, 15)))
            == "Kỳ báo cáo: Từ ngày 02/03/2026 đến ngày 15/03/2026"
        )


def test_the_notes_follow_the_apology_setting_and_the_grouping(settings):
    with translation.override("en"):
        by_month = _report([], group_by=GroupBy.MONTH)
        assert any("before the apology" in note for note in how_counted(by_month))
        assert any("not the sum of the months" in note for note in how_counted(by_month))
        settings.MOTCUA_APOLOGY_EXTENDS_DEADLINE = True
        notes = how_counted(_report([]))
    assert any("new appointment given with an apology" in note for note in notes)
    assert not any("sum of the months" in note for note in notes)


def test_excel_writes_the_row_labels_and_agency_as_text_never_formulas():
    """Issue 11: names typed by administrators (fields, procedures, units) stay text."""
    rows = [Row(n, text, _figures(0, 1, 1, 0, 1, 0, 0)) for n, text in enumerate(HOSTILE, 1)]
    with translation.override("vi"), time_machine.travel(TODAY):
        data = bieu06_xlsx(_report(rows), title_agency="=1+1")

    assert_plain_text(data, HOSTILE)
    labels = [cell.value for (cell,) in load_workbook(io.BytesIO(data))["Biểu 06"]["B13:B22"]]
    assert labels == list(HOSTILE)
