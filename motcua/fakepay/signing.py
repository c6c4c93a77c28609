"""The platform's side of the signature, written again here from the protocol's description
(capabilities.md §3.2) rather than imported from motcua.payments: a mistake on one side
shows up as a refused message instead of being agreed on by both."""

import hashlib
import hmac
from datetime import datetime
from zoneinfo import ZoneInfo

INIT = (
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
CONFIRM = (
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
QUERY = ("LoaiBanTin", "PhienBan", "MaDoiTac", "MaThamChieu", "ThoiGianGD")
VN = ZoneInfo("Asia/Ho_Chi_Minh")


def mac(message: dict, fields: tuple[str, ...], secret: str) -> str:
    parts = ["" if message.get(name) is None else str(message.get(name)) for name in fields]
    return hashlib.sha256("|".join([*parts, secret]).encode("utf-8")).hexdigest()


def valid(message: dict, fields: tuple[str, ...], secret: str) -> bool:
    given = message.get("MaXacThuc")
    return isinstance(given, str) and hmac.compare_digest(
        given.encode(), mac(message, fields, secret).encode()
    )


def now_text(moment: datetime) -> str:
    return moment.astimezone(VN).strftime("%Y%m%d%H%M%S")
