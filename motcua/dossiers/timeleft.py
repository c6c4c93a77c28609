"""Time left, in words; the planned-versus-actual time of each step; and the one rule that
judges a dossier early, on time, late or overdue.

Time left is **working** time (workdays.calendar): nights, weekends and holidays do not
count, and a "day" is the calendar's working hours of one day: 7.5 hours with the default
half-days 07:30-11:30 and 13:30-17:00 (8 with MOTCUA_MORNING/AFTERNOON of 07:00-11:00 and
13:00-17:00), so "1 day 3 hours left" means 10.5 working hours by default. Two units at most
are shown.

**The on-time rule** (`judge`, `is_overdue`, `overdue_before`; docs/decisions/0011). A
dossier's time limit is a period in days that ends at **24:00 of its last day** (Civil Code
2015 art. 148.1 and 148.6, domain.md §6.1), and the appointment printed on the slip falls on
that day. So by default (MOTCUA_ON_TIME_RULE "day") a dossier is judged by the **local
calendar day** of its appointment (TIME_ZONE, Asia/Ho_Chi_Minh), never its hour, as Biểu 06
(Circular 01/2020/TT-VPCP) and the indicators of Circular 01/2018/TT-VPCP art. 13 are
practised (domain.md §8): a result on an earlier day is **early**, any time on the
appointment's day **on time**, on a later day **late**; an open dossier is **overdue** once
the appointment's day is over. MOTCUA_ON_TIME_RULE "hour" judges against the appointment's
exact moment instead (late = after it; early still = an earlier day), for a province that
holds the hour printed on the slip.

Steps keep exact hours whatever the setting (`step_verdict`): a step's deadline is an
internal allotment in working hours (the process template's budget; Circular 01/2018
indicator 2, "time at each unit against its allotment"), a period in hours that runs from a
moment to a moment (Civil Code art. 147.1); several steps often share a day, and a day rule
would call them all on time.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from motcua.workdays.calendar import WorkCalendar
from motcua.workdays.loader import get_calendar

from .clock import completed_pauses
from .models import Dossier, DossierStep

Pauses = list[tuple[datetime, datetime]]


# --- The on-time rule (module docstring; docs/decisions/0011) ---------------------------------


class Verdict(models.TextChoices):
    EARLY = "early", gettext_lazy("Early")
    ON_TIME = "on_time", gettext_lazy("On time")
    LATE = "late", gettext_lazy("Late")
    IN_PROGRESS = "in_progress", gettext_lazy("In progress")
    RUNNING_LATE = "running_late", gettext_lazy("Running late")
    NOT_STARTED = "not_started", gettext_lazy("Not started")
    SENT_BACK = "sent_back", gettext_lazy("Sent back")
    CANCELLED = "cancelled", gettext_lazy("Cancelled")


class OnTimeRule(models.TextChoices):
    DAY = "day", gettext_lazy("By the appointment's day")
    HOUR = "hour", gettext_lazy("By the appointment's hour")


def on_time_rule() -> OnTimeRule:
    """The deployment's rule for dossiers (MOTCUA_ON_TIME_RULE, default "day")."""
    return OnTimeRule(getattr(settings, "MOTCUA_ON_TIME_RULE", OnTimeRule.DAY))


def _tz(tz: tzinfo | None) -> tzinfo:
    return tz or timezone.get_default_timezone()


def local_day(moment: datetime, tz: tzinfo | None = None) -> date:
    return timezone.localtime(moment, _tz(tz)).date()


def day_starts(day: date, tz: tzinfo | None = None) -> datetime:
    """The instant local `day` starts: "local day of x < day" is "x < day_starts(day)"."""
    return timezone.make_aware(datetime.combine(day, time.min), _tz(tz))


def judge(
    finished: datetime, due: datetime, tz: tzinfo | None = None, rule: str | None = None
) -> Verdict:
    """Early, on time or late: a result on an earlier local day than the appointment's is
    early; after the appointment's local day (rule "hour": after its moment) late; otherwise
    on time (Civil Code 2015 art. 148; Circular 01/2018/TT-VPCP art. 13; Biểu 06)."""
    done, promised = local_day(finished, tz), local_day(due, tz)
    rule = rule or on_time_rule()
    late = finished > due if rule == OnTimeRule.HOUR else done > promised
    if late:
        return Verdict.LATE
    return Verdict.EARLY if done < promised else Verdict.ON_TIME


