"""Repair and derivation rules for records in the national portal schema.

Source of the defects: ../shared/data/procedures/README.md ("Known gaps and quality
problems"). Each rule is explained for administrators in docs/catalogue-import.md. Pure
functions, no database.
"""

import re
from decimal import Decimal, InvalidOperation
from typing import Any

from ..models import ApplicantType, Channel, OnlineLevel, TimeUnit
from .notes import Note

# Time units as the portal writes them (Decree 61/2018 counts in working days; the portal's
# engine counts 8 working hours per day), and our own codes, which exported records use.
TIME_UNITS = {
    "ngày làm việc": TimeUnit.WORKING_DAYS,
    "ngày": TimeUnit.CALENDAR_DAYS,
    "giờ": TimeUnit.HOURS,
    "giờ làm việc": TimeUnit.HOURS,
    "tháng": TimeUnit.MONTHS,
    **{unit.value: unit for unit in TimeUnit},
}
BARE_NUMBER = re.compile(r"^\d+(?:[.,]\d+)?$")
RANGE = re.compile(r"^(\d+(?:[.,]\d+)?)\s*[-–]\s*(\d+(?:[.,]\d+)?)$")
CURRENCY_FIRST = re.compile(r"^\s*(?:VNĐ|VND|Việt Nam Đồng|Đồng|USD)", re.IGNORECASE)
AMOUNT_IN_TEXT = re.compile(
    r"(\d{1,3}(?:[.,]\d{3})+|\d+)\s*(?:đồng|VNĐ|VND|đ\b)", re.IGNORECASE | re.UNICODE
)
FREE = "miễn phí"
FEE_NAME = "Phí, lệ phí"
# Applicant groups in "target_subjects" (Đối tượng thực hiện) -> applicant type, by prefix.
APPLICANT_PREFIXES = (
    ("công dân việt nam", ApplicantType.CITIZEN),
    ("người việt nam định cư ở nước ngoài", ApplicantType.CITIZEN),
    ("người nước ngoài", ApplicantType.FOREIGNER),
    ("doanh nghiệp", ApplicantType.ENTERPRISE),
    ("hộ kinh doanh", ApplicantType.HOUSEHOLD_BUSINESS),
    ("hợp tác xã", ApplicantType.COOPERATIVE),
    ("tổ chức", ApplicantType.ORGANISATION),
    ("cán bộ", ApplicantType.PUBLIC_BODY),
    ("công chức", ApplicantType.PUBLIC_BODY),
    ("viên chức", ApplicantType.PUBLIC_BODY),
    ("cơ quan nhà nước", ApplicantType.PUBLIC_BODY),
)


def decimal_or_none(value: Any) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        return Decimal(str(value).replace(",", "."))
    except InvalidOperation:
        return None


# --- time limits ---------------------------------------------------------------------


def channel_time(entry: dict[str, Any]) -> tuple[dict[str, Any], list[Note]]:
    """One channel row's time limit as {"channel", "value", "unit", "text"}, repaired."""
    text = str(entry.get("time_limit") or "").strip()
    row: dict[str, Any] = {"channel": entry.get("channel"), "value": None, "unit": None}
    row["text"] = text
    label = str(entry.get("time_limit_unit") or "").strip()
    value = decimal_or_none(entry.get("time_limit_value"))
    if label:
        return _with_unit(row, label, value)
    return _without_unit(row, text, value, str(entry.get("fee_and_note_text") or ""))


def literal_time(entry: dict[str, Any]) -> tuple[dict[str, Any], list[Note]]:
    """A time-limit row of our own schema, read as written."""
    unit = str(entry.get("time_limit_unit") or "")
    row = {
        "channel": entry.get("channel"),
        "value": decimal_or_none(entry.get("time_limit_value")),
        "unit": str(TIME_UNITS.get(unit.lower(), unit)) if unit else None,
        "text": str(entry.get("time_limit") or "").strip(),
    }
    return row, []


def _with_unit(row: dict, label: str, value: Decimal | None) -> tuple[dict, list[Note]]:
    unit = TIME_UNITS.get(label.lower())
    subject = f"{row['channel']}: {row['text'] or label}"
    if unit is None:
        return row, [Note.of("time_unit_unknown", subject)]
    if value is None or value <= 0:
        return row, [Note.of("time_limit_missing", subject)]
    row.update(value=value, unit=unit.value)
    return row, []


def _without_unit(
    row: dict, text: str, value: Decimal | None, fee_text: str
) -> tuple[dict, list[Note]]:
    """A bare number is read as working days (Decree 61/2018 art. 3 and portal practice:
    limits are counted in working days unless stated); anything else is left empty."""
    subject = f"{row['channel']}: {text or '—'}"
    if BARE_NUMBER.match(text) and CURRENCY_FIRST.match(fee_text):
        return row, [Note.of("time_fee_run_together", f"{subject} | {fee_text[:40]}")]
    span = RANGE.match(text)
    if span:
        row.update(value=decimal_or_none(span.group(2)), unit=TimeUnit.WORKING_DAYS.value)
        return row, [Note.of("time_range_upper", subject)]
    if BARE_NUMBER.match(text):
        value = value if value is not None else decimal_or_none(text)
    else:
        value = None
    if value is None or value <= 0:
        return row, [Note.of("time_limit_missing", subject)]
    row.update(value=value, unit=TimeUnit.WORKING_DAYS.value)
    return row, [Note.of("time_unit_assumed", subject)]


