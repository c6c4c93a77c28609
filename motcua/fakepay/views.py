"""A fake national payment platform for development and tests: the merchant API (INIT,
QUERY, GET_BILL: signed JSON with a bearer token, as the real one) and the page where the
payer pays, fails or abandons, with chaos to choose (chaos.py). Served only while
MOTCUA_FAKE_PAYMENTS is on (by default when DEBUG is); 404 otherwise."""

import json
from functools import wraps

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from . import chaos, delivery, merchant, signing
from .bill import bill_pdf
from .models import FakeTransaction


def enabled_only(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not settings.MOTCUA_FAKE_PAYMENTS:
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper


def _error(code: str, text: str, status: int = 200) -> JsonResponse:
    return JsonResponse({"error_code": code, "message": text}, status=status)


@csrf_exempt
@enabled_only
@require_POST
def api(request: HttpRequest) -> HttpResponse:
    if request.headers.get("Authorization") != f"Bearer {merchant.TOKEN}":
        return _error("401", "unauthorised", status=401)
    try:
        message = json.loads(request.body)
    except ValueError:
        return _error("98", "not JSON", status=400)
    if not isinstance(message, dict) or message.get("MaDoiTac") != merchant.MERCHANT:
        return _error("97", "unknown merchant", status=400)
    kind = message.get("LoaiBanTin")
    fields = signing.INIT if kind == "INIT" else signing.QUERY
    if kind not in {"INIT", "QUERY", "GET_BILL"}:
        return _error("96", "unknown message", status=400)
    if not signing.valid(message, fields, merchant.SECRET):
        return _error("01", "bad signature")
    if kind == "INIT":
        return _init(request, message)
    txn = FakeTransaction.objects.filter(reference=str(message.get("MaThamChieu"))).first()
    if txn is None:
        return _error("02", "unknown reference")
    return _query(txn) if kind == "QUERY" else _bill(txn)


def _init(request: HttpRequest, message: dict) -> JsonResponse:
    amount = message.get("SoTien")
    if not isinstance(amount, int) or amount <= 0 or message.get("MaTienTe") != "VND":
        return _error("03", "bad amount or currency")
    try:
        with transaction.atomic():
            txn = FakeTransaction.objects.create(
                merchant=merchant.MERCHANT,
                reference=str(message["MaThamChieu"]),
                txn_id=chaos.new_txn_id(),
                amount=amount,
                currency="VND",
                info=str(message.get("ThongTinGiaoDich", ""))[:500],
                return_url=str(message.get("UrlTraVe", ""))[:1000],
                init=message,
            )
    except IntegrityError:
        return _error("04", "reference already used")
    url = request.build_absolute_uri(reverse("fakepay:pay", args=[txn.reference]))
    return JsonResponse({"error_code": "0", "message": {"UrlThanhToan": url}})


def _query(txn: FakeTransaction) -> JsonResponse:
    FakeTransaction.objects.filter(pk=txn.pk).update(queries=F("queries") + 1)
    txn.queries += 1
    answer = {
        "LoaiBanTin": "QUERY",
        "TrangThaiGD": chaos.query_state(txn, timezone.now()),
        "MaDoiTac": txn.merchant,
        "MaThamChieu": txn.reference,
        "SoTien": txn.amount,
        "MaTienTe": txn.currency,
        "MaGiaoDich": txn.txn_id,
        "ThoiGianGD": signing.now_text(txn.decided_at or txn.created_at),
    }
    return JsonResponse({"error_code": "0", "message": answer})


def _bill(txn: FakeTransaction) -> HttpResponse:
    if txn.state != FakeTransaction.State.PAID:
        return _error("05", "not paid")
    return HttpResponse(bill_pdf(txn), content_type="application/pdf")


@enabled_only
@never_cache
@require_http_methods(["GET", "POST"])
def pay(request: HttpRequest, reference: str) -> HttpResponse:
    """The payer's page: pay, fail or abandon, with a chaos mode for testers."""
    txn = get_object_or_404(FakeTransaction, reference=reference)
    if request.method == "POST":
        outcome = request.POST.get("outcome", "")
        mode = request.POST.get("chaos", "")
        if outcome not in chaos.OUTCOMES or mode not in chaos.CHAOS:
            return render(request, "fakepay/pay.html", _context(txn), status=400)
        txn = chaos.decide(txn, outcome, mode)
        delivery.send_due(txn.pk)  # those due now; delayed ones by the periodic job
        return redirect(txn.return_url) if txn.return_url else redirect(request.path)
    return render(request, "fakepay/pay.html", _context(txn))


def _context(txn: FakeTransaction) -> dict:
    return {"txn": txn, "chaos_modes": chaos.CHAOS, "decided": txn.state != "pending"}


@csrf_exempt
@enabled_only
@require_POST
def send_now(request: HttpRequest) -> JsonResponse:
    """Send every owed callback now, delayed ones included (a tester's shortcut)."""
    from .models import FakeCallback

    FakeCallback.objects.filter(sent_at__isnull=True).update(due_at=timezone.now())
    return JsonResponse({"sent": delivery.send_due()})
