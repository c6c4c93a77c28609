"""Identity numbers by type, checked by their published structure (pure: no ORM).

- Personal identity number (số định danh cá nhân, printed on the CCCD), 12 digits:
  Circular 59/2021/TT-BCA art. 7 (earlier Circular 07/2016/TT-BCA art. 7): 3 digits for the
  province where the birth was registered, 1 digit for century and sex, 2 digits for the
  year of birth, 6 random digits.
- Old identity card (CMND), 9 digits: Decree 05/1999/NĐ-CP; no longer issued, kept only so
  that history can be recorded as it was (issue 14). Only the digits are checked.
- Passport of a foreigner: letters and digits, 6 to 9 characters (the document number field
  of the ICAO 9303 machine-readable zone holds 9).
- Tax code (mã số thuế): Circular 105/2020/TT-BTC art. 5: 10 digits, the 10th a check digit,
  or 13 digits for a dependent unit (the 10-digit code + 3 digits 001–999, written with a
  dash). The check digit rule is the General Department of Taxation's, confirmed on
  published codes (0100109106 Viettel, 0100112437 Vietcombank, 0300588569 Vinamilk,
  0101248141 FPT).
"""

import re
from collections.abc import Callable
from datetime import date

from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

# Circular 07/2016/TT-BCA annex (kept by Circular 59/2021/TT-BCA): the 63 provinces as they
# were before the 2025 merger. After the 34-province reorganisation (Resolution
# 202/2025/QH15) numbers are still issued with these codes as far as is known (moderate
# confidence: no new code table had been published when this was written); a number already
# issued never changes, so these codes stay valid for everyone alive.
PROVINCE_CODES: dict[str, str] = {
    "001": "Hà Nội", "002": "Hà Giang", "004": "Cao Bằng", "006": "Bắc Kạn",
    "008": "Tuyên Quang", "010": "Lào Cai", "011": "Điện Biên", "012": "Lai Châu",
    "014": "Sơn La", "015": "Yên Bái", "017": "Hòa Bình", "019": "Thái Nguyên",
    "020": "Lạng Sơn", "022": "Quảng Ninh", "024": "Bắc Giang", "025": "Phú Thọ",
    "026": "Vĩnh Phúc", "027": "Bắc Ninh", "030": "Hải Dương", "031": "Hải Phòng",
    "033": "Hưng Yên", "034": "Thái Bình", "035": "Hà Nam", "036": "Nam Định",
    "037": "Ninh Bình", "038": "Thanh Hóa", "040": "Nghệ An", "042": "Hà Tĩnh",
    "044": "Quảng Bình", "045": "Quảng Trị", "046": "Thừa Thiên Huế", "048": "Đà Nẵng",
    "049": "Quảng Nam", "051": "Quảng Ngãi", "052": "Bình Định", "054": "Phú Yên",
    "056": "Khánh Hòa", "058": "Ninh Thuận", "060": "Bình Thuận", "062": "Kon Tum",
    "064": "Gia Lai", "066": "Đắk Lắk", "067": "Đắk Nông", "068": "Lâm Đồng",
    "070": "Bình Phước", "072": "Tây Ninh", "074": "Bình Dương", "075": "Đồng Nai",
    "077": "Bà Rịa - Vũng Tàu", "079": "Hồ Chí Minh", "080": "Long An", "082": "Tiền Giang",
    "083": "Bến Tre", "084": "Trà Vinh", "086": "Vĩnh Long", "087": "Đồng Tháp",
    "089": "An Giang", "091": "Kiên Giang", "092": "Cần Thơ", "093": "Hậu Giang",
    "094": "Sóc Trăng", "095": "Bạc Liêu", "096": "Cà Mau",
}  # fmt: skip
OLDEST_AGE = 130
TAX_WEIGHTS = (31, 29, 23, 19, 17, 13, 7, 5, 3)
PASSPORT = re.compile(r"^[A-Z0-9]{6,9}$")
TAX_CODE = re.compile(r"^(\d{10})(?:-?(\d{3}))?$")


class IdentityType(models.TextChoices):
    PERSONAL_ID = "personal_id", _("Personal identity number (12 digits)")
    OLD_ID_CARD = "old_id_card", _("Old identity card (9 digits)")
    PASSPORT = "passport", _("Passport")
    TAX_CODE = "tax_code", _("Tax code")
    NONE = "none", _("No number")


