"""Reports API: GET /api/v1/reports/bieu-06, the figures of Biểu 06/VPCP/KSTT as JSON.

The same report as the back-office page and its Excel and PDF (reports.report.build); the
scope is always cut to the agencies where the caller may view reports, and an agency or
department outside them answers 404 like every other endpoint. Labels follow the
Accept-Language header (Vietnamese by default).
"""

from datetime import date

from django.db.models import Model
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Status
from ninja.errors import ValidationError

from motcua.catalogue.models import Field, Procedure
from motcua.documents.bieu06 import how_counted, period_name
from motcua.organisations.models import Agency, Department
from motcua.organisations.permissions import agency_ids_for
from motcua.organisations.roles import Capability
from motcua.reports import figures as f
from motcua.reports.figures import rates
from motcua.reports.report import Report, Row, build
from motcua.reports.scope import Period, Scope

from .auth import STAFF_AUTH
from .errors import error_body
from .schemas.reports import Bieu06Filters, Bieu06Out
from .schemas.responses import answers

router = Router(tags=["reports"], auth=STAFF_AUTH)
# Ten years: enough for any trend, and a bound on the work one request asks for.
MAX_DAYS = 3653


def _invalid(param: str, message: str, kind: str) -> ValidationError:
    return ValidationError([{"loc": ["query", param], "msg": message, "type": kind}])


def _period(filters: Bieu06Filters) -> Period:
    if filters.date_to < filters.date_from:
        raise _invalid("to", "The period ends before it starts", "period_reversed")
    if (filters.date_to - filters.date_from).days >= MAX_DAYS:
        raise _invalid("to", f"The period is longer than {MAX_DAYS} days", "period_too_long")
    return Period(filters.date_from, filters.date_to)


def _id_by_code(model: type[Model], param: str, code: str | None) -> int | None:
    """The id of the catalogue row with `code`; an unknown code is invalid input (422)."""
    if not code:
        return None
    pk = model._default_manager.filter(code=code).values_list("pk", flat=True).first()
    if pk is None:
        raise _invalid(param, f"Unknown {param} code", "unknown_code")
    return pk


def _visible(agency_id: int | None, allowed: set[int] | None) -> int:
    """`agency_id` if it exists and the caller may report on it; 404 otherwise."""
    if agency_id is None or (allowed is not None and agency_id not in allowed):
        raise Http404
    return agency_id


def _scope(filters: Bieu06Filters, allowed: set[int] | None) -> Scope:
    agency_ids = None
    if filters.agency:
        pk = Agency.objects.filter(code=filters.agency).values_list("pk", flat=True).first()
        agency_ids = frozenset({_visible(pk, allowed)})
    if filters.department is not None:
        owner = (
            Department.objects.filter(pk=filters.department)
            .values_list("agency_id", flat=True)
            .first()
        )
        _visible(owner, allowed)
    return Scope(
        agency_ids,
        filters.department,
        _id_by_code(Field, "field", filters.field),
        _id_by_code(Procedure, "procedure", filters.procedure),
        filters.level or None,
    ).restricted_to(allowed)


def _key(key: object) -> object:
    return key.isoformat() if isinstance(key, date) else key


def _row(row: Row) -> dict:
    return {
        "key": _key(row.key),
        "label": row.label,
        "figures": row.figures,
        "rates": rates(row.figures),
    }


def _scope_out(scope: Scope, filters: Bieu06Filters) -> dict:
    codes = None
    if scope.agency_ids is not None:
        agencies = Agency.objects.filter(pk__in=scope.agency_ids).order_by("code")
        codes = list(agencies.values_list("code", flat=True))
    return {
        "agencies": codes,
        "department": scope.department_id,
        "field": filters.field or None,
        "procedure": filters.procedure or None,
        "level": scope.level,
    }


def serialise(report: Report, filters: Bieu06Filters) -> dict:
    period = report.period
    assert report.total is not None
    return {
        "period": {"first": period.first, "last": period.last, "name": period_name(period)},
        "scope": _scope_out(report.scope, filters),
        "group_by": report.group_by,
        "how_counted": "\n".join(how_counted(report)),
        "figure_labels": [
            {"key": name, "label": str(f.LABELS[name]), "in_form": name in f.BIEU_06}
            for name in f.BIEU_06 + f.EXTRA
        ],
        "rows": [_row(row) for row in report.rows],
        "total": _row(report.total),
    }


@router.get(
    "/bieu-06",
    response=answers(Bieu06Out, (401, 403, 404, 422)),
    summary="Biểu 06/VPCP/KSTT: dossiers received, resolved and in progress",
)
def bieu_06(request: HttpRequest, filters: Query[Bieu06Filters]):
    """The figures of Biểu số 06/VPCP/KSTT (Circular 01/2020/TT-VPCP) for the period `from`
    to `to` (local days, both included), within the agencies where the caller may view
    reports, optionally cut to one agency, department, field, procedure or level and
    grouped by `group_by`. `how_counted` gives the counting rules. Needs the view-reports
    capability (403); an agency or department the caller may not report on: 404; bad dates,
    a period that ends before it starts or spans more than ten years, unknown codes or
    groupings: 422."""
    allowed = agency_ids_for(request.auth, Capability.VIEW_REPORTS)
    if allowed is not None and not allowed:
        return Status(403, error_body("forbidden", _("You may not view reports.")))
    period = _period(filters)
    scope = _scope(filters, allowed)
    report = build(period, scope, filters.group_by)
    return Status(200, serialise(report, filters))
