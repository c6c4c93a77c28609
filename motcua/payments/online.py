"""Paying through the national payment platform (capabilities.md §3.2, docs/payments.md).

The citizen starts a payment (INIT: an attempt with its own reference, MaThamChieu, and the
address to pay at); the platform tells us the outcome by a signed confirm callback; pending
attempts are asked about (QUERY) with exponential backoff until they settle or expire. The
browser's return to our site proves nothing and changes nothing: the return page shows what
the server knows (and may QUERY, server to server).

A notice (callback or QUERY answer) is believed only when its signature (callbacks), amount
and currency are right, and applied once: under the request's and the attempt's locks, a
paid notice for an attempt already confirmed with the same provider transaction is a replay;
a late failure after a confirmation changes nothing; the database refuses a second confirmed
attempt per request. Every notice is kept as received (CallbackLog) with what we made of it.
No lock is held during a call to the platform.
"""

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.audit.services import record_event
from motcua.outbox.backoff import Backoff

from . import conf, platform, platform_client
from .collection import confirm_attempt, series_for
from .errors import PaymentError
from .models import CallbackLog, PaymentAttempt, PaymentRequest
from .platform import Merchant, Notice
from .platform_client import PlatformUnavailable
from .vietqr import ascii_text

logger = logging.getLogger(__name__)
Method, AttemptState, Outcome = PaymentAttempt.Method, PaymentAttempt.State, CallbackLog.Outcome
OPEN = (AttemptState.CREATED, AttemptState.PENDING)
# QUERY after 2, 4, 8 ... minutes (jittered), at most every 6 hours; expired after 3 days
# (THS asks about attempts 30 minutes to 3 days old).
QUERY_BACKOFF = Backoff(base=120.0, cap=6 * 3600.0)
GIVE_UP = timedelta(days=3)
REUSE = timedelta(minutes=15)  # a second click reuses the open attempt's payment address
LEASE = timedelta(minutes=2)  # a worker's claim on an attempt it is asking about
MAX_BODY = 20_000


@dataclass(frozen=True)
class Started:
    attempt: PaymentAttempt
    pay_url: str


def platform_enabled() -> bool:
    return conf.merchant() is not None


def _merchant() -> Merchant:
    merchant = conf.merchant()
    if merchant is None:
        raise PaymentError("platform_off", _("Online payment is not available here."), status=409)
    return merchant


def start_online_payment(request: PaymentRequest, *, actor, ip: str, return_url: str) -> Started:
    """INIT a payment of `request` on the platform; the address to send the citizen to. The
    same citizen clicking twice within REUSE minutes gets the same attempt."""
    merchant = _merchant()
    attempt = _open_attempt(request, actor=actor)
    if attempt.pay_url:
        return Started(attempt, attempt.pay_url)
    try:
        url = platform_client.init(
            merchant,
            reference=attempt.reference,
            amount=attempt.amount,
            info=ascii_text(
                f"Thanh toan {attempt.request.reference} {attempt.request.dossier.code}",
                limit=200,
            ),
            at=attempt.created_at,
            ip=ip,
            return_url=return_url,
            receipt_data=receipt_data(attempt.request),
        )
    except PlatformUnavailable as error:
        _init_failed(attempt, str(error))
        raise PaymentError(
            "platform_unavailable",
            _("The national payment platform did not answer; try again in a few minutes."),
            status=503,
        ) from error
    return Started(_init_done(attempt, url), url)


