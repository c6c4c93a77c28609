"""The facts the quality indicators score, read from the dossier rows in a few queries and
turned into plain values (scoring.py does the arithmetic, indicators.py assembles).

* **Scored dossiers** (indicators 1-4, 6, 7): received dossiers whose processing ended with
  a result, granted or refused after appraisal (status 9 or 10), on a day of the period.
  Withdrawn and stopped dossiers have no result to judge and are left out.
* **Timing** of a dossier: the on-time rule (`dossiers.timeleft.judge`: by the local day of
  the appointment; Circular 01/2018 art. 13) against the appointment judged as in Biểu 06
  (figures.py): the appointment before an apology unless MOTCUA_APOLOGY_EXTENDS_DEADLINE.
* **Timing of the units** (indicator 2): the steps done by the end of processing, each
  against its own deadline, by the hour (`timeleft.step_verdict`: an allotment in working
  hours). Return steps end when the applicant collects the result, which
  is not the unit's time, so they are left out.
* **Officer work**: the steps done within the period, by the officer who completed them
  (the COMPLETE_STEP event's actor, else the step's assignee).
* **Received dossiers** (indicators 5, 9): received within the period.
"""

from dataclasses import dataclass
from datetime import datetime, time
from decimal import Decimal

from django.conf import settings
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua.catalogue.models import Channel, OnlineLevel, Procedure
from motcua.dossiers.models import (
    Attachment,
    Dossier,
    DossierEvent,
    DossierStep,
    SupplementRequest,
)
from motcua.dossiers.status import Action, Status
from motcua.dossiers.timeleft import (
    Verdict,
    finished_verdict,
    judge,
    overdue_at_end_of,
    step_verdict,
)
from motcua.workdays.calendar import WorkCalendar

from .naive import in_scope
from .scope import Period, Scope

ONLINE_LEVELS = (OnlineLevel.PARTIAL, OnlineLevel.END_TO_END)

# Inputs later issues will record. Until then each counts as none (no complaint, nothing
# posted, paid online, rated…) and every figure that uses one names it: never silently.
COMPLAINTS = "complaints"
POSTING = "posting"
OTHER_AGENCIES = "other_agencies"
ANNOUNCEMENT = "announcement"
NATIONAL_PORTAL = "national_portal"
ONLINE_PAYMENTS = "online_payments"
REUSE = "reuse"
RATINGS = "ratings"
NOT_MEASURED = {
    COMPLAINTS: _("complaints and feedback: no register yet, counted as none"),
    POSTING: _("posting of procedures at the office: not recorded yet, counted as not posted"),
    OTHER_AGENCIES: _(
        "agencies the applicant contacted outside the one-stop section: not recorded, "
        "counted as none"
    ),
    ANNOUNCEMENT: _(
        "dates of the announcing decisions and of their legal bases: not recorded, counted "
        "as not on time"
    ),
    NATIONAL_PORTAL: _(
        "the national public service portal (DVCQG): not connected yet, counted as not "
        "entered and not synchronised"
    ),
    ONLINE_PAYMENTS: _("online payments: not recorded yet, counted as none"),
    REUSE: _(
        "reuse of digitised data, the citizen's data store and the population database: "
        "not recorded yet, counted as none"
    ),
    RATINGS: _("applicants' ratings: not recorded yet, counted as no dislike"),
}
WITH_RESULT = (Status.RESOLVED, Status.RETURNED)


def bounds(period: Period) -> tuple[datetime, datetime]:
    """The period as aware moments [start, end) in the local time zone."""
    tz = timezone.get_default_timezone()
    start = datetime.combine(period.first, time.min, tzinfo=tz)
    return start, datetime.combine(period.after, time.min, tzinfo=tz)


def judged_due(dossier: Dossier) -> datetime | None:
    """The appointment a result is judged against (figures.py): the one before an apology,
    unless the deployment lets an apology extend the deadline."""
    apology = getattr(dossier, "apology", None) if dossier.apology_count else None
    if apology is not None and not settings.MOTCUA_APOLOGY_EXTENDS_DEADLINE:
        return apology.previous_due_at
    return dossier.due_at


@dataclass(frozen=True)
class ScoredDossier:
    pk: int
    code: str
    receiving_id: int
    competent_id: int
    procedure_id: int
    timing: str | None  # early / on_time / late; None without an appointment
    step_timings: tuple[str, ...]
    supplements: int
    published: bool
    granted: bool
    result_file: bool  # a result file is attached (an electronic result)
    working_days: Decimal  # from receipt to the end of processing


