"""Biểu số 06/VPCP/KSTT (Circular 01/2020/TT-VPCP; domain.md §8), "Tình hình, kết quả giải
quyết TTHC tại cơ quan, đơn vị trực tiếp giải quyết TTHC", as Excel and as A4 landscape PDF
laid out like the official form: reporting unit and form number, title, period, a four-row
header of merged groups over the numbered columns (1)...(13), the total row first, then the
extra figures, how the figures are counted, and the signature blocks.

Nothing is counted here: the figures are those of `motcua.reports.report.build`. Every
string is in the active language (Vietnamese by default, English beside it).
"""

import io
import math
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.conf import settings
from django.utils import timezone, translation
from django.utils.formats import date_format, get_format
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from motcua.dossiers.timeleft import OnTimeRule, on_time_rule
from motcua.organisations.models import Agency
from motcua.reports import figures as f
from motcua.reports.report import Report, Row
from motcua.reports.scope import GroupBy, Period, month_end
from motcua.spreadsheets import put_value

from . import dates
from .forms import place_name
from .rendering import render_pdf

# The official table's figure columns, (3) to (13); (1) is STT and (2) the row label.
FIGURES = f.BIEU_06
RATES = ("on_time_rate", "online_share")
ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}
WIDTH = 2 + len(FIGURES)
TAGGED_ROWS = 200


rates = f.rates  # the domain rule (reports/figures.py), kept importable here


def rate_labels() -> dict[str, str]:
    return {"on_time_rate": _("On-time rate (%)"), "online_share": _("Online share (%)")}


@dataclass(frozen=True)
class HeadCell:
    """One cell of the header, in rows 0-3 and columns 0-12 of the table."""

    row: int
    column: int
    rowspan: int
    colspan: int
    text: str


def head_cells() -> list[HeadCell]:
    """The official header: groups over sub-groups over the 13 columns."""
    total = _("Total")
    return [
        HeadCell(0, 0, 4, 1, _("No.")),
        HeadCell(0, 1, 4, 1, _("Field, work resolved, by level")),
        HeadCell(0, 2, 1, 4, _("Dossiers to resolve")),
        HeadCell(0, 6, 1, 7, _("Resolution results")),
        HeadCell(1, 2, 3, 1, total),
        HeadCell(1, 3, 1, 3, _("Of which")),
        HeadCell(1, 6, 1, 4, _("Dossiers resolved")),
        HeadCell(1, 10, 1, 3, _("Dossiers in progress")),
        HeadCell(2, 3, 1, 2, _("Number newly received")),
        HeadCell(2, 5, 2, 1, _("From the previous period")),
        HeadCell(2, 6, 2, 1, total),
        HeadCell(2, 7, 2, 1, _("Returned early")),
        HeadCell(2, 8, 2, 1, _("Returned on time")),
        HeadCell(2, 9, 2, 1, _("Returned late")),
        HeadCell(2, 10, 2, 1, total),
        HeadCell(2, 11, 2, 1, _("Not yet due")),
        HeadCell(2, 12, 2, 1, _("Overdue")),
        HeadCell(3, 3, 1, 1, _("Online")),
        HeadCell(3, 4, 1, 1, _("In person, by post")),
    ]


HEAD_ROWS = 4


def column_numbers() -> list[str]:
    return [f"({n})" for n in range(1, WIDTH + 1)]


