"""The arithmetic of the quality indicators. Pure: no ORM, no settings.

* The nine indicators of Circular 01/2018/TT-VPCP arts. 13-15 (domain.md §7.2): each scores
  2, 1 or 0 points; an indicator's score is the mean over dossiers rounded to one decimal;
  a unit's total (at most 18) and an officer's total give a grade.
* The QĐ 766/QĐ-TTg groups (domain.md §7.3): each figure is a ratio with a rule that turns
  it into points (the F766 formula sheet and the TH-SYS implementation).
* A procedure's time limit in working hours, to check its step budgets (supervision).

docs/indicators.md writes every formula out, with its source and the choices made where
the texts disagree. Decimals throughout, so that a mean is rounded once, half up, as a
person with a calculator would.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _

ONE_DECIMAL = Decimal("0.1")
TWO_DECIMALS = Decimal("0.01")


class Timing(models.TextChoices):
    """When a dossier or a step ended against its deadline (dossiers.timeleft rule)."""

    EARLY = "early", _("Early")
    ON_TIME = "on_time", _("On time")
    LATE = "late", _("Late")


# --- The nine indicators (Circular 01/2018 art. 13) -----------------------------------------

TIME_POINTS = {Timing.EARLY: 2, Timing.ON_TIME: 1, Timing.LATE: 0}
WORST_FIRST = (Timing.LATE, Timing.ON_TIME, Timing.EARLY)


def total_time(timing: str) -> int:
    """Indicator 1: total time against the legal limit: shorter 2, equal 1, longer 0."""
    return TIME_POINTS[Timing(timing)]


def worst(timings: Iterable[str]) -> Timing | None:
    seen = {Timing(t) for t in timings}
    return next((t for t in WORST_FIRST if t in seen), None)


def unit_time(timings: Iterable[str]) -> int | None:
    """Indicator 2: time at each unit against its allotment. Every step shorter 2, none
    longer 1, any longer 0; None without a timed step."""
    found = worst(timings)
    return None if found is None else TIME_POINTS[found]


def contacts(count: int) -> int:
    """Indicator 3: contacts needed to complete the dossier: none 2, one 1, more 0."""
    if count < 0:
        raise ValueError("a count of contacts cannot be negative")
    return {0: 2, 1: 1}.get(count, 0)


def agencies_contacted(one_stop_contacts: int, other_agencies: int) -> int:
    """Indicator 4: agencies contacted to complete the dossier: none 2, only the one-stop
    section 1, more 0."""
    if min(one_stop_contacts, other_agencies) < 0:
        raise ValueError("counts cannot be negative")
    if other_agencies:
        return 0
    return 1 if one_stop_contacts else 2


def publication(posted: bool, electronic: bool) -> int:
    """Indicator 6: the procedure posted at the office and published electronically: both
    2, one 1, neither 0."""
    return int(bool(posted)) + int(bool(electronic))


def attitude(timing: str, founded_complaint: bool) -> int:
    """Indicator 7: early and no founded complaint 2, on time and none 1; a founded
    complaint, or a late result, 0."""
    return 0 if founded_complaint else TIME_POINTS[Timing(timing)]


# Indicator 5's quota of procedures run in full at the one-stop section, by the level of
# the unit (art. 13.5). Districts were abolished in 2025; their quota is kept for history.
FULL_CYCLE_QUOTA = {
    "ministry": Decimal("0.20"),
    "province": Decimal("0.20"),
    "district": Decimal("0.50"),
    "commune": Decimal(1),
}


def full_cycle(level: str, procedures: int, full: int, received_and_returned: int) -> int | None:
    """Indicator 5: of the unit's `procedures`, `full` were received, appraised, approved
    and returned at the one-stop section: the level's quota or more 2; otherwise every
    procedure at least received and returned there 1; else 0. None without procedures."""
    if not 0 <= full <= procedures or not 0 <= received_and_returned <= procedures:
        raise ValueError("parts must lie between 0 and the number of procedures")
    if procedures == 0:
        return None
    if Decimal(full) / procedures >= FULL_CYCLE_QUOTA[level]:
        return 2
    return 1 if received_and_returned == procedures else 0


def complaints(received: int, on_time: int, long_running: int = 0) -> int:
    """Indicator 8: complaints and feedback handled on time: all (or none received) 2, at
    least 90% 1, less or any long-running 0."""
    if not 0 <= on_time <= received or long_running < 0:
        raise ValueError("on time must lie between 0 and the number received")
    if long_running:
        return 0
    if received == on_time:
        return 2
    return 1 if Decimal(on_time) / received >= Decimal("0.9") else 0


def online(
    procedures: int, online_procedures: int, dossiers: int, online_dossiers: int, online_late: int
) -> int | None:
    """Indicator 9: at least 20% of procedures online (level 3/4: partial or end-to-end),
    at least 30% of dossiers filed online and no online dossier late 2; some procedures
    online, at least 15% of dossiers online and none late 1; else 0. None when the unit
    has no procedure or received no dossier."""
    if not 0 <= online_procedures <= procedures or not 0 <= online_dossiers <= dossiers:
        raise ValueError("parts must lie between 0 and their whole")
    if online_late < 0:
        raise ValueError("a count cannot be negative")
    if procedures == 0 or dossiers == 0:
        return None
    share = Decimal(online_dossiers) / dossiers
    if online_late:
        return 0
    if Decimal(online_procedures) / procedures >= Decimal("0.2") and share >= Decimal("0.3"):
        return 2
    return 1 if online_procedures and share >= Decimal("0.15") else 0


def mean_points(points: Sequence[int | None]) -> Decimal | None:
    """An indicator's score: the mean of the dossiers' points, one decimal, half up; None
    (N/A) without a scored dossier. Dossiers without points (None) are left out."""
    scored = [p for p in points if p is not None]
    if not scored:
        return None
    return (Decimal(sum(scored)) / len(scored)).quantize(ONE_DECIMAL, ROUND_HALF_UP)


def mean_of(points: int, dossiers: int) -> Decimal | None:
    """`mean_points` from the sum of the points and the number of dossiers scored."""
    if dossiers == 0:
        return None
    return (Decimal(points) / dossiers).quantize(ONE_DECIMAL, ROUND_HALF_UP)


def total(scores: Iterable[Decimal | int | None]) -> Decimal | None:
    """The sum of indicator scores; None if any is N/A (a grade needs every indicator)."""
    values = list(scores)
    if any(v is None for v in values):
        return None
    return sum((Decimal(v) for v in values), Decimal(0))


# --- Grades (Circular 01/2018 art. 15) ------------------------------------------------------


class UnitGrade(models.TextChoices):
    EXCELLENT = "excellent", _("Excellent")
    GOOD = "good", _("Good")
    FAIRLY_GOOD = "fairly_good", _("Fairly good")
    AVERAGE = "average", _("Average")
    WEAK = "weak", _("Weak")


class StaffGrade(models.TextChoices):
    ALL_TASKS = "all_tasks", _("100% of tasks done")
    MOST_TASKS = "most_tasks", _("70% to under 100% of tasks done")
    FEW_TASKS = "few_tasks", _("Under 70% of tasks done")


UNIT_GRADES = (
    (Decimal(15), UnitGrade.EXCELLENT),
    (Decimal(12), UnitGrade.GOOD),
    (Decimal(9), UnitGrade.FAIRLY_GOOD),
    (Decimal(6), UnitGrade.AVERAGE),
)
STAFF_GRADES = ((Decimal(5), StaffGrade.ALL_TASKS), (Decimal("3.5"), StaffGrade.MOST_TASKS))
UNIT_MAXIMUM = 18  # nine indicators of 2 points
STAFF_INDICATORS = (2, 3, 7)  # the indicators an officer acts on directly (docs)
STAFF_MAXIMUM = 2 * len(STAFF_INDICATORS)


def _grade(points: Decimal | None, table, lowest):
    if points is None:
        return None
    return next((grade for floor, grade in table if points >= floor), lowest)


def unit_grade(points: Decimal | None) -> UnitGrade | None:
    """≥15 excellent, 12 to <15 good, 9 to <12 fairly good, 6 to <9 average, <6 weak."""
    return _grade(points, UNIT_GRADES, UnitGrade.WEAK)


def staff_grade(points: Decimal | None) -> StaffGrade | None:
    """≥5 all tasks, 3.5 to <5 70-100% of tasks, <3.5 under 70%."""
    return _grade(points, STAFF_GRADES, StaffGrade.FEW_TASKS)


# --- QĐ 766 figures -------------------------------------------------------------------------


class Group(models.TextChoices):
    PUBLICITY = "publicity", _("Publicity and transparency")
    PROGRESS = "progress", _("Progress of resolution")
    ONLINE = "online", _("Online public services")
    PAYMENT = "payment", _("Online payment")
    DIGITISATION = "digitisation", _("Digitisation")
    SATISFACTION = "satisfaction", _("Satisfaction")


class Rule(models.TextChoices):
    LINEAR = "linear", _("rate × maximum")
    PROPORTIONAL = "proportional", _("maximum from the target, rate × maximum ÷ target below")
    THRESHOLD = "threshold", _("maximum from the target, 0 below")
    INFORMATION = "information", _("shown without points")


@dataclass(frozen=True)
class FigureRule:
    group: str
    maximum: Decimal
    rule: str
    target: Decimal | None = None


def _r(group, maximum, rule, target=None) -> FigureRule:
    return FigureRule(
        group, Decimal(str(maximum)), rule, None if target is None else Decimal(target)
    )


G, R = Group, Rule
# Points per figure (docs/indicators.md): TH-SYS's where it codes them (progress 20, online
# 2 + 4 + 6, payment, digitisation 6 + 4 + 2); otherwise the group's commonly shown maximum
# shared equally among its F766 figures.
RULES_766: dict[str, FigureRule] = {
    "1.1": _r(G.PUBLICITY, "4.5", R.LINEAR),
    "1.2": _r(G.PUBLICITY, "4.5", R.LINEAR),
    "1.3": _r(G.PUBLICITY, "4.5", R.LINEAR),
    "1.4": _r(G.PUBLICITY, "4.5", R.LINEAR),
    "2.1": _r(G.PROGRESS, 20, R.LINEAR),
    "2.2": _r(G.PROGRESS, 0, R.INFORMATION),
    "3.1": _r(G.ONLINE, 2, R.PROPORTIONAL, "0.8"),
    "3.2": _r(G.ONLINE, 4, R.LINEAR),
    "3.3": _r(G.ONLINE, 6, R.PROPORTIONAL, "0.5"),
    "3.5": _r(G.PAYMENT, 4, R.PROPORTIONAL, "0.8"),
    "3.6": _r(G.PAYMENT, 6, R.THRESHOLD, "0.3"),
    "4.1": _r(G.DIGITISATION, 6, R.LINEAR),
    "4.2": _r(G.DIGITISATION, 4, R.THRESHOLD, "0.8"),
    "4.3": _r(G.DIGITISATION, 2, R.THRESHOLD, "0.8"),
    "4.4": _r(G.DIGITISATION, 5, R.LINEAR),
    "4.5": _r(G.DIGITISATION, 5, R.LINEAR),
    "5.1": _r(G.SATISFACTION, "4.5", R.LINEAR),
    "5.2": _r(G.SATISFACTION, "4.5", R.LINEAR),
    "5.3": _r(G.SATISFACTION, "4.5", R.LINEAR),
    "5.4": _r(G.SATISFACTION, "4.5", R.PROPORTIONAL, "0.9"),
}


@dataclass(frozen=True)
class Ratio:
    numerator: Decimal | int
    denominator: Decimal | int

    def __post_init__(self):
        if self.denominator < 0 or self.numerator < 0:
            raise ValueError("a ratio of counts cannot be negative")

    @property
    def rate(self) -> Decimal | None:
        """numerator ÷ denominator, capped at 1; None (N/A) for a zero denominator."""
        if not self.denominator:
            return None
        return min(Decimal(self.numerator) / Decimal(self.denominator), Decimal(1))

    @property
    def percent(self) -> Decimal | None:
        rate = self.rate
        return None if rate is None else (rate * 100).quantize(TWO_DECIMALS, ROUND_HALF_UP)


def figure_points(code: str, rate: Decimal | None) -> Decimal | None:
    """The points of QĐ 766 figure `code` for `rate` (0..1), two decimals; None for N/A
    (no denominator) and for figures shown without points."""
    rule = RULES_766[code]
    if rate is None or rule.rule == Rule.INFORMATION:
        return None
    rate = max(Decimal(0), min(Decimal(rate), Decimal(1)))
    if rule.rule == Rule.LINEAR:
        points = rate * rule.maximum
    elif rule.rule == Rule.PROPORTIONAL:
        points = min(rate / rule.target, Decimal(1)) * rule.maximum
    else:
        points = rule.maximum if rate >= rule.target else Decimal(0)
    return points.quantize(TWO_DECIMALS, ROUND_HALF_UP)


def plain(value: Decimal) -> Decimal:
    """18.0 -> 18, 4.50 -> 4.5 (never 2E+1): for showing maxima."""
    return value.quantize(Decimal(1)) if value == value.to_integral_value() else value.normalize()


def group_maximum(group: str) -> Decimal:
    return plain(sum((r.maximum for r in RULES_766.values() if r.group == group), Decimal(0)))


# --- Step budgets against the time limit (supervision) --------------------------------------

WORKING_DAYS_PER_MONTH = 22


@dataclass(frozen=True)
class LimitHours:
    hours: Decimal
    exact: bool  # False: calendar days or months, converted by an average


def limit_in_working_hours(
    value: Decimal | None, unit: str, day_hours: Decimal
) -> LimitHours | None:
    """A time limit as working hours, a working day being `day_hours` (the calendar's).
    Working days and hours convert exactly; calendar days count 5/7 as working days
    (rounded down, at least one) and a month 22 working days, approximately. None without
    a limit."""
    if value is None or not unit:
        return None
    value = Decimal(value)
    if unit == "working_hours":
        return LimitHours(value, True)
    if unit == "working_days":
        return LimitHours(value * day_hours, True)
    if unit == "calendar_days":
        days = max((value * 5 / 7).to_integral_value(ROUND_DOWN), Decimal(1))
        return LimitHours(days * day_hours, False)
    if unit == "months":
        return LimitHours(value * WORKING_DAYS_PER_MONTH * day_hours, False)
    raise ValueError(f"unknown time unit {unit!r}")
