"""Reading a bank statement a cashier downloaded from the bank (CSV or Excel): the credits,
each with its date, amount, text and the bank's transaction number. Pure: no ORM.

Banks name their columns differently; a column is known by its header, without case or
diacritics ("Ngày giao dịch", "Ngay GD", "Date"; "Ghi có", "Số tiền", "Credit"; "Nội dung",
"Diễn giải", "Description"; "Số tham chiếu", "Mã GD", "Reference"). Only credits are kept: a
row with a debit and no credit, or an amount of 0 or less, is someone else's business. Dates
as dd/mm/yyyy, yyyy-mm-dd or Excel dates; amounts as 205.000, 205,000, 205000 or numbers.
"""

import csv
import io
import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime
from itertools import islice

from django.utils.translation import gettext as _

MAX_ROWS = 20_000
HEADERS = {
    "date": ("ngay giao dich", "ngay gd", "ngay hach toan", "ngay", "date", "transaction date"),
    "credit": ("ghi co", "so tien ghi co", "credit", "so tien", "amount", "so tien (vnd)"),
    "debit": ("ghi no", "so tien ghi no", "debit"),
    "text": ("noi dung", "dien giai", "noi dung giao dich", "mo ta", "description", "remark"),
    "reference": ("so tham chieu", "ma giao dich", "ma gd", "so but toan", "reference", "ref"),
}


class StatementError(ValueError):
    """A statement that cannot be read; `message` says where, in the active language."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Credit:
    row: int  # as the cashier sees it in the file (1 = the first line)
    booked_on: date
    amount: int
    text: str
    reference: str


def fold(text: str) -> str:
    """Lower case, no diacritics, single spaces: 'Ngày  Giao dịch' -> 'ngay giao dich'."""
    text = unicodedata.normalize("NFD", str(text).replace("đ", "d").replace("Đ", "D"))
    text = "".join(c for c in text if not unicodedata.combining(c))
    return " ".join(text.lower().split())


def read(name: str, content: bytes) -> list[Credit]:
    """The credits of a statement file (.csv or .xlsx by its name)."""
    if name.lower().endswith(".xlsx"):
        rows = _xlsx_rows(content)
        header_at, columns = _header(rows)
    else:
        rows, header_at, columns = _csv(content)
    credits = []
    for number, row in enumerate(rows[header_at + 1 :], start=header_at + 2):
        credit = _credit(number, row, columns)
        if credit is not None:
            credits.append(credit)
    if not credits:
        raise StatementError(_("The statement has no credit to match."))
    return credits


def _csv(content: bytes) -> tuple[list[list[object]], int, dict[str, int]]:
    """A CSV's rows with the delimiter (; , or tab) that gives a header row."""
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = content.decode("cp1258", errors="replace")  # Windows' Vietnamese code page
    for delimiter in (";", ",", "\t"):
        reader = csv.reader(io.StringIO(text), delimiter=delimiter)
        rows: list[list[object]] = [list(r) for r in islice(reader, MAX_ROWS + 50)]
        try:
            header_at, columns = _header(rows)
        except StatementError:
            continue
        return rows, header_at, columns
    raise StatementError(
        _("No header row with a date, an amount (credit) and a description was found.")
    )


def _xlsx_rows(content: bytes) -> list[list[object]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a file that is not a workbook
        raise StatementError(_("The file is not an Excel workbook (.xlsx).")) from error
    sheet = book.worksheets[0]
    rows = [list(r) for r in islice(sheet.iter_rows(values_only=True), MAX_ROWS + 50)]
    book.close()
    return rows


def _header(rows: list[list[object]]) -> tuple[int, dict[str, int]]:
    """The first of the top 30 rows that names a date, an amount and a text column."""
    for at, row in enumerate(rows[:30]):
        folded = [fold(str(cell)) if cell is not None else "" for cell in row]
        columns = {}
        for key, names in HEADERS.items():
            found = next((i for i, cell in enumerate(folded) if cell in names), None)
            if found is not None:
                columns[key] = found
        if {"date", "credit", "text"} <= set(columns):
            return at, columns
    raise StatementError(
        _("No header row with a date, an amount (credit) and a description was found.")
    )


def _cell(row: list[object], columns: dict[str, int], key: str) -> object:
    at = columns.get(key)
    return row[at] if at is not None and at < len(row) else None


def _credit(number: int, row: list[object], columns: dict[str, int]) -> Credit | None:
    if not any(cell not in (None, "") for cell in row):
        return None
    amount = amount_of(_cell(row, columns, "credit"))
    if amount is None or amount <= 0:
        return None  # a debit, a total line or a note: not a credit to match
    booked = date_of(_cell(row, columns, "date"))
    if booked is None:
        raise StatementError(_("Row %(row)d: the date cannot be read.") % {"row": number})
    text = str(_cell(row, columns, "text") or "").strip()[:500]
    reference = str(_cell(row, columns, "reference") or "").strip()[:100]
    return Credit(number, booked, amount, text, reference)


_DATE_FORMATS = ("%d/%m/%Y", "%d-%m-%Y", "%Y-%m-%d", "%d/%m/%Y %H:%M:%S", "%d/%m/%Y %H:%M")


def date_of(value: object) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value or "").strip()
    for layout in _DATE_FORMATS:
        try:
            return datetime.strptime(text, layout).date()
        except ValueError:
            continue
    return None


def amount_of(value: object) -> int | None:
    """Whole dong: 205000, 205000.0, "205.000", "205,000", "205.000 VND", "+205.000"."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value) if value.is_integer() else None
    text = re.sub(r"(?i)\s*(vnd|đ|d)$", "", str(value).strip()).lstrip("+").replace(" ", "")
    if re.fullmatch(r"\d{1,3}([.,]\d{3})+", text):
        return int(re.sub(r"[.,]", "", text))
    if re.fullmatch(r"\d+([.,]0+)?", text):
        return int(re.split(r"[.,]", text)[0])
    return None
