"""What a supervisor watches across the agencies they cover (a province, or any set of
agencies: organisations.permissions with Capability.SUPERVISE):

* units that record too few dossiers: fewer than LOW_VOLUME received in a month, per month
  of the period (a month cut by the period or by today gets a pro-rata threshold);
* open dossiers due within 24 working hours, and overdue ones (by the on-time rule: once the
  appointment's day is over, dossiers.timeleft), naming the unit and the
  officer answerable now: the step in progress and its assignee; before hand-over the
  receiving agency and the clerk who received it. Dossiers whose clock is paused (waiting
  for the applicant) have a provisional appointment and are left out, as in the queues;
* apologies issued in the period (Decree 61/2018 art. 19.9);
* procedures whose process template is missing, or whose step budgets do not add up to the
  legal time limit in working hours (the calendar's working day; scoring.limit_in_working_
  hours). A limit in calendar days or months converts only approximately, so it is
  reported only when the budgets differ by more than a working day.

A dossier belongs to the agencies that received it, resolve it or hold one of its steps
(dossiers.permissions), so the lists link to dossier pages the supervisor may open.
"""

import math
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from django.db import models
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua.catalogue.models import Procedure
from motcua.dossiers.deadlines import DUE_SOON_WORKING_HOURS
from motcua.dossiers.models import Apology, Dossier, DossierStep
from motcua.dossiers.status import Status
from motcua.dossiers.timeleft import OnTimeRule, is_overdue, overdue_before
from motcua.organisations.models import Agency, ReceptionPoint
from motcua.workdays.calendar import WorkCalendar
from motcua.workdays.loader import get_calendar

from . import quality_facts as facts
from . import quality_reads, scoring
from .scope import Period, Scope, month_end

# Fewer dossiers than this received in a month suggests a unit that does not record the
# dossiers it receives (the provincial office's threshold, set in the brief for issue 4).
LOW_VOLUME = 70
LIST_LIMIT = 200
TEMPLATE_LIMIT = 50


@dataclass(frozen=True)
class LowVolume:
    agency: Agency
    month: date
    received: int
    threshold: int
    partial: bool  # the month is cut by the period or by today


@dataclass(frozen=True)
class LowDigitisation:
    agency: Agency
    digitised: int
    received: int

    @property
    def percent(self) -> Decimal:
        return (Decimal(100) * self.digitised / self.received).quantize(Decimal("0.1"))


@dataclass(frozen=True)
class Pending:
    """An open dossier and who answers for it now."""

    dossier: Dossier
    unit: Agency
    officer: object  # a user, or None when no one is assigned
    step: DossierStep | None
    step_late: bool


class Reason(models.TextChoices):
    MISSING = "missing", _("No process template")
    EXCEEDS = "exceeds", _("Step budgets exceed the time limit")
    SHORT = "short", _("Step budgets fall short of the time limit")
    NO_LIMIT = "no_limit", _("No time limit to compare with")


@dataclass(frozen=True)
class TemplateProblem:
    procedure: Procedure
    reason: str
    steps: int
    budget: Decimal | None  # working hours
    limit: scoring.LimitHours | None

    @property
    def label(self):
        return Reason(self.reason).label

    @property
    def difference(self) -> Decimal | None:
        if self.budget is None or self.limit is None:
            return None
        return self.budget - self.limit.hours


@dataclass
class Supervision:
    period: Period
    now: datetime
    day_hours: Decimal
    low_volume: list[LowVolume] = field(default_factory=list)
    low_digitisation: list[LowDigitisation] = field(default_factory=list)
    due_soon: list[Pending] = field(default_factory=list)
    overdue: list[Pending] = field(default_factory=list)
    apologies: list[Apology] = field(default_factory=list)
    templates: list[TemplateProblem] = field(default_factory=list)
    templates_total: int = 0
    templates_by_reason: list[tuple[str, object, int]] = field(default_factory=list)


def dossiers_of(agency_ids: set[int] | None) -> QuerySet[Dossier]:
    if agency_ids is None:
        return Dossier.objects.all()
    ids = list(agency_ids)
    has_step = Exists(DossierStep.objects.filter(dossier=OuterRef("pk"), agency__in=ids))
    return Dossier.objects.filter(
        Q(receiving_agency__in=ids) | Q(competent_agency__in=ids) | has_step
    )