def overdue_before(now: datetime, tz: tzinfo | None = None, rule: str | None = None) -> datetime:
    """An open dossier is overdue at `now` iff its appointment is before this instant: the
    start of now's local day (rule "hour": `now` itself). For database filters:
    `due_at__lt=overdue_before(now)`."""
    if (rule or on_time_rule()) == OnTimeRule.HOUR:
        return now
    return day_starts(local_day(now, tz), tz)


def is_overdue(
    due: datetime, now: datetime, tz: tzinfo | None = None, rule: str | None = None
) -> bool:
    """Open at `now` with its appointment's day over (rule "hour": its moment passed)."""
    return due < overdue_before(now, tz, rule)


def overdue_at_end_of(day: date, tz: tzinfo | None = None, rule: str | None = None) -> datetime:
    """An open dossier is overdue at the end of local `day` (a period's end) iff its
    appointment is before this instant: the start of `day` (its appointment's day is over;
    TH-SYS: "in time if the appointment date ≥ the period end"); rule "hour": the end of
    `day`."""
    if (rule or on_time_rule()) == OnTimeRule.HOUR:
        return day_starts(day + timedelta(days=1), tz)
    return day_starts(day, tz)


def deadline_end(due: datetime, tz: tzinfo | None = None, rule: str | None = None) -> datetime:
    """The instant the time limit ends, from which lateness is counted: the end of the
    appointment's local day (24:00, Civil Code art. 148.6); rule "hour": the appointment."""
    if (rule or on_time_rule()) == OnTimeRule.HOUR:
        return due
    return day_starts(local_day(due, tz) + timedelta(days=1), tz)


def step_verdict(finished: datetime, due: datetime, calendar: WorkCalendar) -> Verdict:
    """A step against its own deadline: by the hour (module docstring)."""
    return judge(finished, due, calendar.tz, OnTimeRule.HOUR)


@dataclass(frozen=True)
class TimeLeft:
    overdue: bool
    days: int
    hours: int
    minutes: int
    # Not overdue, but later than the appointment's hour on its day (rule "day" only).
    hour_passed: bool = False


def time_left(
    due_at: datetime, now: datetime, calendar: WorkCalendar, rule: str | None = None
) -> TimeLeft:
    """Working time from `now` to the appointment; once overdue (`is_overdue`), working time
    since the time limit ended (`deadline_end`). Between the appointment's hour and the end
    of its day (rule "day") nothing is left and nothing is overdue: `hour_passed`."""
    if is_overdue(due_at, now, calendar.tz, rule):
        since = deadline_end(due_at, calendar.tz, rule)
        seconds = (
            int(calendar.working_time_between(since, now).total_seconds()) if since < now else 0
        )
        overdue, passed = True, False
    else:
        seconds = (
            int(calendar.working_time_between(now, due_at).total_seconds()) if now < due_at else 0
        )
        overdue, passed = False, now > due_at
    days, rest = divmod(seconds, calendar.hours.day_seconds)
    hours, rest = divmod(rest, 3600)
    return TimeLeft(overdue, days, hours, rest // 60, passed)


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
    due_at: datetime | None,
    now: datetime | None = None,
    calendar: WorkCalendar | None = None,
    rule: str | None = None,
) -> str:
    """ "còn 1 ngày 3 giờ" / "1 day 3 hours left", "quá hạn 2 ngày" / "2 days overdue", in
    the active language; "" without a deadline. A dossier's appointment by the on-time rule
    (default: overdue only once its day is over, "due today" after its hour); a step's
    deadline with rule=OnTimeRule.HOUR."""
    if due_at is None:
        return ""
    left = time_left(due_at, now or timezone.now(), calendar or get_calendar(), rule)
    span = _span(left)
    if left.overdue:
        return _("%(span)s overdue") % {"span": span} if span else _("overdue")
    if left.hour_passed:
        return _("due today, the appointment's hour has passed")
    return _("%(span)s left") % {"span": span} if span else _("due now")


# --- Planned versus actual ------------------------------------------------------------------


def finished_verdict(finished: datetime, due: datetime, calendar: WorkCalendar) -> Verdict:
    """A dossier's result against its appointment, by the on-time rule (`judge`)."""
    return judge(finished, due, calendar.tz)


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
        late = step.due_at is not None and is_overdue(
            step.due_at, now, calendar.tz, OnTimeRule.HOUR
        )
        return Verdict.RUNNING_LATE if late else Verdict.IN_PROGRESS
    finished = step.finished_at
    if finished is None:  # done without a finishing time: nothing to judge
        return Verdict.ON_TIME
    return step_verdict(finished, step.due_at or finished, calendar)


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
    late = is_overdue(dossier.due_at, now or timezone.now(), calendar.tz)
    return Verdict.RUNNING_LATE if late else Verdict.IN_PROGRESS
