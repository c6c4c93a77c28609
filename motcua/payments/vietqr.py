"""VietQR: the EMVCo merchant-presented QR payload that Vietnamese banking apps read
(NAPAS QR Switching specification; capabilities.md §3.3), built in-house (decision 0014).

The payload is a list of TLV fields: a 2-digit id, a 2-digit length, the value. Fields 26-51
(merchant account information) and 62 (additional data) hold TLV fields of their own. The
last field, 63, is a CRC-16/CCITT-FALSE (polynomial 0x1021, initial value 0xFFFF) over every
character before it including "6304", written as 4 upper-case hexadecimal digits.

For a bank transfer (IBFT) the account sits in field 38: 00 = the NAPAS AID A000000727,
01 = {00 bank BIN, 01 account or card number}, 02 = the service QRIBFTTA (to an account) or
QRIBFTTC (to a card). 53 = 704 (VND), 54 = the amount, 58 = VN, 62/08 = the purpose.

Lengths count characters and the CRC counts bytes: only ASCII is accepted, so the two agree
(a purpose in Vietnamese is folded to ASCII first, `ascii_text`).
"""

import re
import unicodedata
from dataclasses import dataclass

NAPAS_AID = "A000000727"
TO_ACCOUNT = "QRIBFTTA"
TO_CARD = "QRIBFTTC"
STATIC, DYNAMIC = "11", "12"
PURPOSE_MAX = 25  # characters of 62/08 that banking apps keep (capabilities.md §3.3 [T])
MERCHANT_ACCOUNTS = {str(i) for i in range(26, 52)}
TEMPLATES = MERCHANT_ACCOUNTS | {"62"}  # fields whose value is TLV itself
# Inside a merchant account template, NAPAS's 01 (the beneficiary: BIN and account) is TLV.
NAPAS_BENEFICIARY = "01"

Field = tuple[str, "str | list[Field]"]


class VietQRError(ValueError):
    """A payload that cannot be built or read: `code` says why, for programs."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code


def crc16(data: str) -> str:
    """CRC-16/CCITT-FALSE of `data`'s bytes, as 4 upper-case hex digits."""
    crc = 0xFFFF
    for byte in data.encode("ascii"):
        crc ^= byte << 8
        for _ in range(8):
            crc = ((crc << 1) ^ 0x1021) if crc & 0x8000 else crc << 1
            crc &= 0xFFFF
    return f"{crc:04X}"


def _tlv(tag: str, value: str) -> str:
    if not value.isascii():
        raise VietQRError("not_ascii", f"field {tag} is not ASCII: {value!r}")
    if len(value) > 99:
        raise VietQRError("too_long", f"field {tag} is longer than 99 characters")
    return f"{tag}{len(value):02d}{value}"


def encode_fields(fields: list[Field]) -> str:
    """The TLV text of `fields` (nested lists for templates), without a CRC."""
    parts = []
    for tag, value in fields:
        if not (len(tag) == 2 and tag.isdigit()):
            raise VietQRError("bad_tag", f"a field id is two digits, not {tag!r}")
        parts.append(_tlv(tag, value if isinstance(value, str) else encode_fields(value)))
    return "".join(parts)


def encode(fields: list[Field]) -> str:
    """The whole payload: `fields` (without 63) and the CRC field."""
    body = encode_fields([f for f in fields if f[0] != "63"]) + "6304"
    return body + crc16(body)


def _nested(parent: str | None, tag: str) -> bool:
    if parent is None:
        return tag in TEMPLATES
    return parent in MERCHANT_ACCOUNTS and tag == NAPAS_BENEFICIARY


def _split(text: str, parent: str | None = None) -> list[Field]:
    fields: list[Field] = []
    at = 0
    while at < len(text):
        head = text[at : at + 4]
        if len(head) < 4 or not head.isdigit():
            raise VietQRError("bad_tlv", f"no field id and length at position {at}")
        tag, length = head[:2], int(head[2:])
        value = text[at + 4 : at + 4 + length]
        if len(value) != length:
            raise VietQRError("bad_tlv", f"field {tag} is cut short at position {at}")
        fields.append((tag, _split(value, tag) if _nested(parent, tag) else value))
        at += 4 + length
    return fields