def period_name(period: Period) -> str:
    """ "Quý I năm 2026", "Tháng 3 năm 2026", "6 tháng đầu năm 2026"...; "" for other spans."""
    first, last = period.first, period.last
    whole_months = first.day == 1 and last == month_end(last) and first.year == last.year
    if not whole_months:
        return ""
    months, year = last.month - first.month + 1, first.year
    if months == 1:
        return _("Month %(month)s of %(year)s") % {"month": first.month, "year": year}
    if months == 3 and first.month % 3 == 1:
        return _("Quarter %(roman)s of %(year)s") % {
            "roman": ROMAN[first.month // 3 + 1],
            "year": year,
        }
    names = {
        6: _("First 6 months of %(year)s"),
        9: _("First 9 months of %(year)s"),
        12: _("Year %(year)s"),
    }
    return names[months] % {"year": year} if first.month == 1 and months in names else ""


def period_line(period: Period) -> str:
    bounds = {"first": dates.short_date(period.first), "last": dates.short_date(period.last)}
    name = period_name(period)
    if name:
        return _("Reporting period: %(name)s (from %(first)s to %(last)s)") % {
            "name": name,
            **bounds,
        }
    return _("Reporting period: from %(first)s to %(last)s") % bounds


def how_counted(report: Report | None = None) -> list[str]:
    """The counting rules of figures.py, as paragraphs for readers of the form."""
    if settings.MOTCUA_APOLOGY_EXTENDS_DEADLINE:
        appointment = _(
            "The appointment judged is the current one, including a new appointment "
            "given with an apology."
        )
    else:
        appointment = _(
            "The appointment judged is the current one; after an apology, the appointment "
            "before the apology: an apology does not make a late dossier on time."
        )
    if on_time_rule() == OnTimeRule.HOUR:
        resolved = _(
            "Resolved: ended within the period; early if it ended on a day before the "
            "appointment, late if it ended after the appointment, otherwise on time. Refusals "
            "after appraisal, withdrawals and stops count as resolved on time."
        )
    else:
        resolved = _(
            "Resolved: ended within the period; early if it ended on a day before the "
            "appointment's, on time on the appointment's day whatever the hour, late on a "
            "later day. Refusals after appraisal, withdrawals and stops count as resolved on "
            "time."
        )
    notes = [
        _("Column (3) = (4) + (5) + (6) = (7) + (11); (7) = (8) + (9) + (10); (11) = (12) + (13)."),
        _(
            "A dossier counts once it is received: online submissions not yet received are "
            "not counted, and dossiers refused at reception are counted only as not received. "
            "An inter-agency dossier is one dossier: it is counted once, for the agency that "
            "received it or the agency that resolves it."
        ),
        _(
            "Days are local days. Carried over: received before the first day of the period "
            "and not ended before it. Newly received: received within the period, online or "
            "in person and by post."
        ),
        resolved,
        _(
            "In progress: received by the last day of the period and not ended by it; overdue "
            "if the appointment day is before the last day, otherwise not yet due."
        ),
        appointment,
        _(
            "Waiting for a supplement: a supplement requested after receipt and neither "
            "answered nor ended by the last day. Withdrawn, stopped, refused, not received, "
            "apologised and returned by post are counted on the day they happened."
        ),
    ]
    if report is not None and report.group_by == GroupBy.MONTH:
        notes.append(
            _(
                "By month, the carried-over and in-progress figures of the total row are "
                "those of the whole period, not the sum of the months."
            )
        )
    return notes


def _place(report: Report) -> str:
    """The place of the one agency reported on, else dots to be filled in by hand."""
    ids = report.scope.agency_ids
    if ids is not None and len(ids) == 1:
        agency = Agency.objects.select_related("unit").filter(pk=next(iter(ids))).first()
        if agency is not None and place_name(agency):
            return place_name(agency)
    return "……………"


def language() -> str:
    """The active language without region ("en" for en-us), as Typst wants it."""
    return (translation.get_language() or settings.LANGUAGE_CODE).split("-")[0]


def place_date(report: Report, today: date) -> str:
    day = dates.long_date(today) if language() == "vi" else date_format(today, "j F Y")
    return f"{_place(report)}, {day}"


def numbered_rows(report: Report) -> list[tuple[str, Row]]:
    """("", total) first, then ("1", first group)..."""
    assert report.total is not None
    rows = [("", report.total)]
    rows += [(str(number), row) for number, row in enumerate(report.rows, start=1)]
    return rows


def signers() -> list[dict[str, str]]:
    return [
        {"role": _("PREPARED BY"), "note": _("(Signature and full name)")},
        {"role": _("HEAD OF UNIT"), "note": _("(Signature, seal and full name)")},
    ]


def texts(report: Report, title_agency: str) -> dict[str, Any]:
    """The words around the tables, in the active language."""
    return {
        "agency": title_agency.upper(),
        "form_no": _("Form No. 06/VPCP/KSTT"),
        "circular": _("Issued with Circular No. 01/2020/TT-VPCP"),
        # Two lines, broken where the official form breaks them.
        "title": [
            _("STATUS AND RESULTS OF RESOLVING ADMINISTRATIVE PROCEDURES"),
            _("AT THE AGENCIES AND UNITS THAT RESOLVE THEM DIRECTLY"),
        ],
        "period": period_line(report.period),
        "unit": _("Unit: administrative procedure dossiers"),
        "extra_title": _("Other figures"),
        "notes_title": _("How the figures are counted"),
        "notes": how_counted(report),
        "place_date": place_date(report, timezone.localdate()),
        "signers": signers(),
    }


def extra_headings() -> list[str]:
    labels = rate_labels()
    return [
        _("No."),
        _("Field, work resolved, by level"),
        *(str(f.LABELS[name]) for name in f.EXTRA),
        *(labels[name] for name in RATES),
    ]


# PDF ---------------------------------------------------------------------------------------


def _number(value: int) -> str:
    return f"{value:,}".replace(",", get_format("THOUSAND_SEPARATOR"))


def _percent(value: float | None) -> str:
    if value is None:
        return ""
    return f"{value:.2f}".replace(".", get_format("DECIMAL_SEPARATOR"))


def _pdf_rows(report: Report) -> tuple[list[dict], list[dict]]:
    main, extra = [], []
    for number, row in numbered_rows(report):
        bold = row is report.total
        main.append(
            {"bold": bold, "cells": [number, row.label, *map(_number, _values(row, FIGURES))]}
        )
        share = rates(row.figures)
        cells = [number, row.label, *map(_number, _values(row, f.EXTRA))]
        extra.append({"bold": bold, "cells": cells + [_percent(share[r]) for r in RATES]})
    return main, extra


def _values(row: Row, names: list[str]) -> list[int]:
    return [row.figures[name] for name in names]


def pdf_context(report: Report, title_agency: str) -> dict[str, Any]:
    main, extra = _pdf_rows(report)
    return {
        **texts(report, title_agency),
        "lang": language(),
        "head": [vars(cell) for cell in head_cells()],
        "numbers": column_numbers(),
        "rows": main,
        "extra_head": extra_headings(),
        "extra_rows": extra,
    }


def bieu06_pdf(report: Report, *, title_agency: str) -> bytes:
    """The form on A4 landscape, the header and column numbers repeated on every page.
    Tagged for screen readers unless the rows are many (one per procedure of a province:
    the tags would make the file several times larger, rendering.render_pdf)."""
    tagged = len(report.rows) <= TAGGED_ROWS
    return render_pdf("bieu06", pdf_context(report, title_agency), tagged=tagged)


# Excel -------------------------------------------------------------------------------------

FONT = "Times New Roman"
THIN = Side(style="thin")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
CENTRE = Alignment(horizontal="center", vertical="center", wrap_text=True)
LEFT = Alignment(horizontal="left", vertical="center", wrap_text=True)
NUMBER = Alignment(horizontal="right", vertical="center")
NUMBER_FORMAT = "#,##0"
RATE_FORMAT = "0.00"
HEAD_TOP = 7  # first header row on the form sheet
WIDTHS = [6, 42] + [11] * len(FIGURES)
# Characters of 10-point text on one line across the table, and of 11-point text in column B,
# to give wrapped cells their height (Excel and LibreOffice do not grow merged rows).
LINE_CHARS = sum(WIDTHS) * 1.3
LABEL_CHARS = WIDTHS[1] * 1.1


def _font(**changes) -> Font:
    return Font(name=FONT, size=changes.pop("size", 11), **changes)


def _put(
    sheet: Worksheet,
    row: int,
    column: int,
    value: Any,
    *,
    to_column: int | None = None,
    font: Font | None = None,
    align: Alignment = CENTRE,
):
    """Write `value` at (row, column), merged across to `to_column` if given; a text stays
    text (row labels are names typed by administrators)."""
    cell = put_value(sheet.cell(row=row, column=column), value)
    cell.font = font or _font()
    cell.alignment = align
    if to_column and to_column > column:
        sheet.merge_cells(start_row=row, start_column=column, end_row=row, end_column=to_column)
    return cell


def _top(sheet: Worksheet, words: dict[str, Any]) -> None:
    """Reporting unit (left), form number and circular (right), title, period, unit."""
    _put(sheet, 1, 1, words["agency"], to_column=4, font=_font(bold=True))
    _put(sheet, 1, 9, words["form_no"], to_column=WIDTH, font=_font(bold=True))
    _put(sheet, 2, 9, words["circular"], to_column=WIDTH, font=_font(italic=True, size=10))
    _put(sheet, 4, 1, "\n".join(words["title"]), to_column=WIDTH, font=_font(bold=True, size=13))
    _put(sheet, 5, 1, words["period"], to_column=WIDTH, font=_font(italic=True))
    unit = Alignment(horizontal="right", vertical="center")
    _put(sheet, 6, 10, words["unit"], to_column=WIDTH, font=_font(italic=True), align=unit)
    sheet.row_dimensions[1].height = 30
    sheet.row_dimensions[4].height = 36


def _boxed(sheet: Worksheet, first_row: int, last_row: int, last_column: int) -> None:
    for row in sheet.iter_rows(min_row=first_row, max_row=last_row, min_col=1, max_col=last_column):
        for cell in row:
            cell.border = BOX


def _header(sheet: Worksheet) -> int:
    """The merged header and the column numbers; returns the first data row."""
    bold = _font(bold=True, size=10)
    for head in head_cells():
        row, column = HEAD_TOP + head.row, head.column + 1
        _put(sheet, row, column, head.text, font=bold)
        if head.rowspan > 1 or head.colspan > 1:
            sheet.merge_cells(
                start_row=row,
                start_column=column,
                end_row=row + head.rowspan - 1,
                end_column=column + head.colspan - 1,
            )
    numbers_row = HEAD_TOP + HEAD_ROWS
    for column, number in enumerate(column_numbers(), start=1):
        _put(sheet, numbers_row, column, number, font=_font(italic=True, size=10))
    for offset, height in enumerate((20, 20, 22, 46)):
        sheet.row_dimensions[HEAD_TOP + offset].height = height
    return numbers_row + 1


def _lines(text: str, width: float) -> int:
    return max(1, math.ceil(len(text) / width))


def _data_row(sheet, at: int, number: str, row: Row, names, bold: bool) -> None:
    font = _font(bold=bold)
    _put(sheet, at, 1, int(number) if number else None, font=font)
    _put(sheet, at, 2, row.label, font=font, align=LEFT)
    if _lines(row.label, LABEL_CHARS) > 1:
        sheet.row_dimensions[at].height = 15 * _lines(row.label, LABEL_CHARS)
    for column, value in enumerate(_values(row, names), start=3):
        cell = _put(sheet, at, column, value, font=font, align=NUMBER)
        cell.number_format = NUMBER_FORMAT


def _notes(sheet: Worksheet, at: int, words: dict[str, Any]) -> int:
    _put(sheet, at, 1, words["notes_title"], to_column=WIDTH, font=_font(bold=True), align=LEFT)
    for note in words["notes"]:
        at += 1
        _put(sheet, at, 1, note, to_column=WIDTH, font=_font(size=10), align=LEFT)
        sheet.row_dimensions[at].height = 14 * _lines(note, LINE_CHARS)
    return at + 1


def _signatures(sheet: Worksheet, at: int, words: dict[str, Any]) -> None:
    _put(sheet, at, 9, words["place_date"], to_column=WIDTH, font=_font(italic=True))
    left, right = words["signers"]
    for first, last, signer in ((1, 2, left), (9, WIDTH, right)):
        _put(sheet, at + 1, first, signer["role"], to_column=last, font=_font(bold=True))
        _put(sheet, at + 2, first, signer["note"], to_column=last, font=_font(italic=True))


def _print_setup(sheet: Worksheet, title_rows: str, widths: list[float]) -> None:
    """A4 landscape, one page wide, the header rows repeated on every page."""
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.print_title_rows = title_rows
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = Worksheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.page_margins.left = sheet.page_margins.right = 0.4
    sheet.page_margins.top = sheet.page_margins.bottom = 0.5
    sheet.print_options.horizontalCentered = True


def _form_sheet(sheet: Worksheet, report: Report, words: dict[str, Any]) -> None:
    _top(sheet, words)
    first = _header(sheet)
    at = first
    for number, row in numbered_rows(report):
        _data_row(sheet, at, number, row, FIGURES, bold=row is report.total)
        at += 1
    _boxed(sheet, HEAD_TOP, at - 1, WIDTH)
    after = _notes(sheet, at + 1, words)
    _signatures(sheet, after + 1, words)
    last_head = HEAD_TOP + HEAD_ROWS
    _print_setup(sheet, f"{HEAD_TOP}:{last_head}", WIDTHS)
    sheet.freeze_panes = f"C{first}"


def _extra_sheet(sheet: Worksheet, report: Report, words: dict[str, Any]) -> None:
    """The figures beside the form: one row per group, same order, and the two rates."""
    headings = extra_headings()
    last = len(headings)
    _put(sheet, 1, 1, words["extra_title"], to_column=last, font=_font(bold=True, size=13))
    _put(sheet, 2, 1, words["period"], to_column=last, font=_font(italic=True))
    for column, heading in enumerate(headings, start=1):
        _put(sheet, 4, column, heading, font=_font(bold=True, size=10))
    sheet.row_dimensions[4].height = 48
    at = 5
    for number, row in numbered_rows(report):
        _data_row(sheet, at, number, row, f.EXTRA, bold=row is report.total)
        share = rates(row.figures)
        for offset, name in enumerate(RATES):
            cell = _put(sheet, at, 3 + len(f.EXTRA) + offset, share[name])
            cell.number_format, cell.alignment = RATE_FORMAT, NUMBER
            cell.font = _font(bold=row is report.total)
        at += 1
    _boxed(sheet, 4, at - 1, last)
    _print_setup(sheet, "4:4", [6, 42] + [12] * (last - 2))
    sheet.freeze_panes = "C5"


def bieu06_xlsx(report: Report, *, title_agency: str) -> bytes:
    """The form as a workbook: the official table with its notes and signatures on the
    first sheet, the other figures and rates on the second; numbers as numbers."""
    words = texts(report, title_agency)
    workbook = Workbook()
    form = workbook.active
    form.title = _("Form 06")
    _form_sheet(form, report, words)
    _extra_sheet(workbook.create_sheet(_("Other figures")), report, words)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