def headline_time(rows: list[dict[str, Any]]) -> tuple[Decimal | None, str]:
    """The in-person channel's limit, else the first channel's that has one."""
    timed = [row for row in rows if row.get("value") is not None and row.get("unit")]
    in_person = [row for row in timed if row.get("channel") == Channel.IN_PERSON]
    chosen = (in_person or timed or [None])[0]
    if chosen is None:
        return None, ""
    return decimal_or_none(chosen["value"]), str(chosen["unit"])


# --- fees ------------------------------------------------------------------------------


def fees(entries: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], list[Note]]:
    """Fee rows from each channel's `fee_amounts`; one set for all channels if they agree."""
    notes: list[Note] = []
    per_channel: list[tuple[str, tuple[tuple[Decimal, str], ...]]] = []
    for entry in entries:
        amounts, found_notes = channel_amounts(entry)
        notes.extend(found_notes)
        per_channel.append((str(entry.get("channel") or ""), amounts))
    if len({amounts for _channel, amounts in per_channel}) == 1:
        per_channel = [("", per_channel[0][1])]
    rows: list[dict[str, Any]] = []
    for channel, amounts in dict.fromkeys(per_channel):
        for amount, currency in amounts:
            row, row_notes = _fee_row(amount, currency, channel, len(rows) + 1)
            rows.append(row)
            notes.extend(row_notes)
    return rows, notes


def channel_amounts(entry: dict[str, Any]) -> tuple[tuple[tuple[Decimal, str], ...], list[Note]]:
    """Positive amounts of one channel. The portal shows "Miễn phí" whenever its amount
    field is 0, even when the text states a fee: the stated amount wins, and is reported."""
    text = str(entry.get("fee_and_note_text") or "")
    amounts = _listed_amounts(entry.get("fee_amounts") or [])
    free = text.strip().lower().startswith(FREE) or entry.get("shown_as_free") is True
    if free and not amounts:
        amounts = tuple(dict.fromkeys((amount, "VND") for amount in _amounts_in_text(text)))
    if free and amounts:
        return amounts, [Note.of("fee_shown_as_free", text)]
    return amounts, []


def _listed_amounts(listed: list[Any]) -> tuple[tuple[Decimal, str], ...]:
    found = []
    for item in listed:
        if not isinstance(item, dict):
            continue
        amount = decimal_or_none(item.get("amount"))
        if amount is not None and amount > 0:
            found.append((amount, str(item.get("currency") or "VND").upper()))
    return tuple(dict.fromkeys(found))


def _amounts_in_text(text: str) -> list[Decimal]:
    amounts = []
    for match in AMOUNT_IN_TEXT.finditer(text):
        amount = decimal_or_none(re.sub(r"[.,]", "", match.group(1)))
        if amount is not None and amount > 0:
            amounts.append(amount)
    return amounts


def _fee_row(
    amount: Decimal, currency: str, channel: str, order: int
) -> tuple[dict[str, Any], list[Note]]:
    row = {"order": order, "name": FEE_NAME, "amount": amount, "rule": "", "channel": channel}
    row["charged_at"] = "receipt"
    if currency == "VND":
        return row, []
    row.update(amount=None, rule=f"{amount.normalize():f} {currency}")
    return row, [Note.of("fee_foreign_currency", row["rule"])]


# --- who and how -----------------------------------------------------------------------


def online_level(channels: list[str], online_available: Any) -> tuple[str, list[Note]]:
    """The portal data never says whether a service is end-to-end (README gap 2): with an
    online channel we assume "partial", the conservative reading an administrator may
    raise (Decree 42/2022 arts. 11-12); without one the service is not online."""
    if Channel.ONLINE in channels or online_available is True:
        return OnlineLevel.PARTIAL.value, [Note.of("online_level_assumed")]
    return OnlineLevel.NONE.value, []


def applicant_types(target_subjects: str) -> tuple[list[str], list[Note]]:
    """Applicant types from the comma-joined groups of "Đối tượng thực hiện"."""
    found: set[str] = set()
    notes: list[Note] = []
    for group in split_groups(target_subjects):
        kind = next((k for p, k in APPLICANT_PREFIXES if group.lower().startswith(p)), None)
        if kind is None:
            notes.append(Note.of("applicant_type_unknown", group))
        else:
            found.add(kind.value)
    return [kind for kind in ApplicantType.values if kind in found], notes


def split_groups(text: str) -> list[str]:
    """Split at commas outside parentheses: "Tổ chức (không bao gồm doanh nghiệp, HTX)"
    is one group."""
    groups, depth, current = [], 0, []
    for char in text:
        depth += (char == "(") - (char == ")")
        if char == "," and depth <= 0:
            groups.append("".join(current))
            current = []
        else:
            current.append(char)
    groups.append("".join(current))
    return [group.strip() for group in groups if group.strip()]