def parse(payload: str) -> list[Field]:
    """The fields of `payload` (templates as nested lists), the CRC checked first."""
    if not payload.isascii():
        raise VietQRError("not_ascii", "a VietQR payload is ASCII")
    if len(payload) < 8 or payload[-8:-4] != "6304":
        raise VietQRError("no_crc", "the payload does not end with its CRC field (6304....)")
    expected, found = crc16(payload[:-4]), payload[-4:].upper()
    if expected != found:
        raise VietQRError(
            "crc_mismatch",
            f"CRC check failed: the payload says {found}, its content gives {expected} "
            "(a character was changed or lost)",
        )
    return _split(payload)


def field(fields: list[Field], *path: str) -> str | None:
    """The value at `path` ("38", "01", "00"), or None."""
    current: str | list[Field] = fields
    for tag in path:
        if isinstance(current, str):
            return None
        current = next((v for t, v in current if t == tag), None)  # type: ignore[assignment]
        if current is None:
            return None
    return current if isinstance(current, str) else None


# --- Bank transfers ---------------------------------------------------------------------


@dataclass(frozen=True)
class Transfer:
    """What a bank transfer QR says: to whom, how much, why."""

    bank_bin: str  # 6 digits, the bank's NAPAS BIN
    account: str  # account (or card) number
    amount: int | None = None  # VND; None: the payer types it (a static QR)
    purpose: str = ""
    to_card: bool = False


BIN = re.compile(r"[0-9]{6}")
ACCOUNT = re.compile(r"[0-9A-Za-z]{1,19}")


def transfer_payload(transfer: Transfer) -> str:
    """The VietQR payload of `transfer` (dynamic when it carries an amount)."""
    if not BIN.fullmatch(transfer.bank_bin):
        raise VietQRError("bad_bin", "a bank BIN is 6 digits")
    if not ACCOUNT.fullmatch(transfer.account):
        raise VietQRError("bad_account", "an account number is 1-19 letters or digits")
    if transfer.amount is not None and transfer.amount <= 0:
        raise VietQRError("bad_amount", "the amount is a positive number of dong")
    if len(transfer.purpose) > PURPOSE_MAX:
        raise VietQRError("purpose_too_long", f"the purpose holds {PURPOSE_MAX} characters")
    account: list[Field] = [("00", transfer.bank_bin), ("01", transfer.account)]
    fields: list[Field] = [
        ("00", "01"),
        ("01", STATIC if transfer.amount is None else DYNAMIC),
        (
            "38",
            [
                ("00", NAPAS_AID),
                ("01", account),
                ("02", TO_CARD if transfer.to_card else TO_ACCOUNT),
            ],
        ),
        ("53", "704"),
    ]
    if transfer.amount is not None:
        fields.append(("54", str(transfer.amount)))
    fields.append(("58", "VN"))
    if transfer.purpose:
        fields.append(("62", [("08", transfer.purpose)]))
    return encode(fields)


def read_transfer(payload: str) -> Transfer:
    """The transfer a payload asks for (CRC checked); VietQRError if it is not one."""
    fields = parse(payload)
    bank_bin, account = field(fields, "38", "01", "00"), field(fields, "38", "01", "01")
    if field(fields, "38", "00") != NAPAS_AID or bank_bin is None or account is None:
        raise VietQRError("not_a_transfer", "no NAPAS account in field 38")
    amount = field(fields, "54")
    return Transfer(
        bank_bin=bank_bin,
        account=account,
        amount=int(amount) if amount and amount.isdigit() else None,
        purpose=field(fields, "62", "08") or "",
        to_card=field(fields, "38", "02") == TO_CARD,
    )


def ascii_text(text: str, limit: int = PURPOSE_MAX) -> str:
    """`text` without diacritics (đ -> d), in printable ASCII, spaces squeezed, cut to `limit`."""
    text = text.replace("đ", "d").replace("Đ", "D")
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    kept = "".join(c if c.isprintable() else " " for c in folded)
    return " ".join(kept.split())[:limit].rstrip()


def qr_svg(payload: str, scale: int = 1) -> str:
    """An SVG QR code of `payload` (error correction M, as banking apps print them);
    `scale` pixels a module (a phone's camera wants ~250 px on screen)."""
    import io

    import segno

    buffer = io.BytesIO()
    segno.make_qr(payload, error="m").save(
        buffer, kind="svg", border=2, xmldecl=False, nl=False, scale=scale
    )
    return buffer.getvalue().decode("ascii")
