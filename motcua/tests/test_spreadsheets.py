"""Texts in Excel cells stay text (issue 11: formula injection): written through
motcua.spreadsheets, a hostile text is neither a formula nor an error, reads back unchanged,
and LibreOffice shows it as typed."""

import io
from datetime import datetime

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell

from motcua.spreadsheets import is_formula_like, put_value, write_only_cells
from motcua.testing.spreadsheets import (
    HOSTILE,
    assert_plain_text,
    has_libreoffice,
    libreoffice_csv,
)

PLAIN = ("Nguyễn Văn An", "Số 12 Hà Huy Tập", "0912345678", "a=b", " =1+1", "#N/A là gì")


def _workbook(values, *, write_only: bool) -> Workbook:
    """One value per row in column A; a deliberate formula last, in column A too."""
    workbook = Workbook(write_only=write_only)
    if write_only:
        sheet = workbook.create_sheet("Sheet")
        for value in values:
            sheet.append(write_only_cells(sheet, [value]))
        sheet.append(["=2+3"])
        return workbook
    sheet = workbook.active
    for row, value in enumerate(values, start=1):
        put_value(sheet.cell(row=row, column=1), value)
    sheet.cell(row=len(values) + 1, column=1, value="=2+3")
    return workbook


def _saved(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize("text", HOSTILE)
def test_formula_like_texts_are_recognised(text):
    assert is_formula_like(text)


@pytest.mark.parametrize("text", PLAIN)
def test_ordinary_texts_are_not_flagged(text):
    assert not is_formula_like(text)


@pytest.mark.parametrize("write_only", [False, True])
def test_hostile_texts_are_written_as_unchanged_text(write_only):
    data = _saved(_workbook([*HOSTILE, *PLAIN], write_only=write_only))

    sheet = load_workbook(io.BytesIO(data)).active
    column = [cell for (cell,) in sheet.iter_rows(max_col=1)]
    assert [cell.value for cell in column[:-1]] == [*HOSTILE, *PLAIN]
    assert [cell.data_type for cell in column[:-1]] == ["s"] * (len(HOSTILE) + len(PLAIN))
    assert [cell.quotePrefix for cell in column] == [True] * len(HOSTILE) + [False] * (
        len(PLAIN) + 1
    )
    # The check is not vacuous: a formula written on purpose is still a formula.
    assert column[-1].data_type == "f" and column[-1].value == "=2+3"


def test_the_shared_check_finds_every_hostile_text():
    data = _saved(_workbook(HOSTILE, write_only=False))
    with pytest.raises(AssertionError):
        assert_plain_text(data, HOSTILE)  # the deliberate formula is found
    workbook = load_workbook(io.BytesIO(data))
    workbook.active.delete_rows(len(HOSTILE) + 1)
    assert_plain_text(_saved(workbook), HOSTILE)


def test_numbers_dates_and_none_are_stored_as_they_are():
    sheet = Workbook().active
    moment = datetime(2026, 3, 2, 8, 0)
    for column, value in enumerate([-5, 1.5, moment, None], start=1):
        put_value(sheet.cell(row=1, column=column), value)
    assert [cell.value for cell in sheet[1]] == [-5, 1.5, moment, None]
    assert [cell.data_type for cell in sheet[1]] == ["n", "n", "d", "n"]


def test_characters_xml_cannot_hold_are_dropped_instead_of_failing_the_workbook():
    sheet = Workbook().active
    cell = put_value(sheet.cell(row=1, column=1), "Lê\x01 Văn\x1b Một")
    assert cell.value == "Lê Văn Một"


def test_a_styled_write_only_cell_keeps_its_style():
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Sheet")
    cell = put_value(WriteOnlyCell(sheet), "=1+1")
    cell.number_format = "@"
    sheet.append([cell])
    reread = load_workbook(io.BytesIO(_saved(workbook))).active["A1"]
    assert (reread.value, reread.data_type, reread.quotePrefix) == ("=1+1", "s", True)
    assert reread.number_format == "@"


@pytest.mark.skipif(not has_libreoffice(), reason="LibreOffice (soffice) is not installed")
@pytest.mark.parametrize("write_only", [False, True])
def test_libreoffice_shows_the_texts_and_computes_only_the_real_formula(tmp_path, write_only):
    path = tmp_path / "hostile.xlsx"
    path.write_bytes(_saved(_workbook(HOSTILE, write_only=write_only)))

    rows = libreoffice_csv(path, tmp_path)

    assert [row[0] for row in rows] == [*HOSTILE, "5"]
