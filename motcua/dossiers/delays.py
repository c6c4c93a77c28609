"""Late dossiers: apology and new appointment (Decree 61/2018 art. 19.9; Circular 01/2018
Mẫu 04 "Phiếu xin lỗi và hẹn lại ngày trả kết quả").

Rules: at most one reschedule per dossier ("không quá một lần"); the new appointment is
later than the current one, in the future, and a moment the office works (a working
moment, or the end of a working half-day: 11:30 or the close of business); the apology is
due no later than one working day before the deadline. A late apology is still accepted
and recorded as `issued_on_time=False` (refusing it would leave the applicant without one).
"""

from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.organisations.models import Agency
from motcua.workdays.calendar import WorkCalendar
from motcua.workdays.loader import get_calendar

from . import policy
from .errors import DossierError
from .events import record
from .flow import lock, move, plan_of, require_text
from .models import Apology, Consultation, Dossier, DossierStep
from .policy import Operation
from .status import Action


def is_appointment_moment(calendar: WorkCalendar, moment: datetime) -> bool:
    """A working moment, or the end of a working half-day of a working day."""
    local = calendar.local(moment)
    ends = (calendar.hours.morning[1], calendar.hours.afternoon[1])
    working_day = calendar.is_working_day(local.date())
    return calendar.is_working_moment(local) or (working_day and local.time() in ends)


def issued_on_time(calendar: WorkCalendar, now: datetime, due_at: datetime) -> bool:
    """At least one working day (the calendar's working hours of a day) before `due_at`."""
    one_day = timedelta(seconds=calendar.hours.day_seconds)
    return calendar.working_time_between(now, due_at) >= one_day


def _check_new_due(calendar: WorkCalendar, dossier: Dossier, new_due_at: datetime, now) -> None:
    if dossier.due_at is None:
        raise DossierError("no_appointment", _("This dossier has no appointment to move."))
    if new_due_at <= dossier.due_at or new_due_at <= now:
        raise DossierError(
            "new_due_not_later", _("The new appointment must be later than the current one.")
        )
    if not is_appointment_moment(calendar, new_due_at):
        raise DossierError(
            "not_working_moment", _("The new appointment must fall in working hours.")
        )


def involved_agencies(dossier: Dossier) -> QuerySet[Agency]:
    """The agencies that can be at fault for a delay (Mẫu 04 names "the unit responsible"):
    those taking part in the dossier: receiving, competent, with a step, or consulted. One
    query, read when used."""
    steps = DossierStep.objects.filter(dossier=dossier).values("agency_id")
    consulted = Consultation.objects.filter(dossier=dossier).values("to_agency_id")
    return Agency.objects.filter(
        Q(pk=dossier.receiving_agency_id)
        | Q(pk=dossier.competent_agency_id)
        | Q(pk__in=steps)
        | Q(pk__in=consulted)
    )


@transaction.atomic
def apologise(
    dossier: Dossier,
    *,
    actor,
    reason: str,
    new_due_at: datetime,
    responsible_agency: Agency | None = None,
    responsible_user=None,
) -> Apology:
    """Apologise and set a new appointment (Decree 61/2018 art. 19.9; Mẫu 04), once per
    dossier. `original_due_at` keeps the first appointment. By a clerk of the receiving
    agency or a leader/department head of the competent agency or of the step in progress.
    """
    dossier = lock(dossier)
    # The one-stop section (receiving clerks) or the agency at fault's management.
    policy.check(actor, Operation.APOLOGISE, dossier, plan_of(dossier).active)
    previous = move(dossier, Action.APOLOGISE)
    if dossier.apology_count or Apology.objects.filter(dossier=dossier).exists():
        raise DossierError("apology_once", _("A dossier can be rescheduled only once."))
    reason = require_text(reason, "reason_required", _("Give the reason for the delay."))
    now, calendar = timezone.now(), get_calendar()
    _check_new_due(calendar, dossier, new_due_at, now)
    involved = involved_agencies(dossier)
    if responsible_agency is not None and not involved.filter(pk=responsible_agency.pk).exists():
        raise DossierError(
            "responsible_not_involved",
            _("The unit responsible for the delay must be one taking part in this dossier."),
        )
    apology = Apology.objects.create(
        dossier=dossier,
        created_at=now,
        created_by=actor,
        reason=reason,
        responsible_agency=responsible_agency,
        responsible_user=responsible_user,
        previous_due_at=dossier.due_at,
        new_due_at=new_due_at,
        issued_on_time=issued_on_time(calendar, now, dossier.due_at),
    )
    dossier.original_due_at = dossier.original_due_at or dossier.due_at
    dossier.due_at = new_due_at
    dossier.apology_count += 1
    dossier.save(update_fields=["original_due_at", "due_at", "apology_count", "updated_at"])
    record(
        dossier,
        Action.APOLOGISE,
        actor=actor,
        from_status=previous,
        step=plan_of(dossier).active,
        note=reason,
        at=now,
        apology=apology.pk,
        previous_due_at=apology.previous_due_at,
        new_due_at=new_due_at,
        issued_on_time=apology.issued_on_time,
        responsible_agency=getattr(responsible_agency, "pk", None),
        responsible_user=getattr(responsible_user, "pk", None),
    )
    return apology
