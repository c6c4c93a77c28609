"""Deadline warnings and deadline moves: the database is the queue (style.md).

`process_deadlines()` (run by `manage.py process_deadlines`) records, for open dossiers
whose clock runs:

* DUE_SOON when the appointment is within 24 **working** hours (a little over 3 working
  days with the default 7.5-hour day). Working hours rather than clock hours so that a
  Monday deadline is announced before the weekend, not on Sunday;
* APOLOGY_PROMPT from one working day before the appointment while no apology was made
  (Decree 61/2018 art. 19.9: the apology is due no later than 1 day before the deadline);
* OVERDUE once the appointment has passed.

Each warning is recorded once per appointment: the dossier remembers the appointment it
was recorded for (`*_recorded_for`); an appointment moved later (apology, supplement,
payment, calendar change) can be warned about again. A warning whose moment has passed is
not recorded late (no DUE_SOON for an overdue dossier). Dossiers whose clock is paused
(waiting for a supplement or a payment) are left alone: their appointment is provisional.

Several workers may run: each claims a batch of rows with SELECT ... FOR UPDATE SKIP
LOCKED where the database has it (PostgreSQL); on SQLite the IMMEDIATE transactions of
the settings serialise the workers, and the claim re-reads the rows inside the lock.

`recompute_open_deadlines()` moves open deadlines after the working-day calendar changed
(a holiday added or removed): see its docstring. The worker runs both: `process_deadlines`
as a periodic job (dossiers.tasks; `manage.py process_deadlines --once` from cron does the
same), the recomputation as the consumer of the calendar's outbox message
(`on_calendar_change`). Their events are the system's (organisations.actors.SYSTEM).
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db import connection, transaction
from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.utils import timezone

from motcua.organisations.actors import SYSTEM
from motcua.outbox.consumers import Message
from motcua.workdays.calendar import WorkCalendar
from motcua.workdays.loader import get_calendar

from .clock import clock_start, completed_pauses, limit_due, paused_since, shift, step_due
from .events import record
from .models import Dossier, DossierStep
from .status import Action, transition
from .timeleft import overdue_before

DUE_SOON_WORKING_HOURS = 24
BATCH_SIZE = 200


@dataclass(frozen=True)
class Alert:
    action: Action
    flag: str  # the Dossier field holding the appointment it was recorded for
    window: Callable[[datetime, WorkCalendar], Q]


def _due_soon(now: datetime, calendar: WorkCalendar) -> Q:
    limit = calendar.add_working_hours(now, DUE_SOON_WORKING_HOURS)
    return Q(due_at__gt=now, due_at__lte=limit)


def _apology_prompt(now: datetime, calendar: WorkCalendar) -> Q:
    limit = calendar.add_working_time(now, timedelta(seconds=calendar.hours.day_seconds))
    return Q(due_at__gt=now, due_at__lte=limit, apology_count=0)


def _overdue(now: datetime, calendar: WorkCalendar) -> Q:
    """Overdue by the on-time rule: the appointment's day is over (timeleft.overdue_before)."""
    return Q(due_at__lt=overdue_before(now, calendar.tz))


WARNINGS = (
    Alert(Action.DUE_SOON, "due_soon_recorded_for", _due_soon),
    Alert(Action.APOLOGY_PROMPT, "apology_prompt_recorded_for", _apology_prompt),
    Alert(Action.OVERDUE, "overdue_recorded_for", _overdue),
)


@dataclass
class Summary:
    counts: dict[str, int] = field(default_factory=lambda: {w.action: 0 for w in WARNINGS})

    def __str__(self) -> str:
        parts = [f"{action}: {count}" for action, count in self.counts.items()]
        return ", ".join(parts)


def candidates(warning: Alert, now: datetime, calendar: WorkCalendar) -> QuerySet[Dossier]:
    not_yet = Q(**{f"{warning.flag}__isnull": True}) | ~Q(**{warning.flag: F("due_at")})
    return (
        Dossier.objects.open()
        .filter(clock_paused_at__isnull=True, due_at__isnull=False)
        .filter(warning.window(now, calendar))
        .filter(not_yet)
        .order_by("pk")
    )


def _claim(queryset: QuerySet[Dossier], size: int) -> list[Dossier]:
    skip = connection.features.has_select_for_update_skip_locked
    return list(queryset.select_for_update(skip_locked=skip)[:size])


def _record(warning: Alert, dossier: Dossier, now: datetime) -> None:
    transition(dossier.status, warning.action)  # open statuses only; never changes it
    setattr(dossier, warning.flag, dossier.due_at)
    dossier.save(update_fields=[warning.flag])
    record(
        dossier,
        warning.action,
        actor=SYSTEM,
        from_status=dossier.status,
        at=now,
        due_at=dossier.due_at,
    )


