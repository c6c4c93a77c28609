"""Quality indicators for a period and a scope, like the reports (scope.py): the nine
indicators of Circular 01/2018/TT-VPCP arts. 13-15 for the whole scope, per unit and per
officer, and the QĐ 766/QĐ-TTg groups (qd766.py). The one entry point is `build()`.

Every figure carries what it was computed from (numerator, denominator, the count of
dossiers per points) and the inputs motcua does not record yet, which are counted as none
and named in `not_measured` — never silently (docs/indicators.md).
"""

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from motcua.organisations.models import Agency
from motcua.workdays.loader import get_calendar

from . import qd766
from . import quality_facts as facts
from . import scoring as s
from .scope import Period, Scope, level_of

DOSSIER, UNIT = "dossier", "unit"

COMPLAINTS, POSTING, OTHER_AGENCIES = facts.COMPLAINTS, facts.POSTING, facts.OTHER_AGENCIES


@dataclass(frozen=True)
class Spec:
    label: object
    per: str
    formula: object
    not_measured: tuple[str, ...] = ()


SPECS: dict[int, Spec] = {
    1: Spec(
        _("Total time of resolution against the legal time limit"),
        DOSSIER,
        _(
            "Per dossier resolved in the period: 2 if the result was ready on a day before "
            "the appointment, 1 by the appointment, 0 after it (the appointment before an "
            "apology). Score = mean, one decimal."
        ),
    ),
    2: Spec(
        _("Time taken by each unit against its allotment"),
        DOSSIER,
        _(
            "Per dossier: each processing step against its own deadline (its budget in "
            "working hours): 2 if every step ended early, 1 if none was late, 0 if one was "
            "late. Score = mean, one decimal."
        ),
    ),
    3: Spec(
        _("Contacts needed to complete the dossier"),
        DOSSIER,
        _(
            "Per dossier: supplement requests after receipt: none 2, one 1, more 0. Score "
            "= mean, one decimal."
        ),
    ),
    4: Spec(
        _("Agencies contacted to complete the dossier"),
        DOSSIER,
        _(
            "Per dossier: no supplement needed 2; supplements handed in only at the "
            "one-stop section 1; other agencies too 0. Score = mean, one decimal."
        ),
        (OTHER_AGENCIES,),
    ),
    5: Spec(
        _("Receipt, appraisal, approval and return at the one-stop section"),
        UNIT,
        _(
            "Per unit, of the procedures of the dossiers it received or resolved in the "
            "period: share run wholly at the receiving agency ≥ the quota of its level (20% "
            "province, 100% commune) 2; all at least received and returned there 1; else 0."
        ),
    ),
    6: Spec(
        _("Publication of the procedure"),
        DOSSIER,
        _(
            "Per dossier: its procedure posted at the office and published electronically "
            "2, one of the two 1, neither 0. Score = mean, one decimal."
        ),
        (POSTING,),
    ),
    7: Spec(
        _("Attitude of the officers"),
        DOSSIER,
        _(
            "Per dossier: early and no founded complaint 2, on time and no founded complaint "
            "1, late or a founded complaint 0. Score = mean, one decimal."
        ),
        (COMPLAINTS,),
    ),
    8: Spec(
        _("Complaints and feedback handled on time"),
        UNIT,
        _("Per unit: all on time, or none received, 2; at least 90% 1; less, or long-running, 0."),
        (COMPLAINTS,),
    ),
    9: Spec(
        _("Online public services"),
        UNIT,
        _(
            "Per unit: ≥20% of its procedures online (partial or end-to-end), ≥30% of its "
            "dossiers received online and none of them late 2; some procedures online, "
            "≥15% online and none late 1; else 0."
        ),
    ),
}
STAFF_SPECS = {
    2: _("Own steps against their allotment: all early 2, none late 1, one late 0."),
    3: _("Supplement requests the officer made on the dossier: none 2, one 1, more 0."),
    7: _("Own steps early 2, on time 1, late 0; 0 with a founded complaint."),
}


