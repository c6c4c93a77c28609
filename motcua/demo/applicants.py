"""Applicants of the demo's live dossiers: fake but plausible residents of Hà Tĩnh.

Names follow the usual family / middle / given order (a woman's middle name often "Thị"),
addresses name a real ward or commune of the province after the 2025 reform (no district),
and identity numbers pass the counter's checks (dossiers.identity): a personal identity
number starts with 042, Hà Tĩnh's code, then the century-and-sex digit and the year of
birth; a tax code carries its check digit. Drawn from a seeded generator: the same seed
gives the same people.
"""

import random
from dataclasses import dataclass

from motcua.catalogue.models import ApplicantType
from motcua.dossiers.applicants import Applicant
from motcua.dossiers.identity import tax_check_digit

HA_TINH = "042"  # Circular 07/2016/TT-BCA: the province code in personal identity numbers
FAMILY = [
    "Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Phan", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ",
    "Ngô", "Dương", "Đinh", "Trương", "Thái", "Đào", "Lương",
]  # fmt: skip
MEN = [
    ("Văn", "Hùng"), ("Đức", "Thắng"), ("Minh", "Tuấn"), ("Quốc", "Bảo"), ("Hữu", "Nghĩa"),
    ("Văn", "Toàn"), ("Xuân", "Trường"), ("Công", "Sơn"), ("Đình", "Khánh"), ("Thanh", "Tùng"),
    ("Văn", "Lợi"), ("Anh", "Dũng"), ("Quang", "Huy"), ("Trọng", "Hiếu"), ("Văn", "Thành"),
]  # fmt: skip
WOMEN = [
    ("Thị", "Hương"), ("Thị", "Lan Anh"), ("Thu", "Trang"), ("Thị", "Hằng"), ("Ngọc", "Ánh"),
    ("Thị", "Thúy"), ("Thị Kim", "Oanh"), ("Phương", "Thảo"), ("Thị", "Nhung"), ("Hải", "Yến"),
    ("Thị", "Hoài"), ("Thùy", "Linh"), ("Thị", "Phượng"), ("Minh", "Châu"), ("Thị", "Sen"),
]  # fmt: skip
# Streets of the provincial capital (phường Thành Sen) and villages of the rural communes.
STREETS = [
    "Trần Phú", "Phan Đình Phùng", "Hà Huy Tập", "Nguyễn Du", "Lê Duẩn", "Xuân Diệu",
    "Nguyễn Công Trứ", "Hải Thượng Lãn Ông", "Võ Liêm Sơn", "Nguyễn Huy Tự", "Mai Thúc Loan",
]  # fmt: skip
PLACES = ["phường Thành Sen", "xã Thạch Hà", "phường Trần Phú", "xã Cẩm Xuyên", "xã Can Lộc"]
MOBILE = ["091", "094", "088", "097", "098", "096", "086", "033", "035", "038", "039", "083"]
COMPANIES = [
    "Công ty TNHH Xây dựng và Thương mại Hồng Lam",
    "Công ty Cổ phần Tư vấn Thiết kế Sông La",
    "Công ty TNHH MTV Xây lắp Thiên Cầm",
]


@dataclass(frozen=True)
class Person:
    applicant: Applicant
    born: int
    female: bool


class People:
    """Draws applicants; each name is given once."""

    def __init__(self, seed: int, year: int):
        self.rng = random.Random(seed)
        self.year = year
        self.given: set[str] = set()

    def citizen(self, *, place: str = "", female: bool | None = None, age=(22, 70)) -> Person:
        r = self.rng
        female = r.random() < 0.5 if female is None else female
        name = self._name(female)
        born = self.year - r.randint(*age)
        # Circular 59/2021/TT-BCA art. 7: 0/1 a man/woman born in the 20th century, 2/3 in
        # the 21st; then the last two digits of the year and six digits.
        century = (born // 100 - 19) * 2 + int(female)
        serial = r.randint(1, 999_999)
        number = f"{HA_TINH}{century}{born % 100:02d}{serial:06d}"
        applicant = Applicant(
            ApplicantType.CITIZEN,
            name,
            number,
            phone=self._phone(),
            address=self._address(place),
        )
        return Person(applicant, born, female)

    def company(self, *, place: str = "") -> Applicant:
        """An enterprise with a tax code of the province's tax department (30...)."""
        r = self.rng
        while True:
            first_nine = f"3001{r.randint(0, 99_999):05d}"
            check = tax_check_digit(first_nine)
            if check is not None:
                break
        name = COMPANIES[r.randrange(len(COMPANIES))]
        return Applicant(
            ApplicantType.ENTERPRISE,
            name,
            f"{first_nine}{check}",
            phone=f"0239{r.randint(3_800_000, 3_899_999)}",  # Hà Tĩnh's landline area code
            address=self._address(place),
        )

    def _name(self, female: bool) -> str:
        r = self.rng
        middles = WOMEN if female else MEN
        while True:
            middle, given = middles[r.randrange(len(middles))]
            name = f"{FAMILY[r.randrange(len(FAMILY))]} {middle} {given}"
            if name not in self.given:
                self.given.add(name)
                return name

    def _phone(self) -> str:
        r = self.rng
        return f"{MOBILE[r.randrange(len(MOBILE))]}{r.randint(0, 9_999_999):07d}"

    def _address(self, place: str) -> str:
        r = self.rng
        place = place or PLACES[r.randrange(len(PLACES))]
        if place.startswith("phường"):
            street = STREETS[r.randrange(len(STREETS))]
            where = f"Số {r.randint(1, 180)} đường {street}, {place}"
        else:
            where = f"Thôn {r.randint(1, 12)}, {place}"
        return f"{where}, tỉnh Hà Tĩnh"