# --- Units that record too few dossiers -----------------------------------------------------


def receiving_units(agency_ids: set[int] | None, period: Period | None = None) -> QuerySet[Agency]:
    """Agencies that receive dossiers: with a reception point, or that ever received one;
    for a period, those that existed during it, including agencies since abolished or
    merged (issue 14 §4: a past period shows the agencies of that period)."""
    has_point = Exists(ReceptionPoint.objects.filter(agency=OuterRef("pk")))
    received = Exists(Dossier.objects.filter(receiving_agency=OuterRef("pk")))
    if period is None:
        agencies = Agency.objects.active()
    else:
        existed = Agency.objects.existed_during(period.first, period.last)
        agencies = existed.filter(Q(is_active=True) | Q(valid_until__isnull=False))
    agencies = agencies.filter(has_point | received)
    if agency_ids is not None:
        agencies = agencies.filter(pk__in=list(agency_ids))
    return agencies.order_by("name")


def _existed(agency: Agency, part: Period) -> bool:
    """Did `agency` exist on some day of `part` (valid_until is the day it ended)?"""
    began = agency.valid_from is None or agency.valid_from <= part.last
    return began and (agency.valid_until is None or agency.valid_until > part.first)


def _threshold(part: Period) -> tuple[int, bool]:
    days = (part.last - part.first).days + 1
    month_days = month_end(part.first).day
    partial = days < month_days
    return math.ceil(LOW_VOLUME * days / month_days), partial


def low_volume(period: Period, agency_ids: set[int] | None, today: date) -> list[LowVolume]:
    if period.first > today:
        return []
    units = list(receiving_units(agency_ids, period))
    found = []
    for part in Period(period.first, min(period.last, today)).months():
        existing = {u.pk for u in units if _existed(u, part)}
        counted = quality_reads.received_by_agency(part, {u.pk for u in units})
        threshold, partial = _threshold(part)
        for unit in units:
            if unit.pk not in existing:
                continue
            received = counted.get(unit.pk, 0)
            if received < threshold:
                found.append(LowVolume(unit, part.first, received, threshold, partial))
    return found


# --- Units that digitise less than half of what they receive ---------------------------------

# Thừa Thiên Huế counted 25 communes under 50 % digitised (seed 003): the line the supervision
# page draws (QĐ 766 4.2 gives full marks at 80 %).
LOW_DIGITISATION = Decimal("0.5")


def low_digitisation(period: Period, agency_ids: set[int] | None) -> list[LowDigitisation]:
    """Receiving units whose dossiers received in the period are digitised (every document
    handed in scanned, QĐ 766 4.2) less than half the time, lowest first."""
    units = {u.pk: u for u in receiving_units(agency_ids, period)}
    counted = quality_reads.digitised_by_agency(period, set(units))
    found = [
        LowDigitisation(units[pk], digitised, received)
        for pk, (digitised, received) in counted.items()
        if received and Decimal(digitised) / received < LOW_DIGITISATION
    ]
    return sorted(found, key=lambda row: (row.digitised / row.received, row.agency.name))


# --- Open dossiers --------------------------------------------------------------------------


def _running(agency_ids: set[int] | None) -> QuerySet[Dossier]:
    active = DossierStep.objects.filter(state=DossierStep.State.ACTIVE).select_related(
        "agency", "assignee"
    )
    return (
        dossiers_of(agency_ids)
        .open()
        .filter(clock_paused_at__isnull=True, due_at__isnull=False)
        .select_related(
            "procedure", "receiving_agency", "competent_agency", "received_by", "department"
        )
        .prefetch_related(Prefetch("steps", queryset=active, to_attr="active_steps"))
    )


def answerable(dossier: Dossier, now: datetime) -> Pending:
    """The unit and officer a dossier waits for: the step in progress; before hand-over
    the receiving agency and its clerk; after the last step the resolving agency."""
    step = next(iter(getattr(dossier, "active_steps", [])), None)
    if step is not None:
        late = step.due_at is not None and is_overdue(step.due_at, now, rule=OnTimeRule.HOUR)
        return Pending(dossier, step.agency, step.assignee, step, late)
    if dossier.status == Status.RECEIVED:
        return Pending(dossier, dossier.receiving_agency, dossier.received_by, None, False)
    return Pending(dossier, dossier.competent_agency, None, None, False)


