"""The QĐ 766/QĐ-TTg groups for a period and a scope (domain.md §7.3): publicity, progress,
online services, online payment, digitisation, satisfaction.

Each figure is a ratio (numerator ÷ denominator) read from the dossiers and the catalogue,
turned into points by its rule in scoring.RULES_766; a zero denominator is N/A and scores
nothing. Inputs motcua does not record yet count as none, and the figure names them
(quality_facts.NOT_MEASURED). docs/indicators.md gives each formula and its source.
"""

from collections import Counter
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from motcua.dossiers.models import Dossier
from motcua.feedback import indicators as feedback_figures
from motcua.payments import indicators as payment_figures
from motcua.payments.models import PaymentRequest
from motcua.registry import indicators as registry_figures
from motcua.workdays.loader import get_calendar

from . import figures as f
from . import quality_facts as facts
from . import scoring as s
from .naive import in_scope, midnight
from .report import build as build_report
from .scope import Period, Scope

F = facts


@dataclass(frozen=True)
class FigureSpec:
    label: object
    numerator: object
    denominator: object
    not_measured: tuple[str, ...] = ()


SPECS: dict[str, FigureSpec] = {
    "1.1": FigureSpec(
        _("Procedures announced on time"),
        _("procedures announced in time before their legal basis took effect"),
        _("procedures provided"),
        (F.ANNOUNCEMENT,),
    ),
    "1.2": FigureSpec(
        _("Procedures entered in the national database on time"),
        _("procedures entered on time"),
        _("procedures provided"),
        (F.NATIONAL_PORTAL,),
    ),
    "1.3": FigureSpec(
        _("Procedures whose record states every element of Decree 63/2010"),
        _("procedures with a complete record"),
        _("procedures provided"),
    ),
    "1.4": FigureSpec(
        _("Dossiers synchronised with the national portal"),
        _("dossiers synchronised"),
        _("dossiers received in the period"),
        (F.NATIONAL_PORTAL,),
    ),
    "2.1": FigureSpec(
        _("Dossiers resolved or in progress early, on time or in time"),
        _("resolved early or on time + in progress in time (Biểu 06)"),
        _("dossiers received, carried over included (Biểu 06)"),
    ),
    "2.2": FigureSpec(
        _("Average time to resolve a dossier"),
        _("working days from receipt to result, summed"),
        _("dossiers resolved with a result"),
    ),
    "3.1": FigureSpec(
        _("Procedures provided online"),
        _("procedures online, partly or end to end"),
        _("procedures provided"),
    ),
    "3.2": FigureSpec(
        _("Online services that received dossiers"),
        _("online procedures with at least one dossier filed online"),
        _("procedures online"),
    ),
    "3.3": FigureSpec(
        _("Dossiers filed online"),
        _("dossiers filed online"),
        _("dossiers received for procedures offered online"),
    ),
    "3.5": FigureSpec(
        _("Procedures with fees payable online"),
        _("procedures whose fees can be paid online"),
        _("procedures with fees"),
    ),
    "3.6": FigureSpec(
        _("Dossiers with fees paid online"),
        _("dossiers whose fees were paid through the national payment platform"),
        _("dossiers received in the period that owe a fee"),
    ),
    "4.1": FigureSpec(
        _("Results issued electronically"),
        _("granted dossiers with a result file"),
        _("dossiers granted in the period"),
    ),
    "4.2": FigureSpec(
        _("Dossiers digitised"),
        _("dossiers with every document scanned"),
        _("dossiers received in the period"),
    ),
    "4.3": FigureSpec(
        _("Digitised data reused"),
        _("dossiers reusing digitised documents or results"),
        _("dossiers received in the period"),
    ),
    "4.4": FigureSpec(
        _("Results linked to the citizen's data store"),
        _("dossiers linked to the citizen's data store"),
        _("dossiers received in the period"),
        (F.REUSE,),
    ),
    "4.5": FigureSpec(
        _("Use of the population database and VNeID"),
        _("dossiers filled from the population database or VNeID"),
        _("dossiers received in the period"),
        (F.REUSE,),
    ),
    "5.1": FigureSpec(
        _("Complaints and feedback categorised"),
        _("complaints categorised as policy, procedure or staff behaviour"),
        _("complaints received in the period"),
    ),
    "5.2": FigureSpec(
        _("Complaints and feedback handled on time"),
        _("complaints handled on time"),
        _("complaints received in the period"),
    ),
    "5.3": FigureSpec(
        _("Satisfaction with the handling of complaints"),
        _("answered − disliked − sent again − late"),
        _("complaints answered"),
    ),
    "5.4": FigureSpec(
        _("Satisfaction with the resolution of procedures"),
        _("received − late or overdue − with a complaint or a dislike"),
        _("dossiers received, carried over included (Biểu 06)"),
    ),
}


