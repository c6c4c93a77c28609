"""The cashier's pages in the back office (/backoffice/thu-phi/): a dossier's payment
requests, cash or card taken with a token against double sends, exemptions, refunds, the
receipt PDF; the day's takings per agency. Each action: access check, form, one service,
redirect; a refused one draws the page again with what was typed (400, or the service's
status)."""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q, Sum
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import dues, refunds
from .collection import record_counter_payment
from .conf import RECEIPT_ZONE
from .errors import PaymentError
from .forms import CollectForm, FindForm, QuantitiesForm, RefundForm, WaiveForm, new_token
from .models import PaymentAttempt, PaymentRequest, Receipt
from .permissions import collecting_agencies, get_dossier_for_cashier, may_collect
from .receipts import receipt_pdf
from .vietqr import Transfer, VietQRError, ascii_text, qr_svg, transfer_payload

State = PaymentRequest.State


@dataclass
class Panel:
    """One payment request as the page shows it, with the forms it offers."""

    request: PaymentRequest
    attempts: list[PaymentAttempt]
    forms: dict[str, object] = field(default_factory=dict)
    qr: str = ""
    qr_payload: str = ""


def _vietqr(request: PaymentRequest) -> tuple[str, str]:
    """(SVG, payload) of the transfer QR of a due request with an account; empty otherwise."""
    if not (request.is_due and request.has_account and request.total > 0 and request.reference):
        return "", ""
    purpose = ascii_text(f"{request.reference} {request.dossier.code}")
    try:
        payload = transfer_payload(
            Transfer(request.bank_bin, request.bank_account, request.total, purpose)
        )
    except VietQRError:
        return "", ""
    return qr_svg(payload, scale=4), payload


def _panel(request: PaymentRequest, collector: bool, bound: tuple[int, str, object] | None):
    attempts = list(request.attempts.select_related("receipt__series", "created_by"))
    panel = Panel(request, attempts)
    if collector and request.is_due:
        panel.forms["collect"] = CollectForm(
            initial={"amount": request.total, "token": new_token()}
        )
        quantities = QuantitiesForm(request=request)
        if quantities.lines:
            panel.forms["quantities"] = quantities
        panel.forms["waive"] = WaiveForm(request=request)
    if collector and request.state == State.PAID:
        panel.forms["refund"] = RefundForm()
    if bound is not None and bound[0] == request.pk:
        panel.forms[bound[1]] = bound[2]
    panel.qr, panel.qr_payload = _vietqr(request)
    return panel


def _page(http, dossier, *, bound=None, status: int = 200):
    collector = may_collect(http.user, dossier)
    requests = dossier.payment_requests.select_related("collecting_agency").prefetch_related(
        "lines"
    )
    panels = [_panel(r, collector, bound) for r in requests.order_by("created_at", "pk")]
    context = {
        "dossier": dossier,
        "panels": panels,
        "collector": collector,
        "may_compute": collector and not panels,
    }
    return render(http, "payments/dossier.html", context, status=status)


@login_required
def dossier_payments(http, code: str):
    return _page(http, get_dossier_for_cashier(http.user, code))


def _payment_request(dossier, pk: int) -> PaymentRequest:
    return get_object_or_404(PaymentRequest, pk=pk, dossier=dossier)


def _refused(http, dossier, bound, error: PaymentError):
    form = bound[2]
    form.add_error(None, error.message)
    if error.code == "idempotency_key_reused" and isinstance(form, CollectForm):
        data = http.POST.copy()  # the form as sent, with a new token
        data["token"] = new_token()
        form.data = data
    return _page(http, dossier, bound=bound, status=error.status)


@login_required
@require_POST
def collect(http, code: str, pk: int):
    dossier = get_dossier_for_cashier(http.user, code)
    payment = _payment_request(dossier, pk)
    form = CollectForm(http.POST)
    if not form.is_valid():
        return _page(http, dossier, bound=(pk, "collect", form), status=400)
    data = form.cleaned_data
    try:
        done = record_counter_payment(
            payment,
            actor=http.user,
            method=data["method"],
            amount=data["amount"],
            key=data["token"],
            note=data["note"],
        )
    except PaymentError as error:
        return _refused(http, dossier, (pk, "collect", form), error)
    receipt = done.attempt.receipt
    if done.replayed:
        text = _(
            "This payment was recorded when the form was first sent, not twice: receipt %(n)s."
        )
        messages.info(http, text % {"n": receipt.number_text})
    else:
        messages.success(http, _("Payment recorded: receipt %(n)s.") % {"n": receipt.number_text})
    return redirect("payments:dossier", code=dossier.code)