def due_soon(agency_ids, now: datetime, calendar: WorkCalendar) -> list[Pending]:
    """Due within DUE_SOON_WORKING_HOURS and not overdue: a dossier whose appointment was
    earlier today is still due today (timeleft.overdue_before)."""
    limit = calendar.add_working_hours(now, DUE_SOON_WORKING_HOURS)
    rows = _running(agency_ids).filter(due_at__gte=overdue_before(now), due_at__lte=limit)
    return [answerable(d, now) for d in rows.order_by("due_at", "pk")[:LIST_LIMIT]]


def overdue(agency_ids, now: datetime) -> list[Pending]:
    """Open with the appointment's day over (the on-time rule, timeleft.overdue_before)."""
    rows = _running(agency_ids).filter(due_at__lt=overdue_before(now))
    return [answerable(d, now) for d in rows.order_by("due_at", "pk")[:LIST_LIMIT]]


def apologies(period: Period, agency_ids) -> list[Apology]:
    start, end = facts.bounds(period)
    rows = Apology.objects.filter(
        created_at__gte=start,
        created_at__lt=end,
        dossier__in=dossiers_of(agency_ids).values("pk"),
    )
    related = ("dossier", "dossier__procedure", "responsible_agency", "responsible_user")
    return list(rows.select_related(*related, "created_by").order_by("created_at", "pk"))


# --- Process templates ----------------------------------------------------------------------


def _problem(procedure: Procedure, day_hours: Decimal) -> TemplateProblem | None:
    version = procedure.current_version
    budget = procedure.budget if procedure.steps else None
    limit = scoring.limit_in_working_hours(
        version.time_limit_value, version.time_limit_unit, day_hours
    )
    if limit is not None:
        limit = scoring.LimitHours(limit.hours.quantize(scoring.TWO_DECIMALS), limit.exact)
    reason = None
    if not procedure.steps:
        reason = Reason.MISSING
    elif limit is None:
        reason = Reason.NO_LIMIT
    else:
        gap = budget - limit.hours
        if abs(gap) > (0 if limit.exact else day_hours):
            reason = Reason.EXCEEDS if gap > 0 else Reason.SHORT
    if reason is None:
        return None
    return TemplateProblem(procedure, reason, procedure.steps, budget, limit)


def template_problems(agency_ids: set[int] | None, day_hours: Decimal) -> list[TemplateProblem]:
    """The published procedures the agencies carry out, decide or maintain whose process
    template is missing or does not add up to the time limit."""
    procedures = Procedure.objects.published()
    if agency_ids is not None:
        provided = set().union(*facts.provided_by(agency_ids, Scope()).values())
        owned = Q(owner_agency__in=list(agency_ids))
        procedures = procedures.filter(Q(pk__in=provided) | owned)
    rows = procedures.select_related("current_version").annotate(
        steps=Count("current_version__steps"), budget=Sum("current_version__steps__budget_hours")
    )
    found = [p for p in (_problem(row, day_hours) for row in rows.order_by("code")) if p]
    order = [Reason.MISSING, Reason.EXCEEDS, Reason.SHORT, Reason.NO_LIMIT]
    return sorted(found, key=lambda p: (order.index(p.reason), -abs(p.difference or 0)))


def build(period: Period, agency_ids: set[int] | None, *, now: datetime | None = None):
    """Everything above for the agencies `agency_ids` (None: all) and `period`."""
    now = now or timezone.now()
    calendar = get_calendar()
    day_hours = Decimal(calendar.hours.day_seconds) / 3600
    templates = template_problems(agency_ids, day_hours)
    by_reason = [(r.value, r.label, sum(t.reason == r for t in templates)) for r in Reason]
    return Supervision(
        period=period,
        now=now,
        day_hours=day_hours,
        low_volume=low_volume(period, agency_ids, timezone.localdate(now)),
        low_digitisation=low_digitisation(period, agency_ids),
        due_soon=due_soon(agency_ids, now, calendar),
        overdue=overdue(agency_ids, now),
        apologies=apologies(period, agency_ids),
        templates=templates[:TEMPLATE_LIMIT],
        templates_total=len(templates),
        templates_by_reason=[row for row in by_reason if row[2]],
    )
