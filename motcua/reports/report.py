"""Biểu 06 as a table: rows per group with their labels, a total row, and the drill-down
behind each figure. The one entry point for pages, exports and the API."""

from dataclasses import dataclass, field

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from motcua.catalogue.models import Field, Procedure
from motcua.organisations.models import Agency, Department

from . import figures as f
from . import naive, tally_reads
from .scope import GroupBy, Level, Period, Scope


@dataclass
class Row:
    key: object  # group value: an id, a level, a month's first day; None for the total
    label: str
    figures: dict[str, int]

    def rate(self, figure: str, of: str) -> float | None:
        return f.rate(self.figures[figure], self.figures[of])


@dataclass
class Report:
    period: Period
    scope: Scope
    group_by: str
    rows: list[Row] = field(default_factory=list)
    total: Row | None = None
    method: str = "tallies"


def labels(group_by: str, keys: list) -> dict:
    ids = [k for k in keys if k is not None]
    if group_by in (GroupBy.AGENCY, GroupBy.RECEIVING_AGENCY):
        return dict(Agency.objects.filter(pk__in=ids).values_list("pk", "name"))
    if group_by == GroupBy.DEPARTMENT:
        return dict(Department.objects.filter(pk__in=ids).values_list("pk", "name"))
    if group_by == GroupBy.FIELD:
        return dict(Field.objects.filter(pk__in=ids).values_list("pk", "name"))
    if group_by == GroupBy.PROCEDURE:
        return {
            pk: f"{code} {name}"
            for pk, code, name in Procedure.objects.filter(pk__in=ids).values_list(
                "pk", "code", "name"
            )
        }
    if group_by == GroupBy.LEVEL:
        return {k: str(Level(k).label) for k in ids if k in Level.values}
    if group_by == GroupBy.MONTH:
        return {k: date_format(k, "m/Y") for k in ids}
    return {}


def _sum(rows: list[dict[str, int]]) -> dict[str, int]:
    total = dict.fromkeys(f.ALL, 0)
    for row in rows:
        for name in f.ALL:
            total[name] += row[name]
    return total


def build(period: Period, scope: Scope, group_by: str = "", *, method: str = "tallies") -> Report:
    """The report for `period` and `scope`, grouped. `method` "naive" computes from the
    dossier rows (the reference), "tallies" from the running tallies (fast)."""
    source = naive if method == "naive" else tally_reads
    counted = source.counts(period, scope, group_by)
    report = Report(period, scope, group_by, method=method)
    if group_by:
        names = labels(group_by, list(counted))
        unnamed = _("(none)")
        report.rows = sorted(
            (Row(key, names.get(key, unnamed), figures) for key, figures in counted.items()),
            # by label, then key (two units may share a name): never the database's order
            key=lambda row: row.key if group_by == GroupBy.MONTH else (row.label, str(row.key)),
        )
        # By month, the stock figures of the whole period (carried over at its start, in
        # progress at its end) are not the sum of the months'.
        total = (
            source.counts(period, scope)[None]
            if group_by == GroupBy.MONTH
            else _sum([row.figures for row in report.rows])
        )
    else:
        total = counted[None]
    report.total = Row(None, _("Total"), total)
    return report
