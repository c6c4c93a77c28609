"""The figures computed directly from the dossier rows: the definition (figures.py) as
database filters. Used for the drill-down lists, as the reference the running tallies are
tested against, and as the "plain GROUP BY" baseline of the benchmark. Its cost grows with
the history; the pages use tallies.py.
"""

from datetime import date, datetime, time

from django.conf import settings
from django.db.models import Case, Count, Exists, F, OuterRef, Q, QuerySet, Value, When
from django.db.models.functions import Coalesce, TruncDate
from django.db.models.lookups import GreaterThan, LessThan
from django.utils import timezone

from motcua.catalogue.models import Channel
from motcua.dossiers.models import Dossier, SupplementRequest
from motcua.dossiers.status import Status
from motcua.dossiers.timeleft import OnTimeRule, on_time_rule, overdue_at_end_of

from . import figures as f
from .scope import LEVEL_OF_KIND, GroupBy, Level, Period, Scope, kinds_of

GROUP_FIELDS = {
    GroupBy.AGENCY: "competent_agency_id",
    GroupBy.RECEIVING_AGENCY: "receiving_agency_id",
    GroupBy.DEPARTMENT: "department_id",
    GroupBy.FIELD: "procedure__field_id",
    GroupBy.PROCEDURE: "procedure_id",
    GroupBy.LEVEL: "level",
}
ENDED_OTHERWISE = Q(status__in=[Status.WITHDRAWN, Status.STOPPED]) | Q(
    outcome=Dossier.Outcome.REFUSED
)


def judged_due():
    if settings.MOTCUA_APOLOGY_EXTENDS_DEADLINE:
        return F("due_at")
    return Coalesce("apology__previous_due_at", "due_at")


def level_expression():
    whens = [
        When(competent_agency__kind=kind, then=Value(level))
        for kind, level in LEVEL_OF_KIND.items()
    ]
    return Case(*whens, default=Value(Level.PROVINCE))


def judged(queryset: QuerySet | None = None) -> QuerySet:
    """Dossiers with `jd`, the appointment lateness is judged against."""
    return (queryset if queryset is not None else Dossier.objects.all()).annotate(jd=judged_due())


def annotated(queryset: QuerySet | None = None) -> QuerySet:
    """Dossiers with their local days, for lists: r (received), e (ended), d (judged
    appointment), and jd."""
    tz = timezone.get_default_timezone()
    return judged(queryset).annotate(
        r=TruncDate("received_at", tzinfo=tz),
        e=TruncDate("finished_at", tzinfo=tz),
        d=TruncDate(judged_due(), tzinfo=tz),
    )


def in_scope(queryset: QuerySet, scope: Scope, on: str = "") -> QuerySet:
    """`queryset` limited to the dossiers of `scope`; `on`: the path to the dossier from the
    queryset's model ("dossier__"), when it is not a queryset of dossiers."""
    if scope.agency_ids is not None:
        ids = list(scope.agency_ids)
        queryset = queryset.filter(
            Q(**{f"{on}receiving_agency_id__in": ids}) | Q(**{f"{on}competent_agency_id__in": ids})
        )
    if scope.department_id is not None:
        queryset = queryset.filter(**{f"{on}department_id": scope.department_id})
    if scope.field_id is not None:
        queryset = queryset.filter(**{f"{on}procedure__field_id": scope.field_id})
    if scope.procedure_id is not None:
        queryset = queryset.filter(**{f"{on}procedure_id": scope.procedure_id})
    if scope.level:
        queryset = queryset.filter(**{f"{on}competent_agency__kind__in": kinds_of(scope.level)})
    return queryset


def midnight(day: date) -> datetime:
    """The instant a local day starts: "local day of x < day" is "x < midnight(day)"."""
    return timezone.make_aware(datetime.combine(day, time.min), timezone.get_default_timezone())


def _waiting(end: datetime) -> Exists:
    requests = SupplementRequest.objects.filter(
        dossier=OuterRef("pk"), requested_at__gte=OuterRef("received_at"), requested_at__lt=end
    )
    return Exists(requests.filter(Q(answered_at__isnull=True) | Q(answered_at__gte=end)))


def late_condition(rule: str | None = None) -> Q:
    """A result after the appointment by the on-time rule (dossiers.timeleft.judge), over
    `judged()` dossiers: a later local day than the appointment's (rule "hour": a later
    moment)."""
    if (rule or on_time_rule()) == OnTimeRule.HOUR:
        return Q(jd__isnull=False, finished_at__gt=F("jd"))
    tz = timezone.get_default_timezone()
    later_day = GreaterThan(TruncDate("finished_at", tzinfo=tz), TruncDate("jd", tzinfo=tz))
    return Q(jd__isnull=False) & Q(later_day)


def early_condition() -> Q:
    """A result on an earlier local day than the appointment's (timeleft.judge)."""
    tz = timezone.get_default_timezone()
    earlier_day = LessThan(TruncDate("finished_at", tzinfo=tz), TruncDate("jd", tzinfo=tz))
    return Q(jd__isnull=False) & Q(earlier_day)