def _process(warning: Alert, now: datetime, calendar: WorkCalendar, size: int) -> int:
    done = 0
    while True:
        with transaction.atomic():
            claimed = _claim(candidates(warning, now, calendar), size)
            for dossier in claimed:
                _record(warning, dossier, now)
        done += len(claimed)
        if len(claimed) < size:
            return done


def process_deadlines(now: datetime | None = None, *, batch_size: int = BATCH_SIZE) -> Summary:
    """Record the due warnings of every open dossier once (see the module docstring)."""
    now = now or timezone.now()
    calendar = get_calendar()
    summary = Summary()
    for warning in WARNINGS:
        summary.counts[warning.action] = _process(warning, now, calendar, batch_size)
    return summary


# --- Calendar changes -----------------------------------------------------------------------


def _dossier_due(calendar: WorkCalendar, dossier: Dossier, pauses) -> tuple[datetime, datetime]:
    """(clock start, appointment) by the calendar in force: the limit from the clock start,
    plus the pauses since (clock.py)."""
    start = clock_start(calendar, dossier, dossier.clock_start_at)
    due = limit_due(calendar, dossier, dossier.clock_start_at)
    return start, shift(calendar, due, paused_since(calendar, pauses, dossier.clock_start_at))


def _step_due(calendar: WorkCalendar, step: DossierStep, pauses) -> datetime:
    return shift(
        calendar, step_due(calendar, step), paused_since(calendar, pauses, step.started_at)
    )


def _affected(changed: date | None) -> QuerySet[Dossier]:
    dossiers = Dossier.objects.open().filter(clock_start_at__isnull=False)
    if changed is not None:
        # A day changed on D only moves deadlines that end on or after D.
        since = timezone.make_aware(datetime.combine(changed - timedelta(days=1), time.min))
        step_after = DossierStep.objects.filter(
            dossier=OuterRef("pk"), state=DossierStep.State.ACTIVE, due_at__gte=since
        )
        dossiers = dossiers.filter(Q(due_at__gte=since) | Exists(step_after))
    return dossiers.order_by("pk")


def _recompute_one(calendar: WorkCalendar, dossier: Dossier) -> bool:
    pauses = completed_pauses(dossier)
    before = dossier.due_at
    if dossier.due_at is not None and not dossier.apology_count:
        dossier.clock_start_at, dossier.due_at = _dossier_due(calendar, dossier, pauses)
    step = dossier.steps.filter(state=DossierStep.State.ACTIVE).first()
    step_before = step.due_at if step else None
    if step is not None and step.started_at is not None:
        step.due_at = _step_due(calendar, step, pauses)
    if before == dossier.due_at and step_before == getattr(step, "due_at", None):
        return False
    transition(dossier.status, Action.DEADLINE_MOVED)  # open statuses only
    dossier.save(update_fields=["clock_start_at", "due_at"])
    if step is not None:
        step.save(update_fields=["due_at"])
    record(
        dossier,
        Action.DEADLINE_MOVED,
        actor=SYSTEM,
        from_status=dossier.status,
        step=step,
        due_before=before,
        due_after=dossier.due_at,
        step_due_before=step_before,
        step_due_after=getattr(step, "due_at", None),
    )
    return True


def recompute_open_deadlines(changed: date | None = None) -> int:
    """Recompute the appointment and the step deadline of open dossiers with the calendar
    in force, after a day became a day off or a working day (`on_calendar_change`, after
    commit). Returns how many dossiers moved; each gets a DEADLINE_MOVED event.

    The appointment is the time limit from the clock start (the receipt, or the receipt
    of a supplement under the restart policy) plus the completed pauses, re-measured with
    the new calendar; the pause in progress, if any, is added when the clock resumes. A
    rescheduled dossier keeps the appointment promised in its apology (a date given to
    the applicant in writing). `changed` limits the work to deadlines on or after it.
    """
    calendar = get_calendar()
    moved = 0
    for pk in _affected(changed).values_list("pk", flat=True):
        with transaction.atomic():
            dossier = Dossier.objects.select_for_update().select_related("procedure_version")
            moved += _recompute_one(calendar, dossier.get(pk=pk))
    return moved


def on_calendar_change(message: Message) -> None:
    """Outbox consumer of workdays.services.CALENDAR_CHANGED: move the open deadlines from the
    changed day on. A second delivery moves nothing more (the deadlines already follow the
    calendar in force); an error is retried by the outbox (one transaction per dossier: the
    dossiers already moved stay moved)."""
    recompute_open_deadlines(date.fromisoformat(message.payload["day"]))
