"""Repair rules for the portal's document table (thành phần hồ sơ).

The national data was cut out of rendered portal pages, so its document rows carry
explanatory notes, list bullets and template file names glued to the names
(../shared/data/procedures/README.md, "Known gaps" 3). Pure functions, no database.
"""

import re
from typing import Any

from .notes import Note

# Rows the portal puts inside the table that are notes, not papers to hand in.
NOTE_PREFIXES = (
    "trường hợp",
    "lưu ý",
    "ghi chú",
    "chú ý",
    "*",
    "(",
    "đối với",
    "số lượng hồ sơ",
    "người tiếp nhận",
    "trong đó",
    "ngoài ra",
    "việc ",
    "khi ",
    "nếu ",
)
BULLET = re.compile(
    r"^(?:[-+•–]+\s*|[a-zđ]\)\s*|\((?:[ivx]{1,4}|[a-zđ]|\d{1,2})\)\s*|\d{1,2}[.)]\s+)+",
    re.IGNORECASE,
)
FILE_AT_END = re.compile(r"\.(?:docx|doc|pdf|xlsx|xls)\s*$", re.IGNORECASE)
# An extension followed directly by more text: two file names glued together.
CHAINED_FILE = re.compile(r"\.(?:docx|doc(?!x)|pdf|xlsx|xls(?!x))(?=\w)", re.IGNORECASE)
# Boundaries between a name and a glued file name, tried in this order.
_KEYWORD = r"(?:mẫu|mau|mus|phụ lục|văn bản|đơn|don|tờ trình|tờ khai|báo cáo|bản khai|thuyết minh)"
# A template word glued to the previous word ("…hạnmau so 20.doc", "…NĐ-CPMus03.docx"), or
# a numbered one glued to a letter ("…quy định1.4. Don de nghi.docx").
GLUED_KEYWORD = re.compile(
    rf"(?:(?<=[^\W_])(?={_KEYWORD})|(?<=[^\W\d_])(?=(?:\d+[-.]\s?)+{_KEYWORD}))",
    re.IGNORECASE,
)
GLUED_AFTER_DOT = re.compile(r"\.(?=[^\W\d_])")
GLUED_PROCEDURE_CODE = re.compile(r"(?<=[^\W\d_])(?=\d\.\d{6})")
GLUED_DIGITS = re.compile(r"(?<=[^\W\d_])(?=\d+\.(?:docx|doc|pdf|xlsx|xls)$)", re.IGNORECASE)
MAX_FILE_NAME = 150
OPTIONAL_MARK = "(nếu có)"
# A counted row that names the case it is needed in ("Trường hợp ủy quyền…", "… (nếu người
# yêu cầu…)") is a paper for that case only, not one every applicant hands in.
CONDITIONAL_STARTS = ("trường hợp", "nếu ", "đối với")
CONDITIONAL_MARKS = ("(nếu", ", nếu ", "trong trường hợp")
NOTE_KIND, DOCUMENT_KIND = "note", "document"
# Component.Filing values, and the words by which a condition names the way of filing.
ANY, PAPER, ONLINE = "any", "paper", "online"
FILING_WORD = re.compile(r"nộp hồ sơ|nộp trực|hình thức|gửi hồ sơ|đăng ký trực")
PAPER_WORDS = ("trực tiếp", "bưu chính")
ONLINE_WORDS = ("trực tuyến",)


def repair_documents(
    rows: list[dict[str, Any]], note: str
) -> tuple[list[dict[str, Any]], str, list[Note]]:
    """Portal document rows -> components, the documents note, and what was changed."""
    known = {str(f) for row in rows for f in row.get("form_files") or []}
    components: list[dict[str, Any]] = []
    note_lines: list[str] = []
    notes: list[Note] = []
    for row in rows:
        component = _repair_row(row, known, note_lines, notes)
        if component is not None:
            component["order"] = len(components) + 1
            components.append(component)
    documents_note = "\n".join(line for line in [*note_lines, note.strip()] if line)
    return components, documents_note, notes


def _repair_row(
    row: dict[str, Any], known: set[str], note_lines: list[str], notes: list[Note]
) -> dict[str, Any] | None:
    raw = str(row.get("name") or "").strip()
    originals, copies = _count(row.get("originals")), _count(row.get("copies"))
    if not raw:
        notes.append(Note.of("document_empty", row.get("case") or ""))
        return None
    uncounted = originals == 0 and copies == 0
    if uncounted and is_note(raw):
        note_lines.append(raw)
        notes.append(Note.of("document_note_moved", raw))
        return None
    if uncounted and raw.endswith(":"):
        note_lines.append(raw)
        notes.append(Note.of("document_heading_moved", raw))
        return None
    name = strip_bullet(raw)
    if name != raw:
        notes.append(Note.of("document_bullet_stripped", raw))
    name, files = split_form_files(name, known, notes)
    case = str(row.get("case") or "").strip()
    kind = _kind(name, case, uncounted, notes)
    mandatory, filing = _mandatory(name, notes) if kind == DOCUMENT_KIND else (False, ANY)
    return {
        "case": case,
        "name": name,
        "originals": originals,
        "copies": copies,
        "is_mandatory": mandatory,
        "form_files": [str(f) for f in row.get("form_files") or []] + files,
        "kind": kind,
        "filing": filing,
    }