@dataclass
class FigureResult:
    code: str
    numerator: Decimal | int
    denominator: Decimal | int
    value: Decimal | None  # a percentage, or working days for 2.2; None: N/A
    points: Decimal | None

    @property
    def spec(self) -> FigureSpec:
        return SPECS[self.code]

    @property
    def rule(self) -> s.FigureRule:
        return s.RULES_766[self.code]

    @property
    def maximum(self) -> Decimal:
        return s.plain(self.rule.maximum)

    @property
    def is_average(self) -> bool:
        return self.code == "2.2"

    @property
    def not_measured(self) -> tuple[str, ...]:
        return self.spec.not_measured

    @property
    def not_measured_labels(self) -> list:
        return [facts.NOT_MEASURED[key] for key in self.not_measured]

    @property
    def rule_text(self) -> str:
        """The rule that turns the rate into points, in words."""
        rule = self.rule
        values = {"max": number_format(self.maximum)}
        if rule.target is not None:
            values["target"] = number_format(rule.target * 100, decimal_pos=0)
        texts = {
            s.Rule.LINEAR: _("points = rate × %(max)s"),
            s.Rule.PROPORTIONAL: _(
                "%(max)s points from %(target)s%%; below, rate × %(max)s ÷ %(target)s%%"
            ),
            s.Rule.THRESHOLD: _("%(max)s points from %(target)s%%; below, 0"),
            s.Rule.INFORMATION: _("shown without points"),
        }
        return str(texts[rule.rule]) % values


@dataclass
class GroupResult:
    key: str
    figures: list[FigureResult] = field(default_factory=list)

    @property
    def label(self):
        return s.Group(self.key).label

    @property
    def points(self) -> Decimal:
        total = sum((x.points or Decimal(0) for x in self.figures), Decimal(0))
        return total.quantize(s.TWO_DECIMALS)

    @property
    def maximum(self) -> Decimal:
        return s.group_maximum(self.key)

    @property
    def not_measured(self) -> list[str]:
        return sorted({k for x in self.figures for k in x.not_measured})


def scope_procedures(scope: Scope, received: set[int]) -> set[int]:
    """The procedures of the scope: provided by its agencies (all published ones for an
    unrestricted scope) and those of the dossiers received in the period."""
    if scope.agency_ids is None:
        ids = set(facts.scoped_procedures(scope).values_list("pk", flat=True))
    else:
        ids = set().union(*facts.provided_by(set(scope.agency_ids), scope).values())
    return ids | received


def _average_days(total: Counter) -> FigureResult:
    day_seconds = get_calendar().hours.day_seconds
    days = Decimal(total["work_seconds"]) / day_seconds
    count = total["scored"]
    value = (days / count).quantize(s.TWO_DECIMALS, ROUND_HALF_UP) if count else None
    return FigureResult("2.2", days.quantize(s.TWO_DECIMALS, ROUND_HALF_UP), count, value, None)


def _reuse(period: Period, scope: Scope, received_count: Decimal | int) -> dict[str, s.Ratio]:
    """4.3 from the registry (registry.indicators): the period's dossiers that took a
    registered document or result instead of its paper, over the period's dossiers (the
    tallies' count, as 4.2's: counting the rows again cost a tenth of a second a scope at a
    million dossiers)."""
    received = Dossier.objects.filter(
        received_at__gte=midnight(period.first), received_at__lt=midnight(period.after)
    )
    return {"4.3": s.Ratio(registry_figures.reusing(in_scope(received, scope)), received_count)}


def _payments(period: Period, scope: Scope, with_fees: set[int]) -> dict[str, s.Ratio]:
    """3.5 and 3.6 from the payments' records (payments.indicators): the fee procedures a
    citizen can pay online now, and of the period's dossiers owing a fee, those paid through
    the national payment platform."""
    requests = PaymentRequest.objects.filter(
        dossier__received_at__gte=midnight(period.first),
        dossier__received_at__lt=midnight(period.after),
    )
    paid, owing = payment_figures.figure_3_6(in_scope(requests, scope, on="dossier__"))
    return {
        "3.5": s.Ratio(*payment_figures.figure_3_5(with_fees)),
        "3.6": s.Ratio(paid, owing),
    }


