"""The national payment platform's messages (DVCQG, "PayGov"), as the THS reference
implementation has them (capabilities.md §3.2): JSON over HTTPS with a bearer token, each
message signed with the shared secret. Pure: no ORM, no network (platform_client.py sends).

`MaXacThuc` is the hex SHA-256 of the message's listed fields, in their order, joined by
"|", with the secret appended as one more "|"-joined part. The secret is a suffix, not an
HMAC key: this is the platform's scheme, not ours to improve; what we do improve on THS:

* times are local (Asia/Ho_Chi_Minh) with the 24-hour clock, `%Y%m%d%H%M%S` (THS wrote
  `hh`, a 12-hour clock, into both the reference and the signed text);
* signatures are compared in constant time (`hmac.compare_digest`; THS used `!=`);
* a notice's amount and currency are checked against the attempt (THS did not).

Whether the platform joins the secret with a "|" or directly is not shown by the reference
code we read [U]: `signing_text` is the one place to change it.
"""

import hashlib
import hmac
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

LOCAL = ZoneInfo("Asia/Ho_Chi_Minh")
VERSION = "1.0.6"
CURRENCY = "VND"
PAID_CODE = "00"  # MaLoi of a confirm callback: paid
# TrangThaiGD of a QUERY answer.
PAID, PENDING, FAILED = "1", "3", "4"

INIT_FIELDS = (
    "LoaiBanTin",
    "PhienBan",
    "MaDoiTac",
    "MaThamChieu",
    "SoTien",
    "LoaiHinhThanhToan",
    "MaKenhThanhToan",
    "MaThietBi",
    "NgonNgu",
    "MaTienTe",
    "MaNganHang",
    "ThongTinGiaoDich",
    "ThoiGianGD",
    "Ip",
)
CONFIRM_FIELDS = (
    "LoaiBanTin",
    "MaLoi",
    "MaDoiTac",
    "MaThamChieu",
    "SoTien",
    "MaTienTe",
    "MaGiaoDich",
    "MaNganHang",
    "ThoiGianGD",
    "ThongTinGiaoDich",
)
QUERY_FIELDS = ("LoaiBanTin", "PhienBan", "MaDoiTac", "MaThamChieu", "ThoiGianGD")
SIGNATURE = "MaXacThuc"


@dataclass(frozen=True)
class Merchant:
    """Who we are to the platform and where it is."""

    endpoint: str
    code: str  # MaDoiTac
    secret: str
    token: str = ""  # bearer token
    timeout: float = 10.0
    fake: bool = False


def local_time(moment: datetime) -> str:
    """`moment` in Vietnam's time, 24-hour clock: 20260309143005."""
    return moment.astimezone(LOCAL).strftime("%Y%m%d%H%M%S")


def signing_text(message: Mapping[str, object], fields: Sequence[str], secret: str) -> str:
    return "|".join([*(_text(message.get(name)) for name in fields), secret])


def _text(value: object) -> str:
    return "" if value is None else str(value)


def sign(message: Mapping[str, object], fields: Sequence[str], secret: str) -> str:
    return hashlib.sha256(signing_text(message, fields, secret).encode("utf-8")).hexdigest()


def signed(message: dict[str, object], fields: Sequence[str], secret: str) -> dict[str, object]:
    """`message` with its MaXacThuc."""
    return {**message, SIGNATURE: sign(message, fields, secret)}


def has_valid_signature(message: Mapping[str, object], fields: Sequence[str], secret: str) -> bool:
    """Constant-time comparison of the message's MaXacThuc with ours (any case of hex)."""
    given = message.get(SIGNATURE)
    if not isinstance(given, str) or not secret:
        return False
    expected = sign(message, fields, secret)
    return hmac.compare_digest(given.lower().encode(), expected.encode())


def init_message(
    merchant: Merchant,
    *,
    reference: str,
    amount: int,
    info: str,
    at: datetime,
    ip: str,
    return_url: str,
    receipt_data: dict[str, object],
) -> dict[str, object]:
    """INIT: create the payment; the reply carries the address the citizen pays at.
    `UrlTraVe` (where the citizen's browser comes back) and `ThongTinBienLai` (the receipt's
    data) are not signed."""
    message: dict[str, object] = {
        "LoaiBanTin": "INIT",
        "PhienBan": VERSION,
        "MaDoiTac": merchant.code,
        "MaThamChieu": reference,
        "SoTien": amount,
        "LoaiHinhThanhToan": "PAY",
        "MaKenhThanhToan": "1",  # web
        "MaThietBi": "1",
        "NgonNgu": "vi-VN",
        "MaTienTe": CURRENCY,
        "MaNganHang": "",
        "ThongTinGiaoDich": info,
        "ThoiGianGD": local_time(at),
        "Ip": ip,
    }
    return signed(message, INIT_FIELDS, merchant.secret) | {
        "UrlTraVe": return_url,
        "ThongTinBienLai": receipt_data,
    }


def query_message(merchant: Merchant, *, kind: str, reference: str, at: datetime):
    """QUERY (the state of a payment) or GET_BILL (the platform's receipt, PDF bytes)."""
    if kind not in {"QUERY", "GET_BILL"}:
        raise ValueError(kind)
    message: dict[str, object] = {
        "LoaiBanTin": kind,
        "PhienBan": VERSION,
        "MaDoiTac": merchant.code,
        "MaThamChieu": reference,
        "ThoiGianGD": local_time(at),
    }
    return signed(message, QUERY_FIELDS, merchant.secret)


@dataclass(frozen=True)
class Notice:
    """What the platform says about one payment, from a confirm callback or a QUERY answer,
    read but not yet believed (online.py checks it against the attempt)."""

    reference: str
    paid: bool
    failed: bool
    amount: int | None
    currency: str
    provider_reference: str  # MaGiaoDich


def read_confirm(message: Mapping[str, object]) -> Notice:
    """A confirm callback's content. MaLoi "00" is paid; any other code is a failure."""
    code = _text(message.get("MaLoi"))
    return Notice(
        reference=_text(message.get("MaThamChieu")),
        paid=code == PAID_CODE,
        failed=code != PAID_CODE,
        amount=_amount(message.get("SoTien")),
        currency=_text(message.get("MaTienTe")),
        provider_reference=_text(message.get("MaGiaoDich")),
    )


def read_query_answer(message: Mapping[str, object], reference: str) -> Notice:
    """A QUERY answer: TrangThaiGD 1 paid, 3 pending, 4 failed."""
    state = _text(message.get("TrangThaiGD"))
    return Notice(
        reference=_text(message.get("MaThamChieu")) or reference,
        paid=state == PAID,
        failed=state == FAILED,
        amount=_amount(message.get("SoTien")),
        currency=_text(message.get("MaTienTe")),
        provider_reference=_text(message.get("MaGiaoDich")),
    )


def _amount(value: object) -> int | None:
    """SoTien as whole dong: an integer, or a numeric string of one ("205000"); anything
    else (205000.5, "2e5", a negative) is not an amount."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if value >= 0 else None
    if isinstance(value, str) and value.isascii() and value.isdigit() and len(value) <= 15:
        return int(value)
    return None
