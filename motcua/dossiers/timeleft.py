"""Time left, in words, and the planned-versus-actual time of each step.

Time is **working** time (workdays.calendar): nights, weekends and holidays do not count,
and a "day" is the calendar's working hours of one day: 7.5 hours with the default half-days
07:30-11:30 and 13:30-17:00 (8 with MOTCUA_MORNING/AFTERNOON of 07:00-11:00 and 13:00-17:00),
so "1 day 3 hours left" means 10.5 working hours by default. Two units at most are shown.

Early / on time / late follow the national rule for dossiers (domain.md §3.3, TH-SYS):
finished on an earlier date than the deadline = early; by the deadline on its date = on
time; after the deadline = late. Steps use the same rule with their own deadline.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from motcua.workdays.calendar import WorkCalendar
from motcua.workdays.loader import get_calendar

from .clock import completed_pauses
from .models import Dossier, DossierStep

Pauses = list[tuple[datetime, datetime]]


@dataclass(frozen=True)
class TimeLeft:
    overdue: bool
    days: int
    hours: int
    minutes: int


def time_left(due_at: datetime, now: datetime, calendar: WorkCalendar) -> TimeLeft:
    """Working time from `now` to `due_at` (or past it), in days, hours and minutes."""
    seconds = abs(int(calendar.working_time_between(now, due_at).total_seconds()))
    days, rest = divmod(seconds, calendar.hours.day_seconds)
    hours, rest = divmod(rest, 3600)
    return TimeLeft(now > due_at, days, hours, rest // 60)


def _span(left: TimeLeft) -> str:
    """The two largest units: "1 day 3 hours", "2 hours 5 minutes", "40 minutes"."""
    units = [
        (left.days, ngettext("%(n)s day", "%(n)s days", left.days)),
        (left.hours, ngettext("%(n)s hour", "%(n)s hours", left.hours)),
        (left.minutes, ngettext("%(n)s minute", "%(n)s minutes", left.minutes)),
    ]
    first = next((i for i, (n, _text) in enumerate(units) if n), None)
    if first is None:
        return ""
    shown = [(n, text) for n, text in units[first : first + 2] if n]
    return " ".join(text % {"n": n} for n, text in shown)


def describe_time_left(
    due_at: datetime | None, now: datetime | None = None, calendar: WorkCalendar | None = None
) -> str:
    """ "còn 1 ngày 3 giờ" / "1 day 3 hours left", "quá hạn 2 ngày" / "2 days overdue", in
    the active language; "" without a deadline."""
    if due_at is None:
        return ""
    left = time_left(due_at, now or timezone.now(), calendar or get_calendar())
    span = _span(left)
    if left.overdue:
        return _("%(span)s overdue") % {"span": span} if span else _("overdue")
    return _("%(span)s left") % {"span": span} if span else _("due now")


# --- Planned versus actual ------------------------------------------------------------------


class Verdict(models.TextChoices):
    EARLY = "early", gettext_lazy("Early")
    ON_TIME = "on_time", gettext_lazy("On time")
    LATE = "late", gettext_lazy("Late")
    IN_PROGRESS = "in_progress", gettext_lazy("In progress")
    RUNNING_LATE = "running_late", gettext_lazy("Running late")
    NOT_STARTED = "not_started", gettext_lazy("Not started")
    SENT_BACK = "sent_back", gettext_lazy("Sent back")
    CANCELLED = "cancelled", gettext_lazy("Cancelled")


def finished_verdict(finished: datetime, due: datetime, calendar: WorkCalendar) -> Verdict:
    if finished > due:
        return Verdict.LATE
    if calendar.local(finished).date() < calendar.local(due).date():
        return Verdict.EARLY
    return Verdict.ON_TIME


@dataclass(frozen=True)
class StepTiming:
    step: DossierStep
    planned_hours: Decimal
    spent_hours: Decimal | None  # working hours, pauses for the applicant left out
    verdict: Verdict


def paused_between(calendar: WorkCalendar, pauses: Pauses, start: datetime, end: datetime):
    total = timedelta(0)
    for begun, ended in pauses:
        low, high = max(begun, start), min(ended, end)
        if low < high:
            total += calendar.working_time_between(low, high)
    return total


def _verdict(step: DossierStep, now: datetime, calendar: WorkCalendar) -> Verdict:
    State = DossierStep.State
    simple = {
        State.PENDING: Verdict.NOT_STARTED,
        State.SENT_BACK: Verdict.SENT_BACK,
        State.CANCELLED: Verdict.CANCELLED,
    }
    if step.state in simple:
        return simple[step.state]
    if step.state == State.ACTIVE:
        late = step.due_at is not None and now > step.due_at
        return Verdict.RUNNING_LATE if late else Verdict.IN_PROGRESS
    return finished_verdict(step.finished_at, step.due_at or step.finished_at, calendar)


def _spent(step: DossierStep, pauses: Pauses, now: datetime, calendar: WorkCalendar):
    if step.started_at is None or step.state == DossierStep.State.PENDING:
        return None
    end = step.finished_at or now
    worked = calendar.working_time_between(step.started_at, end)
    worked -= paused_between(calendar, pauses, step.started_at, end)
    return (Decimal(int(worked.total_seconds())) / 3600).quantize(Decimal("0.01"))


def step_timings(
    dossier: Dossier, *, now: datetime | None = None, calendar: WorkCalendar | None = None
) -> list[StepTiming]:
    """Per step: the working hours planned (the template's budget), the working hours
    spent (from start to finish, or to now, less the time waiting for the applicant) and
    the verdict. For the dossier's timeline."""
    now, calendar = now or timezone.now(), calendar or get_calendar()
    pauses = completed_pauses(dossier)
    if dossier.clock_paused_at is not None:
        pauses.append((dossier.clock_paused_at, now))
    return [
        StepTiming(
            step,
            step.budget_hours,
            _spent(step, pauses, now, calendar),
            _verdict(step, now, calendar),
        )
        for step in dossier.steps.select_related("agency", "department", "assignee")
    ]


def dossier_verdict(dossier: Dossier, now: datetime | None = None, calendar=None) -> Verdict | None:
    """Early / on time / late for a finished dossier; in progress or running late for an
    open one; None without an appointment."""
    if dossier.due_at is None:
        return None
    calendar = calendar or get_calendar()
    if dossier.finished_at is not None:
        return finished_verdict(dossier.finished_at, dossier.due_at, calendar)
    late = (now or timezone.now()) > dossier.due_at
    return Verdict.RUNNING_LATE if late else Verdict.IN_PROGRESS
