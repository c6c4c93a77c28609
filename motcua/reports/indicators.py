"""Quality indicators for a period and a scope, like the reports (scope.py): the nine
indicators of Circular 01/2018/TT-VPCP arts. 13-15 for the whole scope, per unit and per
officer, and the QĐ 766/QĐ-TTg groups (qd766.py). The one entry point is `build()`.

Every figure carries what it was computed from (numerator, denominator, the count of
dossiers per points) and the inputs motcua does not record yet, which are counted as none
and named in `not_measured` — never silently (docs/indicators.md).
"""

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from motcua.catalogue.models import Procedure
from motcua.feedback import indicators as feedback_figures
from motcua.organisations.models import Agency

from . import qd766, quality_reads
from . import quality_facts as facts
from . import scoring as s
from .scope import Period, Scope, level_of

DOSSIER, UNIT = "dossier", "unit"

POSTING, OTHER_AGENCIES = facts.POSTING, facts.OTHER_AGENCIES


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
            "1, late or a founded complaint 0. A complaint judged founded (or partly) when "
            "answered in the period puts its dossier at 0, or counts as one more dossier at "
            "0 (its dossier resolved in another period, or a complaint about a procedure). "
            "Score = mean, one decimal."
        ),
    ),
    8: Spec(
        _("Complaints and feedback handled on time"),
        UNIT,
        _("Per unit: all on time, or none received, 2; at least 90% 1; less, or long-running, 0."),
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
    7: _(
        "Own steps early 2, on time 1, late 0; a founded complaint naming the officer, "
        "answered in the period, one more dossier at 0."
    ),
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
    founded: int = 0  # indicator 7: founded complaints answered in the period, counted

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


def _counted(number: int, two: int, one: int, zero: int) -> Score:
    """An indicator from how many dossiers scored 2, 1 and 0 points."""
    counts = {2: two, 1: one, 0: zero}
    numerator, denominator = 2 * two + one, two + one + zero
    return Score(number, s.mean_of(numerator, denominator), numerator, denominator, counts)


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


# --- Per dossier (from the facts summed over a set of keys) ----------------------------------


def _dossier_scores(c: Counter, published: int) -> dict[int, Score]:
    plain = c["scored"] - c["s_one"] - c["s_more"]
    return {
        1: _counted(1, c["t_early"], c["t_on_time"], c["t_late"]),
        2: _counted(2, c["u_early"], c["u_on_time"], c["u_late"]),
        3: _counted(3, plain, c["s_one"], c["s_more"]),
        # Supplements are handed in at the one-stop section; other agencies not recorded.
        4: _counted(4, plain, c["s_one"] + c["s_more"], 0),
        # Posting at the office not recorded yet: published electronically 1, else 0.
        6: _counted(6, 0, published, c["scored"] - published),
        7: _counted(7, c["t_early"], c["t_on_time"], c["t_late"]),
    }


@dataclass(frozen=True)
class Founded:
    """A complaint judged founded in the period (feedback.indicators.founded_in): the units
    it concerns (its dossier's receiving and resolving agencies, else the agency that
    handled it) and, when its dossier was scored in the period, that dossier's timing
    ("early", "on_time", "late"), whose points it takes to 0."""

    units: frozenset[int]
    timing: str | None
    officer: int | None = None


def _founded(period: Period, scope: Scope, keys: dict) -> list[Founded]:
    from motcua.dossiers.models import Dossier
    from motcua.dossiers.timeleft import judge, local_day

    from .tallies import facts_of

    rows = feedback_figures.founded_in(period.first, period.after)
    if not rows:
        return []
    narrowed = any((scope.department_id, scope.field_id, scope.procedure_id, scope.level))
    dossiers = Dossier.objects.in_bulk([row[1] for row in rows if row[1] is not None])
    found, seen = [], set()
    for _pk, dossier_id, handling, officer in rows:
        timing = None
        if dossier_id in seen:  # a dossier is at 0 once, however many founded complaints
            continue
        if dossier_id is None:
            if narrowed:  # a complaint about a procedure has no department, field or level
                continue
            units = frozenset({handling})
        else:
            f = facts_of(dossiers[dossier_id])
            key = (f.receiving_agency_id, f.competent_agency_id, f.department_id or 0)
            if narrowed and key + (f.procedure_id,) not in keys:
                continue
            units = frozenset(key[:2])
            seen.add(dossier_id)
            finished, due = f.finished_at, f.judged_due_at
            scored = f.received_at is not None and f.status in (9, 10)
            if (
                scored
                and finished is not None
                and due is not None
                and period.first <= local_day(finished) < period.after
            ):
                timing = judge(finished, due).value
        if scope.agency_ids is None or units & set(scope.agency_ids):
            found.append(Founded(units, timing, officer))
    return found


def _attitude(c: Counter, founded: list[Founded], agency_id: int | None) -> Score:
    """Indicator 7: the dossiers' timing, then each founded complaint about the unit (all of
    them for the whole scope) moves its dossier to 0 or adds one at 0."""
    counts = {"early": c["t_early"], "on_time": c["t_on_time"], "late": c["t_late"]}
    concerned = 0
    for f in founded:
        if agency_id is not None and agency_id not in f.units:
            continue
        concerned += 1
        if f.timing in ("early", "on_time") and counts[f.timing] > 0:
            counts[f.timing] -= 1
            counts["late"] += 1
        elif f.timing != "late":
            counts["late"] += 1  # one more dossier at 0
    score = _counted(7, counts["early"], counts["on_time"], counts["late"])
    score.founded = concerned
    return score


# --- Per unit -------------------------------------------------------------------------------


@dataclass
class UnitFacts:
    level: str
    by_procedure: dict[int, Counter]  # the unit's keys summed per procedure
    procedures: set[int]  # provided by the unit or asked of it in the period

    @property
    def received(self) -> int:
        return sum(c["received"] for c in self.by_procedure.values())


def _full_cycle(unit: UnitFacts) -> tuple[int | None, str]:
    asked = [c for c in unit.by_procedure.values() if c["received"]]
    count, full = len(asked), sum(not c["split"] for c in asked)
    # Every dossier is received and its result returned by the receiving agency's clerks.
    points = s.full_cycle(unit.level, count, full, count)
    return points, f"{full}/{count}"


def _online(unit: UnitFacts, procedures: dict[int, facts.ProcedureFacts]) -> tuple:
    known = [procedures[p] for p in unit.procedures if p in procedures]
    online_procedures = sum(p.online for p in known)
    received = unit.received
    online = sum(c["online"] for c in unit.by_procedure.values())
    late = sum(c["late_online"] for c in unit.by_procedure.values())
    points = s.online(len(known), online_procedures, received, online, late)
    basis = f"{online_procedures}/{len(known)}; {online}/{received}; {late}"
    return points, basis


def _unit_scores(
    unit: UnitFacts, procedures, complaints: tuple[int, int, int]
) -> dict[int, tuple[int | None, str]]:
    received, on_time, _long_running = complaints
    return {
        5: _full_cycle(unit),
        # The feedback register: (received, on time, long-running) (feedback.indicators).
        8: (s.complaints(*complaints), f"{on_time}/{received}"),
        9: _online(unit, procedures),
    }


def _evaluation(
    agency_id, name, summed: Counter, published: int, unit_points, founded: list[Founded]
) -> Evaluation:
    per_dossier = _dossier_scores(summed, published)
    per_dossier[7] = _attitude(summed, founded, agency_id)
    indicators = []
    for number, spec in SPECS.items():
        if spec.per == DOSSIER:
            indicators.append(per_dossier[number])
        else:
            points = [p for p, _basis in unit_points[number]]
            basis = "; ".join(b for _p, b in unit_points[number]) if agency_id else ""
            indicators.append(_score(number, points, basis))
    return Evaluation(agency_id, name, summed["scored"], summed["received"], indicators)


def _units(scope: Scope, keys: dict) -> list[Agency]:
    ids = {i for k, c in keys.items() if c["scored"] or c["received"] for i in k[:2]}
    if scope.agency_ids is not None:
        ids &= set(scope.agency_ids)
    return list(Agency.objects.filter(pk__in=ids).order_by("name"))


def _summed(keys: dict, agency_id: int | None = None) -> Counter:
    total: Counter = Counter()
    for key, counts in keys.items():
        if agency_id is None or agency_id in key[:2]:
            total.update(counts)
    return total


def _per_agency(keys: dict) -> dict[int, dict]:
    """agency id -> the keys it received or resolves (each key once per agency)."""
    found: dict[int, dict] = {}
    for key, counts in keys.items():
        for agency in set(key[:2]):
            found.setdefault(agency, {})[key] = counts
    return found


def _published_scored(keys: dict, published: set[int]) -> int:
    return sum(c["scored"] for k, c in keys.items() if k[3] in published)


def _by_procedure(keys: dict) -> dict[int, Counter]:
    found: dict[int, Counter] = {}
    for key, counts in keys.items():
        found.setdefault(key[3], Counter()).update(counts)
    return found


# --- Per officer ----------------------------------------------------------------------------


def _officers(found: facts.Facts, founded: Sequence[Founded] = ()) -> list[Officer]:
    users = get_user_model().objects.in_bulk(list(found.officers))
    agency_ids = {a for ids in found.officer_agencies.values() for a in ids}
    names = dict(Agency.objects.filter(pk__in=agency_ids).values_list("pk", "name"))
    officers = []
    for user_id, c in found.officers.items():
        user = users[user_id]
        timed = (c["dossiers"] - c["lo"], c["lo"] - c["late"], c["late"])
        plain = c["dossiers"] - c["s_one"] - c["s_more"]
        # A founded complaint naming the officer concerned: one more dossier at 0.
        named = sum(f.officer == user_id for f in founded)
        indicators = [
            _counted(2, *timed),
            _counted(3, plain, c["s_one"], c["s_more"]),
            _counted(7, timed[0], timed[1], timed[2] + named),
        ]
        name = user.get_full_name() or user.get_username()
        where = sorted(names[a] for a in found.officer_agencies.get(user_id, ()))
        officers.append(Officer(user_id, name, c["dossiers"], indicators, where))
    return sorted(officers, key=lambda o: (o.total is None, -(o.total or 0), o.name))


# --- Entry point ----------------------------------------------------------------------------


def _published(keys: dict) -> set[int]:
    """The procedures of `keys` published now (the portal shows them: indicator 6)."""
    ids = {k[3] for k, c in keys.items() if c["scored"]}
    rows = Procedure.objects.filter(pk__in=ids, is_active=True, current_version__isnull=False)
    return set(rows.values_list("pk", flat=True))


def build(period: Period, scope: Scope, *, source=None) -> Result:
    """The indicators of the dossiers in `scope` for `period` (see the module docstring),
    from the running tallies (quality_reads); `source`: another module with the same
    `facts(period, scope)` (the tests' and the benchmark's row-based reference)."""
    found = (source or quality_reads).facts(period, scope)
    keys = found.keys
    units = _units(scope, keys)
    own = _per_agency(keys)
    provided = facts.provided_by({u.pk for u in units}, scope)
    unit_facts = {}
    for u in units:
        by_procedure = _by_procedure(own.get(u.pk, {}))
        asked = {p for p, c in by_procedure.items() if c["received"]}
        procedures = provided.get(u.pk, set()) | asked
        unit_facts[u.pk] = UnitFacts(level_of(u.kind), by_procedure, procedures)
    catalogue = qd766.scope_procedures(scope, {k[3] for k, c in keys.items() if c["received"]})
    all_procedures = set().union(set(catalogue), *(f.procedures for f in unit_facts.values()))
    procedure_facts = facts.procedure_facts(all_procedures)
    complaints = feedback_figures.indicator_8(period.first, period.after, list(unit_facts))
    unit_points = {
        pk: _unit_scores(f, procedure_facts, complaints.get(pk, (0, 0, 0)))
        for pk, f in unit_facts.items()
    }
    published = _published(keys)
    founded = _founded(period, scope, keys)
    evaluations = [
        _evaluation(
            u.pk,
            u.name,
            _summed(own.get(u.pk, {})),
            _published_scored(own.get(u.pk, {}), published),
            {n: [unit_points[u.pk][n]] for n in (5, 8, 9)},
            founded,
        )
        for u in units
    ]
    pooled = {n: [unit_points[u.pk][n] for u in units] for n in (5, 8, 9)}
    whole = _evaluation(
        None,
        str(_("Whole scope")),
        _summed(keys),
        _published_scored(keys, published),
        pooled,
        founded,
    )
    in_scope = {pk: procedure_facts[pk] for pk in catalogue if pk in procedure_facts}
    groups = qd766.build(period, scope, keys, in_scope)
    return Result(period, scope, whole, evaluations, _officers(found, founded), groups)