@login_required
@require_POST
def quantities(http, code: str, pk: int):
    dossier = get_dossier_for_cashier(http.user, code)
    payment = _payment_request(dossier, pk)
    form = QuantitiesForm(http.POST, request=payment)
    if not form.is_valid():
        return _page(http, dossier, bound=(pk, "quantities", form), status=400)
    try:
        dues.set_quantities(payment, form.quantities(), actor=http.user)
    except PaymentError as error:
        return _refused(http, dossier, (pk, "quantities", form), error)
    messages.success(http, _("Quantities saved; the total is updated."))
    return redirect("payments:dossier", code=dossier.code)


@login_required
@require_POST
def waive(http, code: str, pk: int):
    dossier = get_dossier_for_cashier(http.user, code)
    payment = _payment_request(dossier, pk)
    form = WaiveForm(http.POST, request=payment)
    if not form.is_valid():
        return _page(http, dossier, bound=(pk, "waive", form), status=400)
    data = form.cleaned_data
    try:
        dues.waive_request(
            payment, actor=http.user, exemption=data["exemption"], reason=data["reason"]
        )
    except PaymentError as error:
        return _refused(http, dossier, (pk, "waive", form), error)
    messages.success(http, _("Recorded as exempt: nothing is collected."))
    return redirect("payments:dossier", code=dossier.code)


@login_required
@require_POST
def refund(http, code: str, pk: int):
    dossier = get_dossier_for_cashier(http.user, code)
    payment = _payment_request(dossier, pk)
    form = RefundForm(http.POST)
    if not form.is_valid():
        return _page(http, dossier, bound=(pk, "refund", form), status=400)
    try:
        refunds.refund_payment(payment, actor=http.user, reason=form.cleaned_data["reason"])
    except PaymentError as error:
        return _refused(http, dossier, (pk, "refund", form), error)
    messages.success(http, _("Refund recorded."))
    return redirect("payments:dossier", code=dossier.code)


@login_required
@require_POST
def compute(http, code: str):
    """What is owed at receipt, computed now (a dossier received before its fee items)."""
    dossier = get_dossier_for_cashier(http.user, code)
    if not may_collect(http.user, dossier):
        messages.error(
            http, _("Only a clerk of the receiving agency takes this dossier's payments.")
        )
        return _page(http, dossier, status=403)
    if dues.compute_request(dossier, actor=http.user) is None:
        messages.info(http, _("This procedure has no fee items: nothing is owed."))
    return redirect("payments:dossier", code=dossier.code)


@login_required
def receipt(http, pk: int):
    """The receipt PDF, for whoever may see its dossier."""
    found = get_object_or_404(
        Receipt.objects.select_related("series", "attempt__request__dossier", "issued_by"), pk=pk
    )
    dossier = get_dossier_for_cashier(http.user, found.attempt.request.dossier.code)
    if dossier.pk != found.attempt.request.dossier_id:
        raise Http404
    response = HttpResponse(receipt_pdf(found), content_type="application/pdf")
    name = f"bien-lai-{found.series.series_symbol}-{found.number_text}.pdf".replace("/", "-")
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response


# --- The day's takings -------------------------------------------------------------------


def _day(value: str | None) -> date:
    try:
        return date.fromisoformat(value) if value else timezone.localdate(timezone=RECEIPT_ZONE)
    except ValueError:
        return timezone.localdate(timezone=RECEIPT_ZONE)


@login_required
def cashier(http):
    """Find a dossier by code; the day's confirmed payments per agency and method."""
    find = FindForm(http.GET or None)
    if find.is_valid():
        code = find.cleaned_data["code"].strip()
        return redirect("payments:dossier", code=code)
    day = _day(http.GET.get("ngay"))
    start = datetime.combine(day, time.min, tzinfo=RECEIPT_ZONE)
    agencies = list(collecting_agencies(http.user))
    taken = PaymentAttempt.objects.filter(
        confirmed_at__gte=start,
        confirmed_at__lt=start + timedelta(days=1),
        request__collecting_agency__in=agencies,
    )
    totals = (
        taken.values("request__collecting_agency__name", "method")
        .annotate(
            count=Count("pk"),
            received=Sum("amount", filter=Q(state=PaymentAttempt.State.CONFIRMED)),
            refunded=Sum("amount", filter=Q(state=PaymentAttempt.State.REFUNDED)),
        )
        .order_by("request__collecting_agency__name", "method")
    )
    rows = taken.select_related(
        "request__dossier", "request__collecting_agency", "receipt__series", "created_by"
    ).order_by("request__collecting_agency__name", "confirmed_at")
    methods = dict(PaymentAttempt.Method.choices)
    context = {
        "find": FindForm(),
        "day": day,
        "agencies": agencies,
        "totals": [{**t, "method_label": methods[t["method"]]} for t in totals],
        "rows": list(rows),
    }
    return render(http, "payments/cashier.html", context)