@dataclass
class Score:
    """One indicator for a set of dossiers or units."""

    number: int
    score: Decimal | None  # None: N/A, nothing to score
    numerator: int  # points summed
    denominator: int  # dossiers (or units) scored
    counts: dict[int, int] = field(default_factory=dict)  # points -> how many
    basis: str = ""  # for unit indicators: the figures behind the points

    @property
    def spec(self) -> Spec:
        return SPECS[self.number]

    @property
    def not_measured(self) -> tuple[str, ...]:
        return self.spec.not_measured

    @property
    def not_measured_labels(self) -> list:
        return [facts.NOT_MEASURED[key] for key in self.not_measured]


def _score(number: int, points: Iterable[int | None], basis: str = "") -> Score:
    scored = [p for p in points if p is not None]
    counts = {value: scored.count(value) for value in (2, 1, 0)}
    return Score(number, s.mean_points(scored), sum(scored), len(scored), counts, basis)


@dataclass
class Evaluation:
    """Nine indicators for a unit (agency_id) or the whole scope (agency_id None)."""

    agency_id: int | None
    name: str
    scored: int  # dossiers resolved with a result in the period
    received: int
    indicators: list[Score]

    @property
    def total(self) -> Decimal | None:
        return s.total(i.score for i in self.indicators)

    @property
    def grade(self) -> s.UnitGrade | None:
        return s.unit_grade(self.total)

    @property
    def not_measured(self) -> list[str]:
        return sorted({key for i in self.indicators for key in i.not_measured})


@dataclass
class Officer:
    user_id: int
    name: str
    dossiers: int
    indicators: list[Score]
    agencies: list[str] = field(default_factory=list)

    @property
    def total(self) -> Decimal | None:
        return s.total(i.score for i in self.indicators)

    @property
    def grade(self) -> s.StaffGrade | None:
        return s.staff_grade(self.total)


@dataclass
class Result:
    period: Period
    scope: Scope
    whole: Evaluation
    units: list[Evaluation]
    officers: list[Officer]
    groups: list[qd766.GroupResult]

    @property
    def not_measured(self) -> list[tuple[str, object]]:
        keys = set(self.whole.not_measured) | {k for g in self.groups for k in g.not_measured}
        return [(key, facts.NOT_MEASURED[key]) for key in sorted(keys)]


# --- Per dossier ----------------------------------------------------------------------------

DOSSIER_POINTS: dict[int, Callable[[facts.ScoredDossier], int | None]] = {
    1: lambda d: None if d.timing is None else s.total_time(d.timing),
    2: lambda d: s.unit_time(d.step_timings),
    3: lambda d: s.contacts(d.supplements),
    # Supplements are handed in at the one-stop section; other agencies are not recorded.
    4: lambda d: s.agencies_contacted(d.supplements, 0),
    6: lambda d: s.publication(False, d.published),  # posting not recorded yet
    7: lambda d: None if d.timing is None else s.attitude(d.timing, False),
}


# --- Per unit -------------------------------------------------------------------------------


@dataclass
class UnitFacts:
    level: str
    received: list[facts.ReceivedDossier]
    procedures: set[int]  # provided by the unit or asked of it in the period


def _full_cycle(unit: UnitFacts) -> tuple[int | None, str]:
    by_procedure: dict[int, bool] = {}
    for d in unit.received:
        by_procedure[d.procedure_id] = by_procedure.get(d.procedure_id, True) and d.full_cycle
    count, full = len(by_procedure), sum(by_procedure.values())
    # Every dossier is received and its result returned by the receiving agency's clerks.
    points = s.full_cycle(unit.level, count, full, count)
    return points, f"{full}/{count}"


def _online(unit: UnitFacts, procedures: dict[int, facts.ProcedureFacts]) -> tuple:
    known = [procedures[p] for p in unit.procedures if p in procedures]
    online_procedures = sum(p.online for p in known)
    online = [d for d in unit.received if d.online]
    late = sum(d.late for d in online)
    points = s.online(len(known), online_procedures, len(unit.received), len(online), late)
    basis = f"{online_procedures}/{len(known)}; {len(online)}/{len(unit.received)}; {late}"
    return points, basis