@dataclass(frozen=True)
class ReceivedDossier:
    pk: int
    receiving_id: int
    competent_id: int
    procedure_id: int
    online: bool
    full_cycle: bool  # every step ran at the receiving agency
    late: bool  # resolved late in the period, or still open and overdue at its end
    digitised: bool  # every document handed in was scanned (at least one)


@dataclass(frozen=True)
class OfficerWork:
    user_id: int
    dossier_id: int
    step_timings: tuple[str, ...]
    supplements: int
    agency_ids: frozenset[int]  # where the officer's steps ran


def _timed(step: DossierStep, calendar: WorkCalendar) -> str | None:
    if step.due_at is None or step.finished_at is None:
        return None
    return str(step_verdict(step.finished_at, step.due_at, calendar).value)


def _unit_timings(dossier: Dossier, calendar: WorkCalendar) -> tuple[str, ...]:
    done = [
        s
        for s in dossier.steps.all()
        if s.state == DossierStep.State.DONE and s.finished_at <= dossier.finished_at
    ]
    return tuple(t for s in done if (t := _timed(s, calendar)) is not None)


def _dossier_timing(dossier: Dossier, calendar: WorkCalendar) -> str | None:
    due = judged_due(dossier)
    if due is None:
        return None
    return str(finished_verdict(dossier.finished_at, due, calendar).value)


def _working_days(dossier: Dossier, calendar: WorkCalendar) -> Decimal:
    spent = calendar.working_time_between(dossier.received_at, dossier.finished_at)
    return Decimal(int(spent.total_seconds())) / calendar.hours.day_seconds


def _is_published(procedure: Procedure) -> bool:
    return procedure.is_active and procedure.current_version_id is not None


def scored_dossiers(period: Period, scope: Scope, calendar: WorkCalendar) -> list[ScoredDossier]:
    start, end = bounds(period)
    rows = in_scope(Dossier.objects.all(), scope).filter(
        received_at__isnull=False,
        status__in=WITH_RESULT,
        finished_at__gte=start,
        finished_at__lt=end,
    )
    rows = rows.select_related("procedure", "apology").prefetch_related("steps")
    results = Attachment.objects.filter(dossier=OuterRef("pk"), kind=Attachment.Kind.RESULT)
    rows = rows.annotate(result_file=Exists(results))
    return [
        ScoredDossier(
            pk=d.pk,
            code=d.code,
            receiving_id=d.receiving_agency_id,
            competent_id=d.competent_agency_id,
            procedure_id=d.procedure_id,
            timing=_dossier_timing(d, calendar),
            step_timings=_unit_timings(d, calendar),
            supplements=d.supplement_count,
            published=_is_published(d.procedure),
            granted=d.outcome == Dossier.Outcome.GRANTED,
            result_file=d.result_file,
            working_days=_working_days(d, calendar),
        )
        for d in rows.order_by("pk")
    ]


def _late(dossier: Dossier, period: Period) -> bool:
    """Ended late within the period, or open at its end and overdue then (the rule of
    Biểu 06: timeleft.judge and timeleft.overdue_at_end_of)."""
    due = judged_due(dossier)
    if due is None:
        return False
    _start, end = bounds(period)
    if dossier.finished_at is not None and dossier.finished_at < end:
        return judge(dossier.finished_at, due) == Verdict.LATE
    return due < overdue_at_end_of(period.last)


def received_dossiers(period: Period, scope: Scope) -> list[ReceivedDossier]:
    start, end = bounds(period)
    rows = in_scope(Dossier.objects.all(), scope).filter(
        received_at__gte=start, received_at__lt=end
    )
    steps = Prefetch("steps", queryset=DossierStep.objects.only("dossier_id", "agency_id"))
    rows = rows.select_related("apology").prefetch_related(steps)
    rows = rows.annotate(
        documents=Count("components", distinct=True),
        scanned=Count("components", filter=Q(components__is_digitised=True), distinct=True),
    )
    return [
        ReceivedDossier(
            pk=d.pk,
            receiving_id=d.receiving_agency_id,
            competent_id=d.competent_agency_id,
            procedure_id=d.procedure_id,
            online=d.channel == Channel.ONLINE,
            full_cycle=all(s.agency_id == d.receiving_agency_id for s in d.steps.all()),
            late=_late(d, period),
            # Scanned here, or recorded as digitised by the system the history came from.
            digitised=(d.documents > 0 and d.scanned == d.documents) or d.digitised_before_import,
        )
        for d in rows.order_by("pk")
    ]


def _completers(step_ids: list[int]) -> dict[int, int]:
    """step id -> the user who completed it (the last COMPLETE_STEP event)."""
    events = DossierEvent.objects.filter(
        step_id__in=step_ids, action=Action.COMPLETE_STEP, actor__isnull=False
    ).order_by("created_at", "pk")
    return dict(events.values_list("step_id", "actor_id"))