def _feedback(period: Period, scope: Scope, sheet) -> dict[str, s.Ratio]:
    """5.1-5.4 from the feedback register and the ratings (feedback.indicators): the items
    received in the period by or at the scope's agencies (the register knows no department,
    field or procedure), and for 5.4 the scope's dossiers with a complaint or a dislike in
    the period beside Biểu 06's received and late."""
    items = feedback_figures.received_in(period.first, period.after, scope.agency_ids)
    dossiers = in_scope(Dossier.objects.all(), scope)
    flagged = feedback_figures.flagged_dossiers(dossiers, period.first, period.after)
    late = sheet[f.LATE] + sheet[f.OVERDUE]
    return {
        "5.1": s.Ratio(*feedback_figures.figure_5_1(items)),
        "5.2": s.Ratio(*feedback_figures.figure_5_2(items)),
        "5.3": s.Ratio(*feedback_figures.figure_5_3(items)),
        "5.4": s.Ratio(*feedback_figures.figure_5_4(sheet[f.RECEIVED], late, flagged)),
    }


def _ratios(keys: dict, procedures, sheet) -> dict[str, s.Ratio]:
    online = {pk for pk, p in procedures.items() if p.online}
    with_fees = {pk for pk, p in procedures.items() if p.with_fees}
    by_procedure: dict[int, Counter] = {}
    for key, counts in keys.items():
        by_procedure.setdefault(key[3], Counter()).update(counts)
    total = sum(by_procedure.values(), Counter())
    offered = [c for p, c in by_procedure.items() if p in online]
    received = sheet[f.RECEIVED]
    late = sheet[f.LATE] + sheet[f.OVERDUE]
    n = total["received"]
    return {
        "1.1": s.Ratio(0, len(procedures)),
        "1.2": s.Ratio(0, len(procedures)),
        "1.3": s.Ratio(sum(p.complete for p in procedures.values()), len(procedures)),
        "1.4": s.Ratio(0, n),
        "2.1": s.Ratio(sheet[f.EARLY] + sheet[f.ON_TIME] + sheet[f.IN_TIME], received),
        "3.1": s.Ratio(len(online), len(procedures)),
        "3.2": s.Ratio(sum(1 for c in offered if c["online"]), len(online)),
        "3.3": s.Ratio(sum(c["online"] for c in offered), sum(c["received"] for c in offered)),
        "3.5": s.Ratio(0, len(with_fees)),
        "3.6": s.Ratio(0, sum(c["received"] for p, c in by_procedure.items() if p in with_fees)),
        "4.1": s.Ratio(total["granted_file"], total["granted"]),
        "4.2": s.Ratio(total["digitised"], n),
        "4.3": s.Ratio(0, n),
        "4.4": s.Ratio(0, n),
        "4.5": s.Ratio(0, n),
        "5.1": s.Ratio(0, 0),
        "5.2": s.Ratio(0, 0),
        "5.3": s.Ratio(0, 0),
        "5.4": s.Ratio(max(received - late, 0), received),
    }


def build(period: Period, scope: Scope, keys: dict, procedures: dict) -> list[GroupResult]:
    """The QĐ 766 groups, in the order of the domain table, from the quality facts summed
    per tally key (quality_facts.Facts.keys), the scope's procedures (`scope_procedures`,
    with their quality_facts.procedure_facts) and Biểu 06."""
    sheet = build_report(period, scope).total.figures
    ratios = _ratios(keys, procedures, sheet)
    with_fees = {pk for pk, p in procedures.items() if p.with_fees}
    ratios.update(_payments(period, scope, with_fees))
    ratios.update(_reuse(period, scope, ratios["4.3"].denominator))
    ratios.update(_feedback(period, scope, sheet))
    results = {
        code: FigureResult(
            code, r.numerator, r.denominator, r.percent, s.figure_points(code, r.rate)
        )
        for code, r in ratios.items()
    }
    results["2.2"] = _average_days(sum(keys.values(), Counter()))
    groups = {g: GroupResult(g) for g in s.Group.values}
    for code in SPECS:
        groups[s.RULES_766[code].group].figures.append(results[code])
    return list(groups.values())
