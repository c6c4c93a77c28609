"""The cashier's reconciliation pages (/backoffice/thu-phi/doi-soat/): import a bank
statement, see what matched and what did not, match a line by hand or set it aside; the
daily reconciliation report per agency and channel, and its Excel export."""

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import daily, reconciliation
from .conf import RECEIPT_ZONE
from .errors import PaymentError
from .forms import MatchForm, PeriodForm, SetAsideForm, StatementForm
from .models import BankStatement, PaymentRequest, StatementLine
from .permissions import collecting_agencies

LIST = 200


def _agencies(user):
    return collecting_agencies(user)


@login_required
def statements(http):
    agencies = _agencies(http.user)
    form = StatementForm(http.POST or None, http.FILES or None, agencies=agencies)
    status = 200
    if http.method == "POST":
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                done = reconciliation.import_statement(
                    agency=form.cleaned_data["agency"],
                    name=upload.name,
                    content=upload.read(),
                    actor=http.user,
                )
            except PaymentError as error:
                form.add_error(None, error.message)
                status = error.status
            else:
                text = _("%(matched)d matched, %(unmatched)d to match by hand, %(known)d known.")
                counts = {
                    "matched": len(done.matched),
                    "unmatched": len(done.unmatched),
                    "known": done.known,
                }
                messages.success(http, text % counts)
                return redirect("payments:statements")
        else:
            status = 400
    return _statements_page(http, agencies, form, status)


def _statements_page(http, agencies, form, status):
    waiting = (
        StatementLine.objects.filter(
            statement__agency__in=agencies, state=StatementLine.State.UNMATCHED
        )
        .select_related("statement__agency")
        .order_by("booked_on", "pk")
    )
    recent = BankStatement.objects.filter(agency__in=agencies).select_related(
        "agency", "imported_by"
    )
    context = {
        "form": form,
        "waiting": list(waiting[:LIST]),
        "problems": reconciliation.PROBLEMS,
        "recent": list(recent[:20]),
    }
    return render(http, "payments/statements.html", context, status=status)


def _line(user, pk: int) -> StatementLine:
    line = get_object_or_404(
        StatementLine.objects.select_related("statement__agency", "attempt__receipt"), pk=pk
    )
    if line.statement.agency_id not in {a.pk for a in _agencies(user)}:
        raise Http404
    return line


@login_required
def line(http, pk: int):
    return _line_page(http, _line(http.user, pk))


def _line_page(http, line, *, match=None, aside=None, status=200):
    context = {
        "line": line,
        "problem": reconciliation.PROBLEMS.get(line.problem, line.problem),
        "candidates": reconciliation.candidates(line) if line.state == "unmatched" else [],
        "match": match or MatchForm(),
        "aside": aside or SetAsideForm(),
    }
    return render(http, "payments/statement_line.html", context, status=status)


@login_required
@require_POST
def match(http, pk: int):
    line = _line(http.user, pk)
    form = MatchForm(http.POST)
    if not form.is_valid():
        return _line_page(http, line, match=form, status=400)
    data = form.cleaned_data
    agency_id = line.statement.agency_id
    if data.get("choice"):
        found = PaymentRequest.objects.filter(pk=data["choice"], collecting_agency_id=agency_id)
        request = found.first()
    else:
        request = reconciliation.request_by_reference_or_code(agency_id, data["wanted"])
    if request is None:
        form.add_error(None, _("No payment request of this agency has that reference or code."))
        return _line_page(http, line, match=form, status=404)
    try:
        reconciliation.match_line(line, request, actor=http.user, note=data["note"])
    except PaymentError as error:
        form.add_error(None, error.message)
        return _line_page(http, line, match=form, status=error.status)
    messages.success(http, _("Matched: the payment is confirmed and its receipt issued."))
    return redirect("payments:statements")


@login_required
@require_POST
def set_aside(http, pk: int):
    line = _line(http.user, pk)
    form = SetAsideForm(http.POST)
    if not form.is_valid():
        return _line_page(http, line, aside=form, status=400)
    try:
        reconciliation.set_aside(line, actor=http.user, reason=form.cleaned_data["reason"])
    except PaymentError as error:
        form.add_error(None, error.message)
        return _line_page(http, line, aside=form, status=error.status)
    messages.success(http, _("Set aside."))
    return redirect("payments:statements")


def _period(http) -> tuple[date, date]:
    today = timezone.localdate(timezone=RECEIPT_ZONE)
    form = PeriodForm(http.GET)
    start = end = today
    if form.is_valid():
        start = form.cleaned_data["tu"] or today
        end = form.cleaned_data["den"] or start
    return (start, end) if start <= end else (end, start)


@login_required
def report(http):
    start, end = _period(http)
    rows = daily.build(_agencies(http.user), start, end)
    if http.GET.get("xlsx"):
        response = HttpResponse(
            daily.workbook(rows, start, end),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        name = f"doi-soat-{start.isoformat()}" + ("" if start == end else f"-{end.isoformat()}")
        response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
        return response
    context = {"rows": rows, "start": start, "end": end, "agencies": _agencies(http.user)}
    return render(http, "payments/reconciliation_report.html", context)