def officer_work(period: Period, scope: Scope, calendar: WorkCalendar) -> list[OfficerWork]:
    """One row per (officer, dossier): the officer's steps done in the period, and the
    supplement requests the officer made on that dossier."""
    start, end = bounds(period)
    dossiers = in_scope(Dossier.objects.all(), scope).values("pk")
    steps = list(
        DossierStep.objects.filter(
            dossier__in=dossiers,
            state=DossierStep.State.DONE,
            finished_at__gte=start,
            finished_at__lt=end,
        ).order_by("dossier_id", "order", "pk")
    )
    who = _completers([s.pk for s in steps])
    grouped: dict[tuple[int, int], list[DossierStep]] = {}
    for step in steps:
        user_id = who.get(step.pk, step.assignee_id)
        if user_id is not None and _timed(step, calendar) is not None:
            grouped.setdefault((user_id, step.dossier_id), []).append(step)
    asked = _supplements_by(list({d for _u, d in grouped}))
    return [
        OfficerWork(
            user,
            dossier,
            tuple(_timed(s, calendar) for s in done),
            asked.get((user, dossier), 0),
            frozenset(s.agency_id for s in done),
        )
        for (user, dossier), done in grouped.items()
    ]


def _supplements_by(dossier_ids: list[int]) -> dict[tuple[int, int], int]:
    counts: dict[tuple[int, int], int] = {}
    rows = SupplementRequest.objects.filter(dossier_id__in=dossier_ids)
    for user_id, dossier_id in rows.values_list("requested_by_id", "dossier_id"):
        counts[(user_id, dossier_id)] = counts.get((user_id, dossier_id), 0) + 1
    return counts


# --- Procedures -----------------------------------------------------------------------------


@dataclass(frozen=True)
class ProcedureFacts:
    pk: int
    online: bool  # partial or end-to-end online (level 3/4)
    complete: bool  # its published record states every element of Decree 63/2010 art. 8.2
    with_fees: bool  # a fee or charge to pay (an amount above 0, or a rule)


def scoped_procedures(scope: Scope) -> QuerySet[Procedure]:
    """Published procedures, within the scope's field and procedure if it names them."""
    published = Procedure.objects.published()
    if scope.field_id is not None:
        published = published.filter(field_id=scope.field_id)
    if scope.procedure_id is not None:
        published = published.filter(pk=scope.procedure_id)
    return published


def provided_by(agency_ids: set[int] | None, scope: Scope) -> dict[int, set[int]]:
    """agency id -> ids of the published procedures it carries out or decides (the local
    catalogue: the version's implementing agencies and deciding agency). None: every
    agency named."""
    published = scoped_procedures(scope)
    found: dict[int, set[int]] = {}
    for path in ("current_version__implementing_agencies", "current_version__deciding_agency"):
        rows = published.filter(**{f"{path}__isnull": False})
        if agency_ids is not None:
            rows = rows.filter(**{f"{path}__in": list(agency_ids)})
        for agency_id, procedure_id in rows.values_list(path, "pk"):
            found.setdefault(agency_id, set()).add(procedure_id)
    return found


REQUIRED_TEXT = (
    ("name",),
    ("steps_text",),
    ("channels",),
    ("time_limit_text", "time_limit_value"),
    ("target_subjects", "applicant_types"),
    ("implementing_agency_text", "competent_authority_text"),
    ("result", "results"),
    ("legal_basis_text", "legal_basis"),
)


def is_complete(version, documents: int) -> bool:
    """Decree 63/2010 art. 8.2: name, sequence of steps, channels, documents, time limit,
    who may apply, implementing agency, result and legal basis (fees, forms and conditions
    only where the procedure has them)."""
    filled = all(
        any(getattr(version, name) not in (None, "", []) for name in names)
        for names in REQUIRED_TEXT
    )
    return filled and documents > 0


def procedure_facts(ids: set[int]) -> dict[int, ProcedureFacts]:
    fee = Q(current_version__fees__amount__gt=0) | Q(current_version__fees__amount__isnull=True)
    rows = (
        Procedure.objects.filter(pk__in=list(ids))
        .select_related("current_version")
        .annotate(
            documents=Count("current_version__components", distinct=True),
            fees=Count("current_version__fees", filter=fee, distinct=True),
        )
    )
    return {
        p.pk: ProcedureFacts(
            p.pk,
            p.online_level in ONLINE_LEVELS,
            p.current_version is not None and is_complete(p.current_version, p.documents),
            p.fees > 0,
        )
        for p in rows
    }
