"""The queue's monthly figures (/backoffice/hang-doi/thang/): the month's tickets and waiting
and service times per service point, service, counter and officer, over the points where the
reader receives dossiers, reads reports or supervises; and their Excel download."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from motcua.organisations import permissions as org_permissions

from . import monthly
from .forms import MonthForm
from .numbering import local_day
from .permissions import FIGURE_READERS, points_for

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _form(request) -> MonthForm:
    if org_permissions.agency_ids_for_any(request.user, FIGURE_READERS) == set():
        raise PermissionDenied
    points = list(
        points_for(request.user).select_related("reception_point__agency").order_by("slug")
    )
    data = request.GET.copy()
    data.setdefault("thang", local_day(timezone.now()).strftime("%Y-%m"))
    labels = monthly.point_labels(points)
    return MonthForm(data, points=[(p, labels[p.pk]) for p in points])


@login_required
def month_figures(request):
    form = _form(request)
    if not form.is_valid():
        return render(request, "queueing/monthly.html", {"form": form}, status=400)
    built = monthly.build(form.chosen_points(), form.cleaned_data["thang"])
    query = QueryDict(mutable=True)
    query.update({k: v for k, v in form.cleaned_data.items() if k == "diem" and v})
    query["thang"] = form.cleaned_data["thang"].strftime("%Y-%m")
    context = {
        "form": form,
        "month": built,
        "excel_url": f"{reverse('queueing:monthly-excel')}?{query.urlencode()}",
    }
    return render(request, "queueing/monthly.html", context)


@login_required
def month_excel(request):
    form = _form(request)
    if not form.is_valid():
        return render(request, "queueing/monthly.html", {"form": form}, status=400)
    built = monthly.build(form.chosen_points(), form.cleaned_data["thang"])
    response = HttpResponse(monthly.workbook(built), content_type=XLSX)
    name = f"hang-doi-{built.first:%Y-%m}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
