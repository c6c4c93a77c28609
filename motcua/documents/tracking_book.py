"""Mẫu 06: Sổ theo dõi hồ sơ (Circular 01/2018 art. 9, A4 landscape), as PDF and as Excel.

One line per dossier received by the agency between two local dates (inclusive), in order of
receipt. The official columns are not known (domain.md §4, [U]); these follow real systems:
No. | code | subject | sets | owner | address | phone | received | appointment | result
ready | returned | signature at return | notes.

Thousands of lines must stay fast: rows are read with one values() query and handed to Typst
as one JSON document of arrays (no Typst source is generated per row).
"""

import io
from collections.abc import Iterator
from datetime import date, datetime, time, timedelta
from typing import Any

from django.utils import timezone, translation
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from motcua.dossiers.models import Dossier
from motcua.dossiers.status import Status
from motcua.organisations.models import Agency
from motcua.spreadsheets import put_value, write_only_cells

from . import dates
from .forms import header
from .rendering import render_pdf

FIELDS = (
    "code",
    "subject",
    "sets",
    "applicant_name",
    "applicant_address",
    "applicant_phone",
    "received_at",
    "due_at",
    "finished_at",
    "returned_at",
    "status",
    "apology__new_due_at",
)
NOTED_STATUSES = {Status.SUPPLEMENT, Status.FINANCIAL, Status.WITHDRAWN, Status.STOPPED}
# (heading, Excel width in characters, Excel number format for dates)
COLUMNS = (
    ("STT", 6, None),
    ("Mã hồ sơ", 24, None),
    ("Tên thủ tục hành chính, nội dung", 48, None),
    ("Số lượng hồ sơ (bộ)", 9, None),
    ("Tên cá nhân, tổ chức", 26, None),
    ("Địa chỉ", 34, None),
    ("Số điện thoại", 14, None),
    ("Nhận hồ sơ", 17, "dd/mm/yyyy hh:mm"),
    ("Hẹn trả kết quả", 17, "dd/mm/yyyy hh:mm"),
    ("Có kết quả", 12, "dd/mm/yyyy"),
    ("Trả kết quả", 12, "dd/mm/yyyy"),
    ("Ký nhận", 14, None),
    ("Ghi chú", 24, None),
)
DATE_COLUMNS = range(7, 11)


def _bounds(date_from: date, date_to: date) -> tuple[datetime, datetime]:
    """Local midnight of `date_from` to local midnight after `date_to`, as aware moments."""
    zone = timezone.get_current_timezone()
    start = datetime.combine(date_from, time.min, tzinfo=zone)
    end = datetime.combine(date_to + timedelta(days=1), time.min, tzinfo=zone)
    return start, end


def entries(agency: Agency, date_from: date, date_to: date) -> Iterator[dict[str, Any]]:
    """The book's dossiers as dicts of FIELDS, in order of receipt."""
    start, end = _bounds(date_from, date_to)
    rows = Dossier.objects.filter(
        receiving_agency=agency, received_at__gte=start, received_at__lt=end
    ).order_by("received_at", "id")
    return rows.values(*FIELDS).iterator(chunk_size=2000)


def _note(entry: dict[str, Any]) -> str:
    notes = []
    if entry["apology__new_due_at"] is not None:
        notes.append(f"Xin lỗi, hẹn lại {dates.short_date(entry['apology__new_due_at'])}")
    if entry["status"] in NOTED_STATUSES:
        notes.append(str(Status(entry["status"]).label))
    return "; ".join(notes)


def _text_row(number: int, entry: dict[str, Any]) -> list[str]:
    return [
        str(number),
        entry["code"],
        entry["subject"],
        str(entry["sets"]),
        entry["applicant_name"],
        entry["applicant_address"],
        entry["applicant_phone"],
        dates.short_moment(entry["received_at"]),
        dates.short_moment(entry["due_at"]),
        dates.short_date(entry["finished_at"]),
        dates.short_date(entry["returned_at"]),
        "",
        _note(entry),
    ]


def _period(date_from: date, date_to: date) -> str:
    return f"Từ ngày {dates.short_date(date_from)} đến ngày {dates.short_date(date_to)}"


def book_context(agency: Agency, date_from: date, date_to: date) -> dict[str, Any]:
    rows = [
        _text_row(number, entry)
        for number, entry in enumerate(entries(agency, date_from, date_to), start=1)
    ]
    return {
        "header": header(agency, timezone.now()),
        "period": _period(date_from, date_to),
        "rows": rows,
    }


def tracking_book_pdf(agency: Agency, date_from: date, date_to: date) -> bytes:
    """The book for the agency's dossiers received from `date_from` to `date_to` (local
    dates, inclusive), A4 landscape, the column headings repeated on every page."""
    with translation.override("vi"):
        context = book_context(agency, date_from, date_to)
    return render_pdf("tracking_book", context, tagged=False)


def _cell_row(number: int, entry: dict[str, Any]) -> list[Any]:
    return [
        number,
        entry["code"],
        entry["subject"],
        entry["sets"],
        entry["applicant_name"],
        entry["applicant_address"],
        entry["applicant_phone"],
        dates.local_naive(entry["received_at"]),
        dates.local_naive(entry["due_at"]),
        dates.local_naive(entry["finished_at"]),
        dates.local_naive(entry["returned_at"]),
        None,
        _note(entry),
    ]


def _date_cells(sheet, values: list[Any]) -> list[Any]:
    """Dates as real Excel dates with a Vietnamese day-first format; texts as plain text,
    never formulas (names and addresses are typed by citizens)."""
    cells = write_only_cells(sheet, values)
    for index in DATE_COLUMNS:
        if cells[index] is not None:
            cell = WriteOnlyCell(sheet, value=cells[index])
            cell.number_format = COLUMNS[index][2]
            cells[index] = cell
    return cells


def _title_rows(sheet, agency: Agency, date_from: date, date_to: date) -> None:
    bold = Font(bold=True, size=13)
    title = put_value(WriteOnlyCell(sheet), f"SỔ THEO DÕI HỒ SƠ - {agency.name.upper()}")
    title.font = bold
    sheet.append([title])
    sheet.append(write_only_cells(sheet, [_period(date_from, date_to)]))
    headings = []
    for heading, _width, _format in COLUMNS:
        cell = WriteOnlyCell(sheet, value=heading)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
        headings.append(cell)
    sheet.append(headings)


def _layout(sheet) -> None:
    """Column widths, frozen headings, and printing on A4 landscape, one page wide."""
    for index, (_heading, width, _format) in enumerate(COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    # Room above capitals for stacked Vietnamese marks (Ổ, Ễ) in the title and headings.
    sheet.row_dimensions[1].height = 24
    sheet.row_dimensions[3].height = 32
    sheet.freeze_panes = "C4"
    sheet.print_title_rows = "3:3"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = Worksheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True


def tracking_book_xlsx(agency: Agency, date_from: date, date_to: date) -> bytes:
    """The same book as an Excel workbook: bold frozen header row, set column widths, dates
    as Excel dates in local time."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("So theo doi ho so")
    _layout(sheet)
    with translation.override("vi"):
        _title_rows(sheet, agency, date_from, date_to)
        for number, entry in enumerate(entries(agency, date_from, date_to), start=1):
            sheet.append(_date_cells(sheet, _cell_row(number, entry)))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
