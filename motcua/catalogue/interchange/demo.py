"""The demo catalogue: a few hundred real procedures picked from the national data, each
with a generated process template. Used by `extract_demo_catalogue`; the rules are stated
in docs/catalogue-import.md ("The demo file").
"""

from collections.abc import Iterable
from decimal import ROUND_DOWN, Decimal
from typing import Any

from motcua.organisations.roles import Role

from ..models import Level, TimeUnit
from .parse import RecordError, parse_record

TEMPLATE_SOURCE = "generated for the demo"
# Every commune-level procedure of these fields (what a commune one-stop desk handles most).
COMMUNE_FIELDS = ("Hộ tịch", "Chứng thực", "Đăng ký, quản lý cư trú")
# Province-level procedures of these fields, at most PROVINCE_LIMIT each, by code.
PROVINCE_FIELDS = (
    "Lý lịch tư pháp",
    "Quốc tịch",
    "Nuôi con nuôi",
    "Công chứng",
    "Luật sư",
    "Thừa phát lại",
    "Trợ giúp pháp lý",
    "Giám định tư pháp",
    "Đấu giá tài sản",
    "Đất đai",
    "Hoạt động xây dựng",
)
PROVINCE_LIMIT = 30
_SAME_DAY = (
    "added for the demo: Decree 23/2015/NĐ-CP art. 7.1, the same working day (the next one "
    "when received after 15:00)"
)
_TWO_DAYS = (
    "added for the demo: Decree 23/2015/NĐ-CP art. 7.2, at most 2 working days for a "
    "contract or transaction, its amendment or cancellation"
)
# Commune procedures the demo needs whose national record has no time limit: the limit the
# law sets, marked in the record ("time_limit_source"). Recalled, not checked against the
# text; docs/catalogue-import.md lists them.
DEMO_TIME_LIMITS = {
    "2.000815": (1, _SAME_DAY),
    "2.000884": (1, _SAME_DAY),
    "2.000992": (1, _SAME_DAY),
    "2.001008": (1, _SAME_DAY),
    "2.000913": (2, _TWO_DAYS),
    "2.001016": (2, _TWO_DAYS),
    "2.001019": (2, _TWO_DAYS),
    "2.001035": (2, _TWO_DAYS),
    "2.001406": (2, _TWO_DAYS),
    "2.000635": (
        1,
        "added for the demo: the procedure's own steps return the copy the same working "
        "day (the next one when received after 15:00)",
    ),
}

HOURS_PER_DAY = Decimal(8)
WORKING_DAYS_PER_MONTH = Decimal(22)
# (name, role, share of the budget when the limit is under 5 working days, fixed hours at or
# above it). Appraisal takes what the others leave.
STEPS = (
    ("Tiếp nhận hồ sơ", Role.RECEIVING_CLERK, Decimal("0.10"), Decimal(4)),
    ("Phân công xử lý", Role.DEPARTMENT_HEAD, Decimal("0.10"), Decimal(4)),
    ("Thẩm định hồ sơ", Role.SPECIALIST, None, None),
    ("Phê duyệt, ký kết quả", Role.LEADER, Decimal("0.20"), Decimal(8)),
    ("Trả kết quả", Role.RECEIVING_CLERK, Decimal("0.10"), Decimal(4)),
)
FIXED_FROM_HOURS = Decimal(40)
CENT = Decimal("0.01")


def select_demo_records(records: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """The chosen national records, in code order, each with its process template; records
    the importer would skip, or without a time limit to share out, are left out."""
    commune: list[dict[str, Any]] = []
    province: dict[str, list[dict[str, Any]]] = {name: [] for name in PROVINCE_FIELDS}
    for data in sorted(records, key=lambda d: str(d.get("code"))):
        levels, field = data.get("levels") or [], data.get("field")
        if Level.COMMUNE in levels and field in COMMUNE_FIELDS:
            commune.append(data)
        elif Level.PROVINCE in levels and field in province:
            province[field].append(data)
    picked = commune + [d for group in province.values() for d in group[:PROVINCE_LIMIT]]
    return [demo for data in picked if (demo := with_template(data)) is not None]


def with_template(data: dict[str, Any]) -> dict[str, Any] | None:
    demo = {**data, "source": _lean_source(data.get("source"))}
    if demo["code"] in DEMO_TIME_LIMITS:
        days, why = DEMO_TIME_LIMITS[demo["code"]]
        demo.update(time_limit_value=days, time_limit_unit=TimeUnit.WORKING_DAYS.value)
        demo["time_limit_source"] = why
    try:
        record = parse_record(demo)
    except RecordError:
        return None
    hours = budget_hours(record.values["time_limit_value"], record.values["time_limit_unit"])
    if not hours:
        return None
    demo["steps"] = process_template(hours)
    demo["process_template_source"] = TEMPLATE_SOURCE
    return demo


def _lean_source(source: Any) -> dict[str, Any]:
    """Drop `extraction`, the same sentence repeated on every record."""
    return {k: v for k, v in (source or {}).items() if k != "extraction"}


def budget_hours(value: Decimal | None, unit: str) -> Decimal | None:
    """The time limit in working hours, 8 a working day (the engine of the provincial
    systems counts in hours). Calendar days count 5/7 as working days, rounded down, at
    least one; a month counts 22 working days."""
    if value is None or not unit:
        return None
    if unit == TimeUnit.HOURS:
        return value
    if unit == TimeUnit.CALENDAR_DAYS:
        days = max((value * 5 / 7).to_integral_value(ROUND_DOWN), Decimal(1))
        return days * HOURS_PER_DAY
    if unit == TimeUnit.MONTHS:
        return value * WORKING_DAYS_PER_MONTH * HOURS_PER_DAY
    return value * HOURS_PER_DAY


def process_template(hours: Decimal) -> list[dict[str, Any]]:
    """Five steps whose budgets add up to `hours`: from 5 working days on, receiving,
    assigning and returning get half a day each and approval a day; below that every step
    gets its share (10/10/50/20/10 %). Appraisal takes the rest."""
    fixed = hours >= FIXED_FROM_HOURS
    budgets = [
        None if share is None else (hours_ if fixed else (hours * share).quantize(CENT))
        for _name, _role, share, hours_ in STEPS
    ]
    budgets[2] = hours - sum(b for b in budgets if b is not None)
    return [
        {"order": i, "name": name, "role": role.value, "budget_hours": float(budget)}
        for i, ((name, role, _share, _hours), budget) in enumerate(
            zip(STEPS, budgets, strict=True), start=1
        )
    ]