def _unit_scores(unit: UnitFacts, procedures) -> dict[int, tuple[int | None, str]]:
    return {
        5: _full_cycle(unit),
        8: (s.complaints(0, 0), "0/0"),  # no complaint register yet
        9: _online(unit, procedures),
    }


def _evaluation(agency_id, name, dossiers, unit_points, received: int) -> Evaluation:
    indicators = []
    for number, spec in SPECS.items():
        if spec.per == DOSSIER:
            indicators.append(_score(number, [DOSSIER_POINTS[number](d) for d in dossiers]))
        else:
            points = [p for p, _basis in unit_points[number]]
            basis = "; ".join(b for _p, b in unit_points[number]) if agency_id else ""
            indicators.append(_score(number, points, basis))
    return Evaluation(agency_id, name, len(dossiers), received, indicators)


def _belongs(d, agency_id: int) -> bool:
    return agency_id in (d.receiving_id, d.competent_id)


def _units(scope: Scope, scored, received) -> list[Agency]:
    ids = {i for d in [*scored, *received] for i in (d.receiving_id, d.competent_id)}
    if scope.agency_ids is not None:
        ids &= set(scope.agency_ids)
    return list(Agency.objects.filter(pk__in=ids).order_by("name"))


# --- Per officer ----------------------------------------------------------------------------


def _officers(work: list[facts.OfficerWork]) -> list[Officer]:
    by_user: dict[int, list[facts.OfficerWork]] = defaultdict(list)
    for row in work:
        by_user[row.user_id].append(row)
    users = get_user_model().objects.in_bulk(list(by_user))
    agency_ids = {a for row in work for a in row.agency_ids}
    names = dict(Agency.objects.filter(pk__in=agency_ids).values_list("pk", "name"))
    officers = []
    for user_id, rows in by_user.items():
        user = users[user_id]
        indicators = [
            _score(2, [s.unit_time(r.step_timings) for r in rows]),
            _score(3, [s.contacts(r.supplements) for r in rows]),
            _score(7, [s.attitude(s.worst(r.step_timings), False) for r in rows]),
        ]
        name = user.get_full_name() or user.get_username()
        where = sorted({names[a] for row in rows for a in row.agency_ids})
        officers.append(Officer(user_id, name, len(rows), indicators, where))
    return sorted(officers, key=lambda o: (o.total is None, -(o.total or 0), o.name))


# --- Entry point ----------------------------------------------------------------------------


def build(period: Period, scope: Scope) -> Result:
    """The indicators of the dossiers in `scope` for `period` (see the module docstring)."""
    calendar = get_calendar()
    scored = facts.scored_dossiers(period, scope, calendar)
    received = facts.received_dossiers(period, scope)
    units = _units(scope, scored, received)
    provided = facts.provided_by({u.pk for u in units}, scope)
    unit_facts = {
        u.pk: UnitFacts(
            level_of(u.kind),
            [d for d in received if _belongs(d, u.pk)],
            provided.get(u.pk, set()) | {d.procedure_id for d in received if _belongs(d, u.pk)},
        )
        for u in units
    }
    all_procedures = set().union(*(f.procedures for f in unit_facts.values()))
    all_procedures |= {d.procedure_id for d in received}
    procedure_facts = facts.procedure_facts(all_procedures)
    unit_points = {pk: _unit_scores(f, procedure_facts) for pk, f in unit_facts.items()}
    evaluations = [
        _evaluation(
            u.pk,
            u.name,
            [d for d in scored if _belongs(d, u.pk)],
            {n: [unit_points[u.pk][n]] for n in (5, 8, 9)},
            len(unit_facts[u.pk].received),
        )
        for u in units
    ]
    pooled = {n: [unit_points[u.pk][n] for u in units] for n in (5, 8, 9)}
    whole = _evaluation(None, str(_("Whole scope")), scored, pooled, len(received))
    officers = _officers(facts.officer_work(period, scope, calendar))
    groups = qd766.build(period, scope, scored, received)
    return Result(period, scope, whole, evaluations, officers, groups)
