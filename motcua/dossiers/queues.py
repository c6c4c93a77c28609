"""Work queues: what is waiting for a staff member, as QuerySets for the list pages.

Every queue is scoped through organisations.permissions (agency_ids_for: a membership
covers the agencies below its agency) and access.py (department heads assign within their
department), and selects the related rows a list shows, so a page costs a fixed number of
queries whatever its length. Step queues only list steps of dossiers being processed
(status 4): a dossier waiting for the applicant is in `waiting_for_citizen`.

"Due within 24 hours" means 24 working hours, as the deadline worker (deadlines.py). Queues
of deadlines leave out dossiers whose clock is paused: their appointment is provisional.
"""

from datetime import datetime

from django.db.models import Exists, Func, OuterRef, Q, QuerySet
from django.utils import timezone

from motcua.organisations import permissions
from motcua.organisations.roles import Capability, Role
from motcua.workdays.loader import get_calendar

from . import access
from .deadlines import DUE_SOON_WORKING_HOURS
from .models import Consultation, Dossier, DossierStep
from .permissions import visible_agency_ids
from .status import Status
from .timeleft import overdue_before

STEP_RELATED = (
    "dossier",
    "dossier__procedure",
    "dossier__receiving_agency",
    "agency",
    "department",
    "assignee",
)
DOSSIER_RELATED = ("procedure", "receiving_agency", "competent_agency")
ANSWERING = (Capability.PROCESS_DOSSIER, Capability.ASSIGN_DOSSIER, Capability.APPROVE_DOSSIER)


def _within(ids: set[int] | None, field: str) -> Q:
    """Rows whose `field` is one of `ids` (None: no restriction)."""
    return Q() if ids is None else Q(**{f"{field}__in": ids})


def _dossiers(status_filter: Q) -> QuerySet[Dossier]:
    return Dossier.objects.filter(status_filter).select_related(*DOSSIER_RELATED)


def _active_steps() -> QuerySet[DossierStep]:
    return (
        DossierStep.objects.filter(
            state=DossierStep.State.ACTIVE, dossier__status=Status.PROCESSING
        )
        .select_related(*STEP_RELATED)
        .order_by("due_at", "pk")
    )


# --- The counter ----------------------------------------------------------------------------


def to_receive(user) -> QuerySet[Dossier]:
    """Online submissions waiting for a clerk of an agency where `user` receives."""
    ids = permissions.agency_ids_for(user, Capability.RECEIVE_DOSSIER)
    scope = _within(ids, "receiving_agency")
    return _dossiers(Q(status=Status.SUBMITTED) & scope).order_by("submitted_at", "pk")


def to_hand_over(user) -> QuerySet[Dossier]:
    """Received dossiers to hand over for processing (Decree 61/2018 art. 18)."""
    ids = permissions.agency_ids_for(user, Capability.RECEIVE_DOSSIER)
    scope = _within(ids, "receiving_agency")
    return _dossiers(Q(status=Status.RECEIVED) & scope).order_by("received_at", "pk")


def results_to_return(user) -> QuerySet[Dossier]:
    """Results (and refusals) waiting at the counters where `user` returns results."""
    ids = permissions.agency_ids_for(user, Capability.RETURN_RESULT)
    scope = _within(ids, "receiving_agency")
    return _dossiers(Q(status=Status.RESOLVED) & scope).order_by("finished_at", "pk")


# --- Steps ----------------------------------------------------------------------------------


def to_assign(user) -> QuerySet[DossierStep]:
    """Steps in progress without an officer, where `user` assigns (access.may_assign)."""
    agencywide = access.agencywide_assign_ids(user)
    scope = _within(agencywide, "agency")
    if agencywide is not None:
        headed = access.headed_departments(user)
        scope |= Q(department__in={department for department, _agency in headed})
        scope |= Q(
            department__isnull=True,
            role__in=access.HEADS_ASSIGN_UNDEPARTMENTED,
            agency__in={agency for _department, agency in headed},
        )
    return _active_steps().filter(scope, assignee__isnull=True)


def to_process(user) -> QuerySet[DossierStep]:
    """Steps in progress assigned to `user`."""
    if not getattr(user, "is_authenticated", False):
        return DossierStep.objects.none()
    return _active_steps().filter(assignee=user.pk)


def to_approve(user) -> QuerySet[DossierStep]:
    """Leaders' steps in progress where `user` approves, unassigned or assigned to them."""
    ids = permissions.agency_ids_for(user, Capability.APPROVE_DOSSIER)
    mine = Q(assignee__isnull=True) | Q(assignee=user.pk)
    return _active_steps().filter(_within(ids, "agency"), mine, role=Role.LEADER)


