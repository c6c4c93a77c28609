"""The dossier's clock: when it runs, when it stops, and how deadlines move with it.

Policies (docs/domain.md §6.1):

* **Supplement after appraisal** (Decree 61/2018 art. 19.4): *restart* (the full time limit
  runs again from receipt of the complete dossier, the decree's rule and the default) or
  *pause* (the deadline moves by the working time spent waiting, TH-SYS/EPAR practice).
  The procedure version's `supplement_clock` decides; blank means the setting
  MOTCUA_SUPPLEMENT_CLOCK.
* **Financial obligation** (status 6): always a pause. Sector law does not count the time
  the applicant takes to pay (e.g. land registration, Decree 43/2014 art. 61.4), and no
  rule restarts the limit after a payment.
* While waiting (status 5 or 6 after appraisal) `clock_paused_at` is set, whatever the
  policy: the appointment is provisional and the deadline worker leaves it alone.

A pause moves a deadline by exactly the working time paused: the new deadline is as many
working seconds after the old one as passed between the pause and the resumption.
"""

from datetime import datetime, timedelta
from decimal import Decimal

from django.conf import settings

from motcua.catalogue.models import Channel
from motcua.workdays.calendar import WorkCalendar

from .models import Dossier, DossierStep, FinancialObligation, SupplementRequest

PAPER_CHANNELS = {Channel.IN_PERSON, Channel.POSTAL}
RESTART = SupplementRequest.Clock.RESTART
PAUSE = SupplementRequest.Clock.PAUSE


def supplement_clock_for(dossier: Dossier) -> str:
    """The version's policy, or the deployment's (MOTCUA_SUPPLEMENT_CLOCK)."""
    return dossier.procedure_version.supplement_clock or settings.MOTCUA_SUPPLEMENT_CLOCK


def is_paper(dossier: Dossier) -> bool:
    return dossier.channel in PAPER_CHANNELS


def limit_due(calendar: WorkCalendar, dossier: Dossier, start: datetime) -> datetime | None:
    """The appointment of the full time limit counted from `start` (the receipt rules of
    intake._start_clock: paper after the cut-off counts from the next working day)."""
    version = dossier.procedure_version
    if version.time_limit_value is None:
        return None
    return calendar.due_moment(
        start, version.time_limit_value, version.time_limit_unit, apply_cutoff=is_paper(dossier)
    )


def clock_start(calendar: WorkCalendar, dossier: Dossier, moment: datetime) -> datetime:
    return calendar.effective_receipt(moment) if is_paper(dossier) else moment


def shift(calendar: WorkCalendar, moment: datetime | None, paused: timedelta):
    """`moment` moved later by `paused` working time (unchanged for no time)."""
    if moment is None or paused <= timedelta(0):
        return moment
    return calendar.add_working_time(moment, paused)


def step_due(calendar: WorkCalendar, step: DossierStep) -> datetime:
    return calendar.add_working_hours(step.started_at, step.budget_hours)


def completed_pauses(dossier: Dossier) -> list[tuple[datetime, datetime]]:
    """The periods the clock stood still and ran again: pause-policy supplements and paid
    financial obligations, in order."""
    supplements = SupplementRequest.objects.filter(
        dossier=dossier, clock=PAUSE, answered_at__isnull=False
    ).values_list("requested_at", "answered_at")
    payments = FinancialObligation.objects.filter(
        dossier=dossier, fulfilled_at__isnull=False
    ).values_list("requested_at", "fulfilled_at")
    return sorted([*supplements, *payments])


def paused_since(
    calendar: WorkCalendar, pauses: list[tuple[datetime, datetime]], since: datetime
) -> timedelta:
    """Working time paused after `since` (periods that began before it do not count)."""
    total = timedelta(0)
    for begun, ended in pauses:
        if begun >= since:
            total += calendar.working_time_between(begun, ended)
    return total


def resume_after_pause(
    calendar: WorkCalendar, dossier: Dossier, step: DossierStep | None, now: datetime
) -> timedelta:
    """Run the clock again after a pause: the appointment and the deadline of the step in
    progress move by the working time paused. Returns that time."""
    paused = calendar.working_time_between(dossier.clock_paused_at or now, now)
    dossier.due_at = shift(calendar, dossier.due_at, paused)
    if step is not None:
        step.due_at = shift(calendar, step.due_at, paused)
    dossier.clock_paused_at = None
    return paused


def hours_text(duration: timedelta) -> str:
    """Working hours as recorded in events: "7.50"."""
    return str((Decimal(int(duration.total_seconds())) / 3600).quantize(Decimal("0.01")))
