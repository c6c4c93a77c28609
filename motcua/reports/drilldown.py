"""The dossiers behind one figure of a report row, and who made them late.

A row of a grouped report is its scope narrowed to one group value (an agency, a month, ...);
the drill-down lists the dossiers `naive.dossiers` finds for the figure within it. For each
dossier on the page: the *late step* is the first processing step, by order, that finished
after its own due moment or is still open past it; its assignee is the officer responsible.
A dossier can be late overall with no late step (time lost between steps, at reception or
at the return): that is said, not guessed. A late step nobody was assigned to names the
officer who finished it (its completion event). Days late are working days from the end of
the judged appointment's time limit (timeleft.deadline_end: 24:00 of its day; figures.py:
the appointment before any apology) to the end of processing, or now if open; none when
the dossier is not late by the on-time rule. Steps are judged by the hour (their budgets are
in working hours; timeleft.step_verdict).
"""

from dataclasses import dataclass
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Prefetch, QuerySet, prefetch_related_objects

from motcua.dossiers.models import Dossier, DossierEvent, DossierStep
from motcua.dossiers.status import Action
from motcua.dossiers.timeleft import OnTimeRule, deadline_end, is_overdue
from motcua.workdays.calendar import CalendarRangeError, WorkCalendar

from . import naive
from .scope import GroupBy, Level, Period, Scope, month_end

NONE_KEY = "none"  # the group of dossiers without a value (e.g. no department)
COUNTED_STATES = (DossierStep.State.ACTIVE, DossierStep.State.DONE, DossierStep.State.SENT_BACK)
FINISHING = (Action.COMPLETE_STEP, Action.SEND_BACK, Action.REFUSE_AFTER_APPRAISAL)


def parse_key(group_by: str, raw: str) -> object:
    """A group value from a URL: an id, a level, the first day of a month row (ISO; the
    period's first day for a period starting mid-month), or None for NONE_KEY. Raises
    ValueError for anything else."""
    if raw == NONE_KEY:
        return None
    if group_by == GroupBy.MONTH:
        return date.fromisoformat(raw)
    if group_by == GroupBy.LEVEL:
        return Level(raw).value
    if group_by in naive.GROUP_FIELDS:
        return int(raw)
    raise ValueError("no grouping to take a key from")


def format_key(key: object) -> str:
    if key is None:
        return NONE_KEY
    return key.isoformat() if isinstance(key, date) else str(key)


def row_period(period: Period, group_by: str, key: object) -> Period:
    """The part of `period` a row covers: a month row is that month within the period."""
    if group_by != GroupBy.MONTH or key is None:
        return period
    first, last = max(period.first, key), min(period.last, month_end(key))
    if last < first:
        raise ValueError("the month is outside the period")
    return Period(first, last)


def dossiers(
    figure: str, period: Period, scope: Scope, group_by: str = "", key: object = None
) -> QuerySet[Dossier]:
    """The dossiers behind `figure` in the row `key` of a report grouped by `group_by`
    (no grouping: the total row). Same definitions as the counts (naive.py)."""
    if group_by == GroupBy.MONTH:
        return naive.dossiers(figure, row_period(period, group_by, key), scope)
    found = naive.dossiers(figure, period, scope)
    if not group_by:
        return found
    if group_by == GroupBy.LEVEL:
        return found.annotate(level=naive.level_expression()).filter(level=key)
    field = naive.GROUP_FIELDS[group_by]
    return found.filter(**{f"{field}__isnull": True} if key is None else {field: key})


def late_step(steps: list[DossierStep], now: datetime) -> DossierStep | None:
    """The first step, by order, that finished after its due moment or is open past it."""
    for step in sorted(steps, key=lambda s: (s.order, s.pk)):
        if step.state not in COUNTED_STATES or step.due_at is None:
            continue
        if is_overdue(step.due_at, step.finished_at or now, rule=OnTimeRule.HOUR):
            return step
    return None


def days_late(calendar: WorkCalendar, due: datetime | None, end: datetime) -> Decimal | None:
    """Working days from the end of the time limit of `due` to `end`, one decimal; None
    when not late at `end` (timeleft.is_overdue, the rule of judge)."""
    if due is None or not is_overdue(due, end, calendar.tz):
        return None
    try:
        seconds = calendar.working_time_between(deadline_end(due, calendar.tz), end).total_seconds()
    except CalendarRangeError:
        return None
    days = Decimal(seconds) / calendar.hours.day_seconds
    return days.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Line:
    """One dossier of the drill-down list."""

    dossier: Dossier
    late_step: DossierStep | None
    days_late: Decimal | None
    officer: object = None  # the late step's assignee, or who finished it
    assigned: bool = True

    @property
    def late_without_late_step(self) -> bool:
        return self.days_late is not None and self.late_step is None


def finishers(steps: list[DossierStep]) -> dict[int, object]:
    """Who finished each of `steps` (the last finishing event), in one query."""
    events = DossierEvent.objects.filter(step__in=steps, action__in=FINISHING)
    return {event.step_id: event.actor for event in events.select_related("actor").order_by("pk")}


def lines(page: list[Dossier], now: datetime, calendar: WorkCalendar) -> list[Line]:
    """The page's dossiers with their late step, its officer and the days late: steps and
    assignees in one query for the whole page, finishers of unassigned late steps in one
    more. `page` holds `naive.annotated` dossiers."""
    steps = DossierStep.objects.select_related("assignee", "agency")
    prefetch_related_objects(page, Prefetch("steps", queryset=steps))
    late = {dossier.pk: late_step(list(dossier.steps.all()), now) for dossier in page}
    unassigned = [s for s in late.values() if s is not None and s.assignee_id is None]
    done_by = finishers(unassigned) if unassigned else {}
    out = []
    for dossier in page:
        step = late[dossier.pk]
        officer = None if step is None else step.assignee or done_by.get(step.pk)
        assigned = step is None or step.assignee_id is not None
        end = dossier.finished_at or now
        out.append(Line(dossier, step, days_late(calendar, dossier.jd, end), officer, assigned))
    return out
