"""The citizen pays online (/thanh-toan/<dossier code>/): what is due, the VietQR transfer and
the national payment platform; the return page; the receipt. Only the dossier's owner
(dossiers.permissions.get_account_dossier for the signed-in account, as "my
dossiers"), 404 for anyone else. And the platform's confirm callback, from server to server.
"""

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from motcua.accounts.models import CitizenAccount
from motcua.accounts.views import citizen_required
from motcua.dossiers.models import Dossier
from motcua.dossiers.permissions import get_account_dossier
from motcua.throttle.clients import client_ip

from . import online
from .errors import PaymentError
from .models import CallbackLog, PaymentAttempt, PaymentRequest, Receipt
from .receipts import receipt_pdf
from .vietqr import Transfer, VietQRError, ascii_text, qr_svg, transfer_payload

Outcome = CallbackLog.Outcome
QR_SCALE = 5  # ~265 px for a transfer's QR: scanned from a phone's screen by another phone
ACCEPTED = {
    Outcome.CONFIRMED,
    Outcome.FAILED,
    Outcome.PENDING,
    Outcome.REPLAYED,
    Outcome.CONFLICT,
    Outcome.IGNORED,
}


def _owned(request: HttpRequest, code: str) -> Dossier:
    account = CitizenAccount.objects.get(user=request.user.pk)
    return get_account_dossier(account, code)


def transfer_qr(payment: PaymentRequest) -> tuple[str, str]:
    """(SVG, purpose) of the VietQR transfer of a due request with an account."""
    if not (payment.is_due and payment.has_account and payment.total > 0 and payment.reference):
        return "", ""
    purpose = ascii_text(f"{payment.reference} {payment.dossier.code}")
    try:
        payload = transfer_payload(
            Transfer(payment.bank_bin, payment.bank_account, payment.total, purpose)
        )
    except VietQRError:
        return "", ""
    return qr_svg(payload, scale=QR_SCALE), purpose


@never_cache
@citizen_required
def pay_page(request: HttpRequest, code: str) -> HttpResponse:
    dossier = _owned(request, code)
    return _page(request, dossier)


def _page(request: HttpRequest, dossier: Dossier, *, error: str = "", status: int = 200):
    payments = list(
        dossier.payment_requests.exclude(state=PaymentRequest.State.CANCELLED)
        .select_related("collecting_agency")
        .prefetch_related("lines", "attempts__receipt")
        .order_by("created_at", "pk")
    )
    panels = []
    for payment in payments:
        qr, purpose = transfer_qr(payment)
        attempts = list(payment.attempts.all())
        receipts = [a.receipt for a in attempts if hasattr(a, "receipt")]
        waiting = any(
            a.method == PaymentAttempt.Method.PLATFORM and a.state in online.OPEN and a.pay_url
            for a in attempts
        )
        panels.append(
            {
                "request": payment,
                "qr": qr,
                "purpose": purpose,
                "receipts": receipts,
                "waiting": waiting,
            }
        )
    context = {
        "dossier": dossier,
        "panels": panels,
        "platform": online.platform_enabled(),
        "error": error,
    }
    return render(request, "payments/citizen_pay.html", context, status=status)


@citizen_required
@require_POST
def start(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    """Pay through the national payment platform: INIT, then off to the platform."""
    dossier = _owned(request, code)
    payment = get_object_or_404(PaymentRequest, pk=pk, dossier=dossier)
    back = request.build_absolute_uri(reverse("online_payments:return", args=[dossier.code]))
    try:
        started = online.start_online_payment(
            payment, actor=request.user, ip=client_ip(request) or "", return_url=back
        )
    except PaymentError as error:
        return _page(request, dossier, error=error.message, status=error.status)
    return redirect(started.pay_url)


@never_cache
@citizen_required
def returned(request: HttpRequest, code: str) -> HttpResponse:
    """Where the platform sends the browser back. Its query string is not read: the page
    shows what the server knows, after asking the platform itself about open attempts."""
    dossier = _owned(request, code)
    open_attempts = PaymentAttempt.objects.filter(
        request__dossier=dossier, method=PaymentAttempt.Method.PLATFORM, state__in=online.OPEN
    ).exclude(pay_url="")
    for attempt in open_attempts:
        online.check_attempt(attempt, force=True)
    return redirect("online_payments:pay", code=dossier.code)


@citizen_required
def receipt(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    dossier = _owned(request, code)
    found = get_object_or_404(
        Receipt.objects.select_related("series", "attempt__request__dossier"),
        pk=pk,
        attempt__request__dossier=dossier,
    )
    response = HttpResponse(receipt_pdf(found), content_type="application/pdf")
    name = f"bien-lai-{found.series.series_symbol}-{found.number_text}.pdf".replace("/", "-")
    response["Content-Disposition"] = f'inline; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    return response


@csrf_exempt
@require_POST
def platform_confirm(request: HttpRequest) -> JsonResponse:
    """The platform's confirm callback (server to server; no session, no CSRF token: the
    message's signature is what is checked)."""
    if not online.platform_enabled():
        raise Http404
    outcome = online.receive_callback(request.body)
    if outcome in ACCEPTED:
        return JsonResponse({"MaLoi": "00", "MoTa": outcome})
    return JsonResponse({"MaLoi": "01", "MoTa": outcome}, status=400)
