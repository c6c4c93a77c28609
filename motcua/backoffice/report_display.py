"""What the report page shows, from built reports: the Biểu 06 table rows with a
drill-down link behind every non-zero figure, the rates, and the charts' data."""

from dataclasses import dataclass
from datetime import date
from urllib.parse import quote

from django.http import QueryDict
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from motcua.reports import drilldown
from motcua.reports import figures as f
from motcua.reports.report import Report, Row, build
from motcua.reports.scope import GroupBy, Period, Scope, month_start

from . import report_charts as charts_

TOP = 10
TOTAL = object()  # the key of the total row: no group filter
NEW = charts_.Series("received", _("Newly received"))
RESOLVED = charts_.Series("resolved", _("Resolved"))
EARLY = charts_.Series("early", f.LABELS[f.EARLY])
ON_TIME = charts_.Series("on-time", f.LABELS[f.ON_TIME])
LATE = charts_.Series("late", f.LABELS[f.LATE])
OVERDUE = charts_.Series("overdue", f.LABELS[f.OVERDUE])


class Links:
    """Drill-down addresses: the report's parameters, the figure and the row (its grouping
    and key; the report's grouping unless another is given, as for the charts)."""

    def __init__(self, url: str, query: QueryDict):
        rest = query.copy()
        self.group_by = rest.pop("group_by", [""])[-1]
        self.prefix = f"{url}?{rest.urlencode()}&figure="

    def to(self, figure: str, key: object = TOTAL, group_by: str | None = None) -> str:
        grouping = self.group_by if group_by is None else group_by
        link = f"{self.prefix}{figure}&group_by={grouping}"
        if key is TOTAL:
            return link
        return f"{link}&key={quote(drilldown.format_key(key))}"


@dataclass(frozen=True)
class Cell:
    figure: str
    value: int
    href: str


@dataclass(frozen=True)
class TableRow:
    label: str
    cells: list[Cell]
    extra: list[Cell]
    on_time_rate: float | None
    online_share: float | None

    @property
    def has_extra(self) -> bool:
        return any(cell.value for cell in self.extra)


def group_label(group_by: str) -> str:
    return str(GroupBy(group_by).label) if group_by else ""


def _cells(row: Row, names: list[str], links: Links, key: object) -> list[Cell]:
    return [
        Cell(name, row.figures[name], links.to(name, key) if row.figures[name] else "")
        for name in names
    ]


def table_row(row: Row, links: Links, key: object) -> TableRow:
    rates = f.rates(row.figures)
    return TableRow(
        row.label,
        _cells(row, f.BIEU_06, links, key),
        _cells(row, f.EXTRA, links, key),
        rates["on_time_rate"],
        rates["online_share"],
    )


def table(report: Report, links: Links) -> dict:
    return {
        "rows": [table_row(row, links, row.key) for row in report.rows],
        "total": table_row(report.total, links, TOTAL),
        "headers": [f.LABELS[name] for name in f.EXTRA],
    }


def procedure_options(report: Report) -> list[tuple[str, str]]:
    """(code, name) of the procedures with dossiers in the report, for the code input."""
    options = []
    for row in report.rows:
        code, _space, name = row.label.partition(" ")
        if row.key is not None:
            options.append((code, name))
    return sorted(options)


def _ranked(report: Report, figures: list[tuple[charts_.Series, str]], links: Links) -> list:
    def weight(row: Row) -> int:
        return sum(row.figures[name] for _, name in figures)

    def link(name: str, row: Row) -> str:
        return links.to(name, row.key, report.group_by)

    rows = sorted((r for r in report.rows if weight(r)), key=lambda r: (-weight(r), r.label))
    return [
        charts_.Ranked(
            row.label, [(series, row.figures[name], link(name, row)) for series, name in figures]
        )
        for row in rows[:TOP]
    ]


def charts(report: Report, by_procedure: Report, by_agency: Report, links: Links) -> dict:
    total = report.total.figures
    late_procedures = _ranked(by_procedure, [(LATE, f.LATE)], links)
    late_units = _ranked(by_agency, [(LATE, f.LATE), (OVERDUE, f.OVERDUE)], links)
    return {
        "shares": charts_.shares(
            [(EARLY, total[f.EARLY]), (ON_TIME, total[f.ON_TIME]), (LATE, total[f.LATE])]
        ),
        "resolved": total[f.RESOLVED],
        "late_procedures": late_procedures,
        "late_procedures_chart": charts_.ranking(late_procedures),
        "late_units": late_units,
        "late_units_chart": charts_.ranking(late_units),
    }


def months_back(day: date, count: int) -> date:
    index = day.year * 12 + day.month - 1 - count
    return date(index // 12, index % 12 + 1, 1)


def trend(period: Period, scope: Scope) -> dict:
    """Newly received, resolved and late per month, for the 12 months up to the period
    end (the last month cut at that day)."""
    window = Period(months_back(month_start(period.last), 11), period.last)
    by_month = {row.key: row.figures for row in build(window, scope, GroupBy.MONTH).rows}
    months = [part.first for part in window.months()]
    empty = dict.fromkeys(f.ALL, 0)
    rows = [(month, by_month.get(month, empty)) for month in months]
    values = {
        NEW.name: [n[f.RECEIVED_ONLINE] + n[f.RECEIVED_IN_PERSON] for _, n in rows],
        RESOLVED.name: [n[f.RESOLVED] for _, n in rows],
        LATE.name: [n[f.LATE] for _, n in rows],
    }
    titles = [date_format(month, "m/Y") for month in months]
    short = [date_format(month, "m/y") for month in months]
    chart = charts_.trend(short, values, [NEW, RESOLVED, LATE], titles)
    table = list(
        zip(titles, values[NEW.name], values[RESOLVED.name], values[LATE.name], strict=True)
    )
    return {"window": window, "chart": chart, "series": [NEW, RESOLVED, LATE], "table": table}


@dataclass(frozen=True)
class Listed:
    """A drill-down line as the viewer may see it. Who may see reports but not the dossiers
    (an agency administrator, say) sees that a dossier exists, its procedure, dates and the
    late step, but not which dossier it is nor the officer's name (docs/security.md)."""

    line: drilldown.Line
    can_open: bool

    @property
    def shown_code(self) -> str:
        code = self.line.dossier.code
        if self.can_open:
            return code
        head, _, tail = code.rpartition("-")
        return f"{head}-{'•' * len(tail)}" if head else "•" * len(code)


def openable(lines: list[drilldown.Line], visible: set[int] | None) -> list[Listed]:
    """Link a dossier only for staff who may open its page (dossiers.permissions)."""

    def may_open(line: drilldown.Line) -> bool:
        dossier = line.dossier
        agencies = {dossier.receiving_agency_id, dossier.competent_agency_id}
        agencies |= {step.agency_id for step in dossier.steps.all()}
        return visible is None or bool(agencies & visible)

    return [Listed(line, may_open(line)) for line in lines]
