"""Text in Excel cells that stays text (issue 11: formula injection).

Citizens type their name, address and the dossier's subject; staff type agency, procedure
and field names. openpyxl writes any string that starts with "=" as a live formula and the
seven error codes ("#N/A"...) as errors, so a name such as `=HYPERLINK("http://…")` became a
working link in the tracking book. Every Excel writer puts its values through `put_value`:

* a string is stored as a string (the cell's type forced to "s"): never a formula, never an
  error, and the text read back is exactly the text written, so an exported catalogue still
  re-imports to the same catalogue (no apostrophe or space is added to the data);
* a string that Excel or LibreOffice would take for a formula when someone edits the cell
  (it starts with = + - @, a tab or a line break, their full-width forms ＝ ＋ － ＠ that
  East Asian input methods produce, or is an error code) also gets the "quote prefix" cell
  flag: the program shows it as typed text and keeps it text after editing, as if it had
  been entered with a leading apostrophe, without the apostrophe being part of the value;
* characters that XML cannot hold (C0 controls other than tab and line breaks) are dropped
  instead of making openpyxl refuse the whole workbook.

Other values (numbers, dates, None) are stored as they are.
"""

from typing import Any

from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ERROR_CODES, ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

FORMULA_STARTS = frozenset("=+-@\t\r\n＝＋－＠")


def is_formula_like(text: str) -> bool:
    """Would a spreadsheet program read `text`, typed into a cell, as a formula or an error?"""
    return text[:1] in FORMULA_STARTS or text in ERROR_CODES


def put_value(cell: Cell, value: Any) -> Cell:
    """Store `value` in `cell`, a string always as plain text (see the module's docstring)."""
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"
        if is_formula_like(value):
            cell.quotePrefix = True
    return cell


def write_only_cells(sheet: WriteOnlyWorksheet, values: list[Any]) -> list[Any]:
    """A row for `sheet.append` in a write-only workbook: strings that openpyxl would parse
    or refuse go in through `put_value`; other values are appended as they are (a cell for
    each of thousands of ordinary strings would cost half as much time again)."""
    return [
        put_value(WriteOnlyCell(sheet), value) if _needs_care(value) else value for value in values
    ]


def _needs_care(value: Any) -> bool:
    return isinstance(value, str) and (
        is_formula_like(value) or ILLEGAL_CHARACTERS_RE.search(value) is not None
    )
