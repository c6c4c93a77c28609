"""What a national provider says about the person, read into one shape (pure: no ORM).

DVCQG and VNeID send non-standard claims (capabilities.md §2.2, from the THS requests
UserInfoDvcqgRequest / UserInfoVneidRequest): `TechID` the stable id, `LoaiTaiKhoan` 1 citizen
or 2 business, `SoDinhDanh` (or the old `SoCMND`) the personal number, `MaSoDoanhNghiep` /
`MaSoThue` a business's tax code, `HoVaTen`, `NgayThangNamSinh`, `ThuDienTu`, `SoDienThoai`,
`DiaChi`; VNeID adds `IAL` (1 or 2), DVCQG `loAs`. As in OpenCPS, a sign-in without the
stable id or without the identity number is refused."""

from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from typing import Any

from django.utils.translation import gettext_lazy as _

from motcua.dossiers.identity import IdentityError, IdentityType, validate


class ClaimsRefused(ValueError):
    def __init__(self, code: str, message: Any):
        super().__init__(code)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class Identity:
    provider: str
    subject: str
    kind: str  # AccountKind
    id_type: str  # IdentityType
    id_number: str
    full_name: str
    business_name: str = ""
    birth_date: str = ""  # ISO date or ""
    email: str = ""
    phone: str = ""
    address: str = ""
    assurance: str = ""
    claims: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _text(claims: dict[str, Any], *names: str) -> str:
    for name in names:
        value = claims.get(name)
        if value not in (None, ""):
            return str(value).strip()
    return ""


def parse_birth_date(value: str) -> str:
    """dd/mm/yyyy (as the providers print it) or ISO; "" when neither."""
    for pattern in ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%Y%m%d"):
        try:
            return datetime.strptime(value, pattern).date().isoformat()
        except ValueError:
            continue
    return ""


def _assurance(provider: str, claims: dict[str, Any]) -> str:
    if provider == "vneid" and _text(claims, "IAL"):
        return f"IAL{_text(claims, 'IAL')}"
    loas = claims.get("loAs")
    if isinstance(loas, list) and loas:
        return str(max(loas))
    return _text(claims, "loAs", "acr")


def _number(kind: str, claims: dict[str, Any], today: date) -> tuple[str, str]:
    if kind == "business":
        number, id_type = _text(claims, "MaSoDoanhNghiep", "MaSoThue"), IdentityType.TAX_CODE
    elif _text(claims, "SoDinhDanh"):
        number, id_type = _text(claims, "SoDinhDanh"), IdentityType.PERSONAL_ID
    else:
        number, id_type = _text(claims, "SoCMND"), IdentityType.OLD_ID_CARD
    if not number:
        raise ClaimsRefused("no_id_number", _("The provider did not send an identity number."))
    try:
        return str(id_type), validate(id_type, number, today=today)
    except IdentityError as error:
        raise ClaimsRefused("bad_id_number", error.message) from error


def read_identity(
    provider: str, claims: dict[str, Any], *, subject_claim: str, today: date
) -> Identity:
    subject = _text(claims, subject_claim)
    if not subject:
        raise ClaimsRefused("no_subject", _("The provider did not send the person's stable id."))
    kinds = {"1": "citizen", "2": "business"}
    kind = kinds.get(_text(claims, "LoaiTaiKhoan") or "1")
    if kind is None:
        raise ClaimsRefused("unknown_kind", _("The provider sent an unknown kind of account."))
    id_type, id_number = _number(kind, claims, today)
    return Identity(
        provider=provider,
        subject=subject,
        kind=kind,
        id_type=id_type,
        id_number=id_number,
        full_name=_text(claims, "HoVaTen", "name"),
        business_name=_text(claims, "TenDoanhNghiep") if kind == "business" else "",
        birth_date=parse_birth_date(_text(claims, "NgayThangNamSinh", "birthdate")),
        email=_text(claims, "ThuDienTu", "email"),
        phone=_text(claims, "SoDienThoai", "phone_number"),
        address=_text(claims, "DiaChi", "ThuongTru"),
        assurance=_assurance(provider, claims),
        claims=claims,
    )