def department_steps(user) -> QuerySet[DossierStep]:
    """Every step in progress in the departments `user` heads (to follow the officers)."""
    return _active_steps().filter(department__in=access.assign_department_ids(user))


# --- Dossiers a member of staff can see -----------------------------------------------------


def visible(user) -> QuerySet[Dossier]:
    """Dossiers `user` may see (dossiers.permissions), without duplicates."""
    ids = visible_agency_ids(user)
    queryset = Dossier.objects.select_related(*DOSSIER_RELATED)
    if ids is None:
        return queryset
    has_step = Exists(DossierStep.objects.filter(dossier=OuterRef("pk"), agency__in=ids))
    return queryset.filter(Q(receiving_agency__in=ids) | Q(competent_agency__in=ids) | has_step)


def _running(user) -> QuerySet[Dossier]:
    return visible(user).open().filter(clock_paused_at__isnull=True, due_at__isnull=False)


def due_within_24h(user, now: datetime | None = None) -> QuerySet[Dossier]:
    """Open dossiers due within 24 working hours from now, soonest first."""
    now = now or timezone.now()
    limit = get_calendar().add_working_hours(now, DUE_SOON_WORKING_HOURS)
    # Not yet overdue by the on-time rule (timeleft.overdue_before: a dossier whose hour
    # passed today is due today, not overdue), and due within the window.
    start = overdue_before(now)
    return _running(user).filter(due_at__gte=start, due_at__lte=limit).order_by("due_at", "pk")


class SortedAfter(Func):
    """A column to sort by, that SQLite's planner must not read through its own index in
    order: written `+column` on SQLite (its documented way to keep an index out of a plan),
    as is elsewhere.

    Why: SQLite keeps no statistics of skew (no STAT4 in the builds we get), so it takes the
    open statuses (2,600 dossiers of a million) for half the table and prefers walking every
    dossier by `due_at` to sorting the open ones: the overdue queue took 0.7 s at a million
    dossiers once `ANALYZE` had run, against 0.3 ms through the (status, due_at) index and a
    sort (bench pages). PostgreSQL's statistics see the skew and need no hint."""

    template = "%(expressions)s"

    def as_sqlite(self, compiler, connection, **extra):
        return super().as_sql(compiler, connection, template="+%(expressions)s", **extra)


def overdue(user, now: datetime | None = None) -> QuerySet[Dossier]:
    """Open dossiers past their appointment, the longest overdue first."""
    late = overdue_before(now or timezone.now())  # the appointment's day is over (timeleft)
    by_due = SortedAfter("due_at", output_field=Dossier._meta.get_field("due_at"))
    return _running(user).filter(due_at__lt=late).order_by(by_due.asc(), "pk")


def waiting_for_citizen(user) -> QuerySet[Dossier]:
    """Dossiers waiting for a supplement (5) or a payment (6)."""
    statuses = (Status.SUPPLEMENT, Status.FINANCIAL)
    return visible(user).filter(status__in=statuses).order_by("updated_at", "pk")


# --- Consultations (Decree 61/2018 art. 19.5) -----------------------------------------------


def _consultations() -> QuerySet[Consultation]:
    related = ("dossier", "dossier__procedure", "to_agency", "requested_by", "step")
    return Consultation.objects.filter(answered_at__isnull=True).select_related(*related)


def consultations_to_answer(user) -> QuerySet[Consultation]:
    """Open consultations addressed to agencies where `user` processes or decides."""
    found: set[int] = set()
    for capability in ANSWERING:
        ids = permissions.agency_ids_for(user, capability)
        if ids is None:
            return _consultations().order_by("deadline_at", "pk")
        found |= ids
    return _consultations().filter(to_agency__in=found).order_by("deadline_at", "pk")


def overdue_consultations(user, now: datetime | None = None) -> QuerySet[Consultation]:
    """Unanswered consultations past their deadline, on dossiers `user` can see (for the
    head of the one-stop section, to whom art. 19.5 escalates them)."""
    late = _consultations().filter(deadline_at__lt=now or timezone.now())
    # Asked of each late consultation (a few), not as the list of every visible dossier,
    # which SQLite builds first: 0.7 s at a million dossiers.
    seen = Exists(visible(user).filter(pk=OuterRef("dossier_id")))
    return late.filter(seen).order_by("deadline_at", "pk")