def _kind(name: str, case: str, uncounted: bool, notes: list[Note]) -> str:
    """A row without a count under a note heading ("* Lưu ý:") is a note kept in the table."""
    if uncounted and case and is_note(case.lstrip("* ")):
        notes.append(Note.of("document_kept_as_note", name))
        return NOTE_KIND
    if uncounted:
        notes.append(Note.of("document_without_count", name))
    return DOCUMENT_KIND


def _mandatory(name: str, notes: list[Note]) -> tuple[bool, str]:
    """(mandatory?, for which filing). A condition that names only the way of filing ("nếu
    … nộp hồ sơ theo hình thức trực tiếp hoặc gửi hồ sơ qua hệ thống bưu chính", "… trực
    tuyến") makes the document mandatory for that filing, not optional: the birth
    registration's Tờ khai is required at the counter, its interactive e-form online."""
    lowered = name.lower()
    if OPTIONAL_MARK in lowered:
        return False, ANY
    if lowered.startswith(CONDITIONAL_STARTS):
        notes.append(Note.of("document_conditional", name))
        return False, ANY
    marks = [lowered.index(m) for m in CONDITIONAL_MARKS if m in lowered]
    if not marks:
        return True, ANY
    condition = _condition(lowered[min(marks) :])
    filing = _filing(condition)
    if filing is not None:
        notes.append(Note.of(f"document_for_{filing}_filing", name))
        return True, filing
    notes.append(Note.of("document_conditional", name))
    return False, ANY


def _condition(text: str) -> str:
    """The condition's own words: up to the closing parenthesis or the sentence's end."""
    ends = [i for i in (text.find(")"), text.find(". "), text.find(";")) if i > 0]
    return text[: min(ends)] if ends else text


def _filing(condition: str) -> str | None:
    """The filing a condition names, when it names nothing else."""
    paper = any(word in condition for word in PAPER_WORDS)
    online = any(word in condition for word in ONLINE_WORDS)
    if not FILING_WORD.search(condition) or paper == online:
        return None
    return PAPER if paper else ONLINE


def _count(value: Any) -> int:
    try:
        return max(int(value or 0), 0)
    except (TypeError, ValueError):
        return 0


def is_note(name: str) -> bool:
    """A row that starts like a note ("Trường hợp…", "Lưu ý…", "* …", "(…"), bullet or not."""
    lowered = name.lower()
    return lowered.startswith(NOTE_PREFIXES) or strip_bullet(lowered).startswith(NOTE_PREFIXES)


def strip_bullet(name: str) -> str:
    """ "- ", "+ ", "•", "a)", "(i)", "1. " at the start of a name are list bullets."""
    name = name.strip()
    return BULLET.sub("", name, count=1).strip() or name


def split_form_files(name: str, known: set[str], notes: list[Note]) -> tuple[str, list[str]]:
    """Template file names glued to the end of a name, moved out ("…2023.NA5.doc")."""
    files: list[str] = []
    while FILE_AT_END.search(name):
        chained = list(CHAINED_FILE.finditer(name))
        cut = chained[-1].end() if chained else _file_boundary(name, known)
        if cut is None:
            notes.append(Note.of("form_file_unsplit", name))
            break
        files.insert(0, name[cut:].strip())
        name = name[:cut].rstrip()
    if files:
        notes.append(Note.of("form_file_split", " | ".join(files)))
    return name, files


def _file_boundary(name: str, known: set[str]) -> int | None:
    """Where the glued file name starts, by the first rule that finds a plausible one."""
    candidates = [
        _known_file(name, known),
        _first(GLUED_KEYWORD, name),
        _last(GLUED_AFTER_DOT, name[: FILE_AT_END.search(name).start()]),  # type: ignore[union-attr]
        _first(GLUED_PROCEDURE_CODE, name),
        _first(GLUED_DIGITS, name),
    ]
    for cut in candidates:
        if cut is not None and cut > 0 and _plausible_file(name[cut:]):
            return cut + (1 if name[cut] == "." else 0)
    return None


def _plausible_file(candidate: str) -> bool:
    """File names are short and cannot hold a slash ("…/2020/NĐ-CP…" is prose)."""
    return 0 < len(candidate) <= MAX_FILE_NAME and "/" not in candidate


def _known_file(name: str, known: set[str]) -> int | None:
    matches = [f for f in known if name.endswith(f) and len(f) < len(name)]
    return len(name) - len(max(matches, key=len)) if matches else None


def _first(pattern: re.Pattern[str], text: str) -> int | None:
    match = pattern.search(text)
    return match.start() if match else None


def _last(pattern: re.Pattern[str], text: str) -> int | None:
    matches = list(pattern.finditer(text))
    return matches[-1].start() if matches else None
