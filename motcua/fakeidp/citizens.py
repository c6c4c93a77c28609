"""The demo people the fake provider signs in, with the claims the national providers send
(capabilities.md §2.2: DVCQG's UserInfoDvcqgRequest, VNeID's UserInfoVneidRequest). Their
numbers follow the published structures (dossiers/identity.py) but belong to nobody."""

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class DemoCitizen:
    key: str
    tech_id: str
    kind: str  # LoaiTaiKhoan: "1" citizen, "2" business
    name: str
    personal_id: str
    birth_date: str = ""
    email: str = ""
    phone: str = ""
    address: str = ""
    tax_code: str = ""
    business_name: str = ""
    ial: str = "2"
    extra: dict[str, Any] = field(default_factory=dict)


CITIZENS = {
    citizen.key: citizen
    for citizen in (
        DemoCitizen(
            "nguyen-van-an", "7f3c2a10-0001-4d6e-9a1b-000000000001", "1", "Nguyễn Văn An",
            "042090001234", "12/03/1990", "an.nguyen@example.vn", "0912345678",
            "Phường Thành Sen, tỉnh Hà Tĩnh",
        ),
        DemoCitizen(
            "tran-thi-binh", "7f3c2a10-0002-4d6e-9a1b-000000000002", "1", "Trần Thị Bình",
            "042195004321", "05/07/1995", "", "0987654321", "Xã Thạch Hà, tỉnh Hà Tĩnh",
            ial="1",
        ),
        DemoCitizen(
            "cong-ty-thanh-sen", "7f3c2a10-0003-4d6e-9a1b-000000000003", "2", "Lê Văn Cường",
            "040088001122", "", "lienhe@thanhsen.example.vn", "02393855555",
            "Phường Thành Sen, tỉnh Hà Tĩnh", tax_code="3001234567",
            business_name="Công ty TNHH Thành Sen",
        ),
    )
}  # fmt: skip


def claims_of(citizen: DemoCitizen, style: str, *, sub: str) -> dict[str, Any]:
    """The userinfo claims as the provider named by `style` sends them."""
    claims: dict[str, Any] = {
        "sub": sub,
        "TechID": citizen.tech_id,
        "LoaiTaiKhoan": citizen.kind,
        "SoDinhDanh": citizen.personal_id,
        "HoVaTen": citizen.name,
        "NgayThangNamSinh": citizen.birth_date,
        "loAs": ["LoA2"] if citizen.ial == "2" else ["LoA1"],
    }
    if style == "vneid":
        return claims | {"IAL": citizen.ial}
    claims |= {"ThuDienTu": citizen.email, "SoDienThoai": citizen.phone, "DiaChi": citizen.address}
    if citizen.kind == "2":
        claims |= {
            "MaSoThue": citizen.tax_code,
            "MaSoDoanhNghiep": citizen.tax_code,
            "TenDoanhNghiep": citizen.business_name,
        }
    return claims | citizen.extra
