"""Quality pages: the indicators (Circular 01/2018 nine indicators, QĐ 766 groups) for the
agencies where the staff member holds VIEW_REPORTS or SUPERVISE, and the supervision
lists for those where they hold SUPERVISE. Without the capability: 403; an agency outside
the member's agencies: 404. Parsing and rendering only: the figures are motcua.reports'."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone

from motcua.dossiers.timeleft import describe_time_left
from motcua.organisations.models import Agency
from motcua.organisations.permissions import agency_ids_for_any
from motcua.organisations.roles import Capability
from motcua.reports import indicators, scoring, supervision
from motcua.reports.scope import Scope

from . import appraisal_views
from .quality_forms import QualityForm

QUALITY = (Capability.VIEW_REPORTS, Capability.SUPERVISE)
SUPERVISION = (Capability.SUPERVISE,)


def _allowed(user, capabilities) -> set[int] | None:
    allowed = agency_ids_for_any(user, capabilities)
    if allowed is not None and not allowed:
        raise PermissionDenied
    return allowed


def _agencies(allowed: set[int] | None):
    agencies = Agency.objects.all() if allowed is None else Agency.objects.filter(pk__in=allowed)
    return list(agencies.order_by("code").only("pk", "code", "name"))


def _chosen(form: QualityForm, allowed: set[int] | None) -> tuple[Agency | None, set | None]:
    """The chosen agency (404 outside the allowed ones) and the agency ids to cover."""
    pk = form.cleaned_data.get("agency")
    if pk is None:
        return None, allowed
    if allowed is not None and pk not in allowed:
        raise Http404
    try:
        return Agency.objects.get(pk=pk), {pk}
    except Agency.DoesNotExist:
        raise Http404 from None


def _page(request, capabilities, default_period: str):
    allowed = _allowed(request.user, capabilities)
    form = QualityForm(request.GET, today=timezone.localdate(), default_period=default_period)
    context = {"form": form, "agencies": _agencies(allowed)}
    if not form.is_valid():
        return None, context
    agency, ids = _chosen(form, allowed)
    context.update(agency=agency, period=form.chosen_period(), cut=form.is_cut())
    return ids, context


@login_required
def indicators_page(request):
    template = "backoffice/quality/indicators.html"
    ids, context = _page(request, QUALITY, "quarter")
    if "period" not in context:
        return render(request, template, context, status=400)
    scope = Scope(None if ids is None else frozenset(ids))
    result = indicators.build(context["period"], scope)
    context.update(
        result=result,
        unit_rows=appraisal_views.unit_rows(request.user, context["period"], result.units),
        whole_row=appraisal_views.UnitRow(result.whole),
        specs=indicators.SPECS,
        staff_specs=indicators.STAFF_SPECS,
        unit_maximum=scoring.UNIT_MAXIMUM,
        staff_maximum=scoring.STAFF_MAXIMUM,
        staff_grades=list(scoring.StaffGrade),
    )
    return render(request, template, context)


def _with_time_left(pending, now) -> list:
    return [(p, describe_time_left(p.dossier.due_at, now)) for p in pending]


@login_required
def supervision_page(request):
    template = "backoffice/quality/supervision.html"
    ids, context = _page(request, SUPERVISION, "month")
    if "period" not in context:
        return render(request, template, context, status=400)
    watch = supervision.build(context["period"], ids)
    context.update(
        watch=watch,
        overdue=_with_time_left(watch.overdue, watch.now),
        due_soon=_with_time_left(watch.due_soon, watch.now),
        low_volume=supervision.LOW_VOLUME,
    )
    return render(request, template, context)
