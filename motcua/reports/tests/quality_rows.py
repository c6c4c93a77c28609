"""The quality facts computed directly from the dossier rows, dossier by dossier: the
reference the tallies are proven equal to (test_quality_tallies.py) and the baseline of
`make bench` (bench/bench_quality.py). Before decision 0015 this was how the quality page
computed its facts (quality_facts.py); its cost grows with the period's dossiers and steps.

`facts(period, scope)` gives the same `quality_facts.Facts` as `quality_reads.facts`, so
`indicators.build(period, scope, source=quality_rows)` builds the page from the rows.
"""

from collections import Counter
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db.models import Count, Exists, OuterRef, Prefetch, Q

from motcua.catalogue.models import Channel
from motcua.dossiers.models import (
    Attachment,
    Dossier,
    DossierEvent,
    DossierStep,
    SupplementRequest,
)
from motcua.dossiers.status import Action
from motcua.dossiers.timeleft import (
    Verdict,
    finished_verdict,
    judge,
    overdue_at_end_of,
    step_verdict,
)
from motcua.reports.naive import in_scope
from motcua.reports.quality_facts import WITH_RESULT, Facts, bounds
from motcua.reports.scope import Period, Scope
from motcua.workdays.calendar import WorkCalendar
from motcua.workdays.loader import get_calendar


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
    department_id: int | None
    procedure_id: int
    timing: str | None  # early / on_time / late; None without an appointment
    step_timings: tuple[str, ...]
    supplements: int
    granted: bool
    result_file: bool  # a result file is attached (an electronic result)
    working_seconds: int  # from receipt to the end of processing


@dataclass(frozen=True)
class ReceivedDossier:
    pk: int
    receiving_id: int
    competent_id: int
    department_id: int | None
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
        if s.state == DossierStep.State.DONE
        and s.finished_at is not None
        and dossier.finished_at is not None
        and s.finished_at <= dossier.finished_at
    ]
    return tuple(t for s in done if (t := _timed(s, calendar)) is not None)


def _dossier_timing(dossier: Dossier, calendar: WorkCalendar) -> str | None:
    due = judged_due(dossier)
    if due is None or dossier.finished_at is None:
        return None
    return str(finished_verdict(dossier.finished_at, due, calendar).value)


def _working_seconds(dossier: Dossier, calendar: WorkCalendar) -> int:
    assert dossier.received_at is not None and dossier.finished_at is not None
    spent = calendar.working_time_between(dossier.received_at, dossier.finished_at)
    return int(spent.total_seconds())


def scored_dossiers(period: Period, scope: Scope, calendar: WorkCalendar) -> list[ScoredDossier]:
    start, end = bounds(period)
    rows = in_scope(Dossier.objects.all(), scope).filter(
        received_at__isnull=False,
        status__in=WITH_RESULT,
        finished_at__gte=start,
        finished_at__lt=end,
    )
    rows = rows.select_related("apology").prefetch_related("steps")
    results = Attachment.objects.filter(dossier=OuterRef("pk"), kind=Attachment.Kind.RESULT)
    rows = rows.annotate(result_file=Exists(results))
    return [
        ScoredDossier(
            pk=d.pk,
            code=d.code,
            receiving_id=d.receiving_agency_id,
            competent_id=d.competent_agency_id,
            department_id=d.department_id,
            procedure_id=d.procedure_id,
            timing=_dossier_timing(d, calendar),
            step_timings=_unit_timings(d, calendar),
            supplements=d.supplement_count,
            granted=d.outcome == Dossier.Outcome.GRANTED,
            result_file=d.result_file,
            working_seconds=_working_seconds(d, calendar),
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
            department_id=d.department_id,
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
            tuple(t for s in done if (t := _timed(s, calendar)) is not None),
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


# --- Summed as the tallies sum them -------------------------------------------------------------


def _key(d) -> tuple[int, int, int, int]:
    return (d.receiving_id, d.competent_id, d.department_id or 0, d.procedure_id)


def _scored_counts(d: ScoredDossier) -> Counter:
    counts = Counter(scored=1, work_seconds=d.working_seconds)
    if d.timing is not None:
        counts[f"t_{d.timing}"] += 1
    worst = next((t for t in ("late", "on_time", "early") if t in d.step_timings), None)
    if worst is not None:
        counts[f"u_{worst}"] += 1
    if d.supplements == 1:
        counts["s_one"] += 1
    elif d.supplements > 1:
        counts["s_more"] += 1
    if d.granted:
        counts["granted"] += 1
        counts["granted_file"] += int(d.result_file)
    return counts


def _received_counts(d: ReceivedDossier) -> Counter:
    return Counter(
        received=1,
        online=int(d.online),
        split=int(not d.full_cycle),
        digitised=int(d.digitised),
        late_online=int(d.online and d.late),
    )


def facts(period: Period, scope: Scope) -> Facts:
    """quality_facts.Facts from the dossier rows (the definition, dossier by dossier)."""
    calendar = get_calendar()
    keys: dict = {}
    for d in scored_dossiers(period, scope, calendar):
        keys.setdefault(_key(d), Counter()).update(_scored_counts(d))
    for r in received_dossiers(period, scope):
        keys.setdefault(_key(r), Counter()).update(_received_counts(r))
    officers: dict[int, Counter] = {}
    agencies: dict[int, set[int]] = {}
    for work in officer_work(period, scope, calendar):
        worst = next((t for t in ("late", "on_time", "early") if t in work.step_timings), None)
        counts = Counter(dossiers=1)
        counts["lo"] += int(worst in ("late", "on_time"))
        counts["late"] += int(worst == "late")
        counts["s_one"] += int(work.supplements == 1)
        counts["s_more"] += int(work.supplements > 1)
        officers.setdefault(work.user_id, Counter()).update(counts)
        agencies.setdefault(work.user_id, set()).update(work.agency_ids)
    return Facts(
        {k: +v for k, v in keys.items()},
        {k: +v for k, v in officers.items()},
        agencies,
    )
