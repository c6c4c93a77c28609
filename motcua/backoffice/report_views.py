"""Statistics pages (Biểu 06/VPCP/KSTT, domain.md §8): the report table with its charts,
its Excel and PDF downloads, and the dossiers behind each figure. Always within the
agencies where the staff member holds VIEW_REPORTS."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse, QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.dossiers.permissions import visible_agency_ids
from motcua.dossiers.timeleft import OnTimeRule, on_time_rule
from motcua.organisations.models import Agency
from motcua.organisations.permissions import agency_ids_for
from motcua.organisations.roles import Capability
from motcua.reports import drilldown
from motcua.reports import figures as f
from motcua.reports.report import Report, build, labels
from motcua.workdays.loader import get_calendar

from . import report_display as display
from .report_forms import DrilldownForm, ReportForm

PAGE_SIZE = 50
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
NOT_QUERY = {"figure", "key", "page"}


def _allowed(user) -> set[int] | None:
    allowed = agency_ids_for(user, Capability.VIEW_REPORTS)
    if allowed is not None and not allowed:
        raise PermissionDenied
    return allowed


def _form(request, form_class=ReportForm):
    allowed = _allowed(request.user)
    return form_class(request.GET, allowed=allowed, today=timezone.localdate()), allowed


def _query(form: ReportForm) -> QueryDict:
    """The report's parameters as the links carry them (defaults made explicit)."""
    query = QueryDict(mutable=True)
    for name in form.fields:
        value = form.data.get(name)
        if name not in NOT_QUERY and value not in (None, ""):
            query[name] = value
    query.setdefault("group_by", "")
    return query


@login_required
def report(request):
    form, _allowed_ids = _form(request)
    if not form.is_valid():
        return render(request, "backoffice/reports/report.html", {"form": form}, status=400)
    period, scope, group_by = form.chosen_period(), form.chosen_scope(), form.grouping
    built = build(period, scope, group_by)
    query = _query(form)
    links = display.Links(reverse("backoffice:report-dossiers"), query)
    by_procedure = built if group_by == "procedure" else build(period, scope, "procedure")
    by_agency = built if group_by == "agency" else build(period, scope, "agency")
    context = {
        "form": form,
        "report": built,
        "period": period,
        "cut": form.is_cut(),
        "group_label": display.group_label(group_by),
        "table": display.table(built, links),
        "totals_only": not group_by,
        "procedure_options": display.procedure_options(by_procedure),
        "charts": display.charts(built, by_procedure, by_agency, links),
        "trend": display.trend(period, scope),
        "apology_extends": settings.MOTCUA_APOLOGY_EXTENDS_DEADLINE,
        "on_time_by_hour": on_time_rule() == OnTimeRule.HOUR,
        "excel_url": f"{reverse('backoffice:report-excel')}?{query.urlencode()}",
        "pdf_url": f"{reverse('backoffice:report-pdf')}?{query.urlencode()}",
    }
    return render(request, "backoffice/reports/report.html", context)


def _documents():
    # Imported here: the export module is optional for the pages themselves.
    from motcua.documents import bieu06

    return bieu06


def title_agency(form: ReportForm, allowed: set[int] | None) -> str:
    """The agency named in the export's title: the chosen one, or the highest agencies of
    the user's scope."""
    chosen = form.cleaned_data.get("agency")
    if chosen is not None:
        return chosen.name
    agencies = Agency.objects.filter(parent__isnull=True)
    if allowed is not None:
        agencies = Agency.objects.filter(pk__in=allowed).exclude(parent_id__in=allowed)
    return "; ".join(agencies.order_by("code").values_list("name", flat=True)[:3])


def _export(request, kind: str) -> HttpResponse:
    form, allowed = _form(request)
    if not form.is_valid():
        return render(request, "backoffice/reports/report.html", {"form": form}, status=400)
    built: Report = build(form.chosen_period(), form.chosen_scope(), form.grouping)
    documents = _documents()
    render_document = documents.bieu06_xlsx if kind == "xlsx" else documents.bieu06_pdf
    body = render_document(built, title_agency=title_agency(form, allowed))
    period = built.period
    name = f"bieu-06-{period.first:%Y%m%d}-{period.last:%Y%m%d}.{kind}"
    if kind == "xlsx":
        response = HttpResponse(body, content_type=XLSX)
        response["Content-Disposition"] = f'attachment; filename="{name}"'
    else:
        response = HttpResponse(body, content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="{name}"'
    return response


@login_required
def report_excel(request):
    return _export(request, "xlsx")


@login_required
def report_pdf(request):
    return _export(request, "pdf")


def _row_label(group_by: str, row) -> str:
    if not group_by:
        return ""
    return labels(group_by, [row]).get(row, _("(none)"))


@login_required
def dossiers(request):
    form, _allowed_ids = _form(request, DrilldownForm)
    template = "backoffice/reports/dossiers.html"
    if not form.is_valid():
        return render(request, template, {"form": form}, status=400)
    figure, group_by, row = form.cleaned_data["figure"], form.grouping, form.row
    period = drilldown.row_period(form.chosen_period(), group_by, row)
    found = drilldown.dossiers(figure, period, form.chosen_scope(), group_by, row)
    found = found.select_related("procedure", "competent_agency", "department")
    page = Paginator(found.order_by("received_at", "code"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    lines = drilldown.lines(list(page.object_list), timezone.now(), get_calendar())
    back = _query(form)
    pages = request.GET.copy()
    pages.pop("page", None)
    context = {
        "form": form,
        "figure_label": f.LABELS[figure],
        "row_label": _row_label(group_by, row),
        "group_label": display.group_label(group_by),
        "period": period,
        "page": page,
        "lines": display.openable(lines, visible_agency_ids(request.user)),
        "pages_query": pages.urlencode(),
        "report_url": f"{reverse('backoffice:report')}?{back.urlencode()}",
    }
    return render(request, template, context)