def conditions(period: Period) -> dict[str, Q]:
    """One filter per base figure, over `judged()` dossiers. Days are compared through the
    instants they start, so no per-row date arithmetic is needed except for early and late
    (the local day of the result against the appointment's)."""
    start, end = midnight(period.first), midnight(period.after)
    overdue_before = overdue_at_end_of(period.last)
    received = Q(received_at__isnull=False)
    ended = received & Q(finished_at__gte=start, finished_at__lt=end)
    judged_ended = ended & ~ENDED_OTHERWISE
    late = judged_ended & late_condition()
    early = judged_ended & early_condition()
    open_at_end = (
        received & Q(received_at__lt=end) & (Q(finished_at__isnull=True) | Q(finished_at__gte=end))
    )
    this_period = Q(received_at__gte=start, received_at__lt=end)
    return {
        f.CARRIED_OVER: received
        & Q(received_at__lt=start)
        & (Q(finished_at__isnull=True) | Q(finished_at__gte=start)),
        f.RECEIVED_ONLINE: received & this_period & Q(channel=Channel.ONLINE),
        f.RECEIVED_IN_PERSON: received & this_period & ~Q(channel=Channel.ONLINE),
        f.RECEIVED_BY_POST: received & this_period & Q(channel=Channel.POSTAL),
        f.EARLY: early,
        f.LATE: late,
        f.ON_TIME: ended & ~late & ~early,
        f.IN_PROGRESS: open_at_end,
        f.OVERDUE: open_at_end
        & Q(jd__isnull=False, jd__lt=overdue_before, received_at__lt=overdue_before),
        f.WAITING_SUPPLEMENT: open_at_end & Q(_waiting(end)),
        f.WITHDRAWN: ended & Q(status=Status.WITHDRAWN),
        f.STOPPED: ended & Q(status=Status.STOPPED),
        f.REFUSED: ended & Q(outcome=Dossier.Outcome.REFUSED),
        f.NOT_RECEIVED: Q(status=Status.NOT_RECEIVED, finished_at__gte=start, finished_at__lt=end),
        f.APOLOGISED: received & Q(apology__created_at__gte=start, apology__created_at__lt=end),
        f.RETURNED_BY_POST: received
        & Q(returned_method=Channel.POSTAL, returned_at__gte=start, returned_at__lt=end),
    }


def relevant(period: Period) -> Q:
    """Dossiers that can count in the period at all (a cheap first filter)."""
    start, end = midnight(period.first), midnight(period.after)
    before_end = Q(received_at__isnull=True) | Q(received_at__lt=end)
    not_ended_before = (
        Q(finished_at__isnull=True) | Q(finished_at__gte=start) | Q(returned_at__gte=start)
    )
    return before_end & not_ended_before


BASE = [
    f.CARRIED_OVER,
    f.RECEIVED_ONLINE,
    f.RECEIVED_IN_PERSON,
    f.RECEIVED_BY_POST,
    f.EARLY,
    f.ON_TIME,
    f.LATE,
    f.IN_PROGRESS,
    f.OVERDUE,
    f.WAITING_SUPPLEMENT,
    f.WITHDRAWN,
    f.STOPPED,
    f.REFUSED,
    f.NOT_RECEIVED,
    f.APOLOGISED,
    f.RETURNED_BY_POST,
]


def counts(period: Period, scope: Scope, group_by: str = "") -> dict[object, dict[str, int]]:
    """{group value (None without grouping): {figure: count}}, all figures completed."""
    if group_by == GroupBy.MONTH:
        return {part.first: counts(part, scope)[None] for part in period.months()}
    rows = in_scope(judged(), scope).filter(relevant(period))
    if group_by == GroupBy.LEVEL:
        rows = rows.annotate(level=level_expression())
    where = conditions(period)
    aggregates = {name: Count("pk", filter=where[name]) for name in BASE}
    if not group_by:
        return {None: f.complete(rows.aggregate(**aggregates))}
    field = GROUP_FIELDS[group_by]
    grouped = rows.order_by().values(field).annotate(**aggregates)
    result = {row.pop(field): f.complete(row) for row in grouped}
    return {key: value for key, value in result.items() if any(value.values())}


def dossiers(figure: str, period: Period, scope: Scope) -> QuerySet:
    """The dossiers behind one figure (derived figures included)."""
    where = conditions(period)
    parts = {
        f.RECEIVED: [f.CARRIED_OVER, f.RECEIVED_ONLINE, f.RECEIVED_IN_PERSON],
        f.RESOLVED: [f.EARLY, f.ON_TIME, f.LATE],
        f.IN_TIME: None,
    }.get(figure, [figure])
    if figure == f.IN_TIME:
        condition = where[f.IN_PROGRESS] & ~where[f.OVERDUE]
    else:
        condition = Q()
        for name in parts:
            condition |= where[name]
    return in_scope(annotated(), scope).filter(relevant(period)).filter(condition)
