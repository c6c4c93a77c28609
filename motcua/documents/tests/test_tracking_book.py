"""Mẫu 06: the tracking book as A4 landscape PDF and as Excel."""

import io
from datetime import date, datetime, timedelta

import pytest
import time_machine
from openpyxl import load_workbook

from motcua.documents.tracking_book import COLUMNS, tracking_book_pdf, tracking_book_xlsx
from motcua.dossiers.applicants import Applicant
from motcua.dossiers.intake import receive_dossier, refuse_at_reception
from motcua.dossiers.models import Dossier
from motcua.testing.spreadsheets import HOSTILE, assert_plain_text

from .conftest import VN
from .pdfs import A4_LANDSCAPE, page_sizes, reader, text

MARCH = (date(2026, 3, 1), date(2026, 3, 31))


def _receive(make_intake, officer, moment: datetime, name: str, **changes) -> Dossier:
    applicant = Applicant("citizen", name, "042090001234", "0912345678", address="Hà Tĩnh")
    with time_machine.travel(moment, tick=False):
        return receive_dossier(make_intake(applicant=applicant, **changes), actor=officer)


@pytest.fixture
def book(make_intake, officer, other_commune_agency):
    """Two dossiers in March, one the evening of 28 February (UTC: still February either
    way), one on 1 April at 00:30 local (31 March in UTC), one refused, one elsewhere."""
    first = _receive(make_intake, officer, datetime(2026, 3, 2, 8, 0, tzinfo=VN), "Lê Văn Một")
    second = _receive(
        make_intake, officer, datetime(2026, 3, 31, 16, 0, tzinfo=VN), "Phạm Thị Hai", sets=2
    )
    _receive(make_intake, officer, datetime(2026, 2, 28, 20, 0, tzinfo=VN), "Trước Kỳ")
    _receive(make_intake, officer, datetime(2026, 4, 1, 0, 30, tzinfo=VN), "Sau Kỳ")
    with time_machine.travel(datetime(2026, 3, 3, 9, 0, tzinfo=VN), tick=False):
        refuse_at_reception(make_intake(), actor=officer, reasons="Sai thẩm quyền")
    Dossier.objects.filter(pk=first.pk).update(
        finished_at=datetime(2026, 3, 3, 10, 0, tzinfo=VN),
        returned_at=datetime(2026, 3, 4, 9, 15, tzinfo=VN),
    )
    return first, second


def test_book_lists_the_agencys_dossiers_received_in_the_period(book, commune_agency):
    first, second = book
    pdf = tracking_book_pdf(commune_agency, *MARCH)

    assert page_sizes(pdf) == {A4_LANDSCAPE}
    content = text(pdf)
    assert "SỔ THEO DÕI HỒ SƠ" in content
    assert "Từ ngày 01/03/2026 đến ngày 31/03/2026" in content
    assert f"1 {first.code} Đăng ký khai sinh 1 Lê Văn Một" in content
    assert f"2 {second.code} Đăng ký khai sinh 2 Phạm Thị Hai" in content
    assert "08:00 02/03/2026" in content and "03/03/2026 04/03/2026" in content
    assert "Trước Kỳ" not in content and "Sau Kỳ" not in content
    assert "Sai thẩm quyền" not in content and content.count("H42.50.01-") == 2


def test_headings_repeat_on_every_page(make_intake, officer, commune_agency):
    start = datetime(2026, 3, 2, 7, 30, tzinfo=VN)
    for n in range(45):
        _receive(make_intake, officer, start + timedelta(minutes=7 * n), f"Người Thứ {n}")
    pages = reader(tracking_book_pdf(commune_agency, *MARCH)).pages
    assert len(pages) >= 2
    assert all("Tên cá nhân, tổ chức" in page.extract_text() for page in pages)


def test_an_empty_period_still_gives_a_book(commune_agency):
    pdf = tracking_book_pdf(commune_agency, *MARCH)
    assert "Không có hồ sơ trong thời gian này." in text(pdf)
    workbook = load_workbook(io.BytesIO(tracking_book_xlsx(commune_agency, *MARCH)))
    assert workbook.active.max_row == 3


def test_excel_book_has_a_bold_frozen_header_widths_and_real_dates(book, commune_agency):
    first, second = book
    sheet = load_workbook(io.BytesIO(tracking_book_xlsx(commune_agency, *MARCH))).active

    headings = [cell.value for cell in sheet[3]]
    assert headings == [heading for heading, _width, _format in COLUMNS]
    assert all(cell.font.b for cell in sheet[3])
    assert sheet.freeze_panes == "C4"
    assert sheet.column_dimensions["C"].width == 48
    assert sheet.page_setup.orientation == "landscape"
    rows = list(sheet.iter_rows(min_row=4, values_only=True))
    assert [row[:5] for row in rows] == [
        (1, first.code, "Đăng ký khai sinh", 1, "Lê Văn Một"),
        (2, second.code, "Đăng ký khai sinh", 2, "Phạm Thị Hai"),
    ]
    received = sheet.cell(row=4, column=8)
    assert received.value == datetime(2026, 3, 2, 8, 0)  # local wall-clock time
    assert received.number_format == "dd/mm/yyyy hh:mm" and received.is_date
    assert sheet.cell(row=4, column=11).value == datetime(2026, 3, 4, 9, 15)
    assert sheet.cell(row=5, column=10).value is None


def test_excel_book_writes_names_addresses_and_subjects_as_text_never_formulas(
    make_intake, officer, commune_agency
):
    """Issue 11: what citizens type is shown as typed, never run as a formula."""
    for number, hostile in enumerate(HOSTILE):
        applicant = Applicant("citizen", hostile, "042090001234", "+84912345678", address=hostile)
        moment = datetime(2026, 3, 2, 8, number, tzinfo=VN)
        with time_machine.travel(moment, tick=False):
            receive_dossier(make_intake(applicant=applicant, subject=hostile), actor=officer)
    stored = Dossier.objects.values_list("applicant_name", "applicant_address", "subject")
    texts = {text for row in stored for text in row}
    assert {"=1+1", "@SUM(1,1)", "＝1+1", "#N/A", "-1+1"} <= texts

    assert_plain_text(tracking_book_xlsx(commune_agency, *MARCH), texts)