class IdentityError(ValueError):
    """A number that does not follow its type's rule: a stable `code`, a translated `message`."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


def validate(kind: str, number: str, *, today: date | None = None) -> str:
    """The number normalised (spaces removed, letters upper-cased), or IdentityError."""
    number = "".join(number.split()).upper()
    if kind == IdentityType.NONE:
        return _none(number)
    if kind not in CHECKS:
        raise IdentityError("unknown_identity_type", gettext("Unknown identity document type."))
    return CHECKS[kind](number, today or date.today())


def _none(number: str) -> str:
    if number:
        raise IdentityError("unexpected_number", gettext("No number is expected here."))
    return ""


def check_personal_id(number: str, today: date) -> str:
    """Circular 59/2021/TT-BCA art. 7: province (3), century and sex (1), year (2), serial (6)."""
    if not re.fullmatch(r"\d{12}", number):
        raise IdentityError(
            "personal_id_format", gettext("A personal identity number has exactly 12 digits.")
        )
    province, year, serial = number[:3], birth_year(number), number[6:]
    if province not in PROVINCE_CODES:
        raise IdentityError(
            "personal_id_province",
            gettext("The first three digits %(code)s are not a province code.")
            % {"code": province},
        )
    if year > today.year:
        raise IdentityError(
            "personal_id_future",
            gettext("The birth year %(year)s is in the future.") % {"year": year},
        )
    if year < today.year - OLDEST_AGE:
        raise IdentityError(
            "personal_id_too_old",
            gettext("The birth year %(year)s is more than %(age)s years ago.")
            % {"year": year, "age": OLDEST_AGE},
        )
    if serial == "000000":
        raise IdentityError(
            "personal_id_serial", gettext("The last six digits cannot all be zero.")
        )
    return number


def birth_year(number: str) -> int:
    """Digit 4: 0/1 20th century (male/female), 2/3 21st, 4/5 22nd, 6/7 23rd, 8/9 24th."""
    return 1900 + int(number[3]) // 2 * 100 + int(number[4:6])


def check_old_id_card(number: str, today: date) -> str:
    if not re.fullmatch(r"\d{9}", number):
        raise IdentityError(
            "old_id_card_format", gettext("An old identity card number has exactly 9 digits.")
        )
    return number


def check_passport(number: str, today: date) -> str:
    if not PASSPORT.match(number):
        raise IdentityError(
            "passport_format", gettext("A passport number has 6 to 9 letters and digits.")
        )
    return number


def check_tax_code(number: str, today: date) -> str:
    """Circular 105/2020/TT-BTC art. 5: 10 digits with a check digit, or + 3-digit branch."""
    match = TAX_CODE.match(number)
    if not match:
        raise IdentityError(
            "tax_code_format",
            gettext("A tax code has 10 digits, or 10 digits, a dash and 3 digits for a branch."),
        )
    code, branch = match.groups()
    if tax_check_digit(code[:9]) != int(code[9]):
        raise IdentityError(
            "tax_code_check_digit",
            gettext("The tax code %(code)s fails its check digit: a digit was mistyped.")
            % {"code": code},
        )
    if branch == "000":
        raise IdentityError(
            "tax_code_branch", gettext("A branch suffix runs from 001 to 999, not 000.")
        )
    return f"{code}-{branch}" if branch else code


def tax_check_digit(first_nine: str) -> int | None:
    """10 − (Σ digit × weight mod 11) with weights 31, 29, 23, 19, 17, 13, 7, 5, 3; a result
    of 10 has no digit (None: no valid code begins with these nine digits)."""
    total = sum(int(d) * w for d, w in zip(first_nine, TAX_WEIGHTS, strict=True))
    check = 10 - total % 11
    return None if check == 10 else check


CHECKS: dict[str, Callable[[str, date], str]] = {
    IdentityType.PERSONAL_ID: check_personal_id,
    IdentityType.OLD_ID_CARD: check_old_id_card,
    IdentityType.PASSPORT: check_passport,
    IdentityType.TAX_CODE: check_tax_code,
}