@transaction.atomic
def _open_attempt(request: PaymentRequest, *, actor) -> PaymentAttempt:
    request = (
        PaymentRequest.objects.select_for_update()
        .select_related("dossier", "collecting_agency")
        .get(pk=request.pk)
    )
    if request.state != PaymentRequest.State.DUE or request.total <= 0:
        raise PaymentError("not_due", _("Nothing is due for this dossier now."), status=409)
    series_for(request)  # no lawful receipt, no payment
    recent = timezone.now() - REUSE
    reusable = request.attempts.filter(
        method=Method.PLATFORM, state=AttemptState.PENDING, created_at__gte=recent
    ).exclude(pay_url="")
    found = reusable.filter(amount=request.total).order_by("-created_at").first()
    if found is not None:
        return found
    attempt = PaymentAttempt.objects.create(
        request=request,
        method=Method.PLATFORM,
        state=AttemptState.CREATED,
        amount=request.total,
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    attempt.reference = f"{request.reference}-{attempt.pk}"
    attempt.save(update_fields=["reference"])
    record_event(
        "payment.started", attempt, actor=actor, reference=attempt.reference, amount=attempt.amount
    )
    return attempt


def receipt_data(request: PaymentRequest) -> dict[str, object]:
    """ThongTinBienLai: what the platform prints on its own receipt (unsigned)."""
    dossier = request.dossier
    code = dossier.procedure.code if dossier.procedure_id else ""
    return {
        "MaTTHC": code,
        "MaDVC": f"{code}.01" if code else "",
        "MaDonVi": request.collecting_agency.code,
        "MaHoSo": dossier.code,
        "TKThuHuong": request.bank_account,
        "MaNHThuHuong": request.bank_bin,
        "TenTKThuHuong": request.account_name,
        "HoTenNguoiNop": dossier.applicant_name,
        "SoCMNDNguoiNop": dossier.applicant_id_number,
        "DiaChiNguoiNop": dossier.applicant_address,
        "PhiLePhi": [
            {
                "LoaiPhiLePhi": {"phi": "1", "le_phi": "2"}.get(line.kind, "3"),
                "MaPhiLePhi": str(line.item_id or ""),
                "TenPhiLePhi": line.name,
                "SoTien": line.amount,
            }
            for line in request.lines.all()
        ],
    }


@transaction.atomic
def _init_done(attempt: PaymentAttempt, url: str) -> PaymentAttempt:
    attempt = PaymentAttempt.objects.select_for_update().get(pk=attempt.pk)
    if attempt.state == AttemptState.CREATED:
        attempt.state, attempt.pay_url = AttemptState.PENDING, url
        attempt.next_check_at = timezone.now() + timedelta(seconds=QUERY_BACKOFF.base)
        attempt.save(update_fields=["state", "pay_url", "next_check_at"])
    return attempt


@transaction.atomic
def _init_failed(attempt: PaymentAttempt, error: str) -> None:
    """No payment address reached the citizen, so nobody can pay this attempt: failed."""
    attempt = PaymentAttempt.objects.select_for_update().get(pk=attempt.pk)
    if attempt.state == AttemptState.CREATED:
        attempt.state, attempt.settled_at = AttemptState.FAILED, timezone.now()
        attempt.note = f"INIT: {error}"[:500]
        attempt.save(update_fields=["state", "settled_at", "note"])
        record_event("payment.failed", attempt, actor=None, reason="init")


# --- Notices: the confirm callback and QUERY answers --------------------------------------


def receive_callback(body: bytes) -> str:
    """The platform's confirm callback (POST, JSON), as received; the outcome. Believed
    only with a valid MaXacThuc of our merchant, then checked as any notice."""
    import json

    text = body.decode("utf-8", errors="replace")
    try:
        message = json.loads(text)
    except ValueError:
        message = None
    merchant = conf.merchant()
    if not isinstance(message, dict) or merchant is None:
        return _log(Outcome.MALFORMED, text, source=CallbackLog.Source.CALLBACK)
    notice = platform.read_confirm(message)
    ours = message.get("MaDoiTac") == merchant.code
    if not ours or not platform.has_valid_signature(
        message, platform.CONFIRM_FIELDS, merchant.secret
    ):
        return _log(Outcome.BAD_SIGNATURE, text, notice=notice, source=CallbackLog.Source.CALLBACK)
    return apply_notice(notice, source=CallbackLog.Source.CALLBACK, body=text)


def _log(outcome, body: str, *, source, notice: Notice | None = None, attempt=None) -> str:
    CallbackLog.objects.create(
        source=source,
        attempt=attempt,
        reference=(notice.reference if notice else "")[:100],
        provider_reference=(notice.provider_reference if notice else "")[:100],
        paid=bool(notice and notice.paid),
        amount=notice.amount if notice else None,
        outcome=outcome,
        body=body[:MAX_BODY],
    )
    if outcome in {
        Outcome.BAD_SIGNATURE,
        Outcome.WRONG_AMOUNT,
        Outcome.CONFLICT,
        Outcome.MALFORMED,
    }:
        logger.warning("payment platform notice refused: %s", outcome)
    return str(outcome)


@transaction.atomic
def apply_notice(notice: Notice, *, source: str, body: str) -> str:
    """Apply what the platform says of one attempt; the outcome. Idempotent."""
    found = PaymentAttempt.objects.filter(method=Method.PLATFORM, reference=notice.reference)
    attempt = found.first() if notice.reference else None
    if attempt is None:
        return _log(Outcome.UNKNOWN, body, source=source, notice=notice)
    request = (
        PaymentRequest.objects.select_for_update()
        .select_related("dossier")
        .get(pk=attempt.request_id)
    )
    attempt = PaymentAttempt.objects.select_for_update().get(pk=attempt.pk)
    attempt.request = request
    outcome = _decide(attempt, request, notice)
    _log(outcome, body, source=source, notice=notice, attempt=attempt)
    return str(outcome)


def _decide(attempt: PaymentAttempt, request: PaymentRequest, notice: Notice):
    if notice.paid:
        return _paid(attempt, request, notice)
    if not notice.failed:
        return Outcome.PENDING
    if attempt.state not in OPEN:
        return Outcome.IGNORED  # a failure after the outcome (reordered, stale) changes nothing
    _close(attempt, AttemptState.FAILED, "payment.failed")
    return Outcome.FAILED


def _paid(attempt: PaymentAttempt, request: PaymentRequest, notice: Notice):
    if notice.amount != attempt.amount or notice.currency != platform.CURRENCY:
        return Outcome.WRONG_AMOUNT
    if attempt.state in (AttemptState.CONFIRMED, AttemptState.REFUNDED):
        same = attempt.provider_reference == notice.provider_reference
        return Outcome.REPLAYED if same else Outcome.CONFLICT
    taken = PaymentAttempt.objects.filter(provider_reference=notice.provider_reference)
    if not notice.provider_reference or taken.exists() or request.state != PaymentRequest.State.DUE:
        # Money the platform took for a request settled otherwise (paid at the counter
        # meanwhile): no second receipt; the attempt is left for a person (a refund).
        _close(
            attempt,
            AttemptState.CANCELLED,
            "payment.conflict",
            note=_("Paid after the request was settled: refund it."),
        )
        return Outcome.CONFLICT
    attempt.provider_reference = notice.provider_reference
    attempt.next_check_at, attempt.settled_at = None, timezone.now()
    attempt.save(update_fields=["provider_reference", "next_check_at", "settled_at"])
    confirm_attempt(attempt, actor=None)
    return Outcome.CONFIRMED


def _close(attempt: PaymentAttempt, state: str, action: str, note: str = "") -> None:
    attempt.state, attempt.next_check_at, attempt.settled_at = state, None, timezone.now()
    attempt.note = (note or attempt.note)[:500]
    attempt.save(update_fields=["state", "next_check_at", "settled_at", "note"])
    record_event(action, attempt, actor=None, reference=attempt.reference)


# --- QUERY with backoff ---------------------------------------------------------------------


def check_due_attempts(now: datetime | None = None, limit: int = 200) -> int:
    """QUERY the open platform attempts whose time has come (the periodic job); how many
    were asked about."""
    now = now or timezone.now()
    due = PaymentAttempt.objects.filter(
        method=Method.PLATFORM, state__in=OPEN, next_check_at__lte=now
    ).order_by("next_check_at")
    asked = 0
    for attempt in list(due[:limit]):
        asked += check_attempt(attempt, now=now)
    return asked


def check_attempt(
    attempt: PaymentAttempt, *, now: datetime | None = None, force: bool = False
) -> bool:
    """Ask the platform about one open attempt (if no other worker is), apply the answer,
    and plan the next question; False when another worker had it or it is settled.
    `force`: now, whatever the plan (the citizen is back on the return page)."""
    now = now or timezone.now()
    if not _claim(attempt, now, force=force):
        return False
    merchant = conf.merchant()
    if merchant is not None and attempt.reference:
        try:
            notice, body = platform_client.query(merchant, attempt.reference, at=now)
        except PlatformUnavailable:
            pass  # nothing is decided on a missing answer: asked again later
        else:
            apply_notice(notice, source=CallbackLog.Source.QUERY, body=body)
    _plan_next(attempt, now)
    return True


def _claim(attempt: PaymentAttempt, now: datetime, *, force: bool) -> bool:
    """Take the attempt for LEASE: of two workers, one asks."""
    with transaction.atomic():
        found = PaymentAttempt.objects.filter(pk=attempt.pk, state__in=OPEN)
        if not force:
            found = found.exclude(next_check_at__gt=now)
        claimed = found.update(next_check_at=now + LEASE, checks=F("checks") + 1)
    return bool(claimed)


@transaction.atomic
def _plan_next(attempt: PaymentAttempt, now: datetime) -> None:
    attempt = PaymentAttempt.objects.select_for_update().get(pk=attempt.pk)
    if attempt.state not in OPEN:
        return
    if now - attempt.created_at >= GIVE_UP:
        _close(attempt, AttemptState.CANCELLED, "payment.expired", note=_("Not settled in time."))
        return
    wait = QUERY_BACKOFF.delay(max(attempt.checks, 1))
    attempt.next_check_at = now + timedelta(seconds=wait)
    attempt.save(update_fields=["next_check_at"])


def platform_bill(attempt: PaymentAttempt) -> bytes:
    """The platform's own receipt of a confirmed attempt (GET_BILL)."""
    if attempt.method != Method.PLATFORM or attempt.state != AttemptState.CONFIRMED:
        raise PaymentError("not_paid", _("Only a confirmed online payment has a bill."), status=409)
    try:
        return platform_client.get_bill(_merchant(), attempt.reference or "", at=timezone.now())
    except PlatformUnavailable as error:
        raise PaymentError(
            "platform_unavailable",
            _("The national payment platform did not answer; try again in a few minutes."),
            status=503,
        ) from error
