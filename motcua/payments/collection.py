"""Taking a payment: cash or card at the counter recorded by a clerk, and the confirmation
that issues the receipt (Decree 254/2026 art. 24: the receipt is issued when the money is
collected), in one transaction.

A double click, a retried form or two tabs never take the money twice: the request is
locked first; an attempt carrying a key already used for this request is the same attempt
(replayed); a request already paid is refused; and the database refuses a second confirmed
attempt per request (PaymentAttempt's constraint) if anything got past the rest.
"""

from dataclasses import dataclass
from datetime import date, datetime, time

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.audit.services import record_event
from motcua.dossiers import obligations
from motcua.dossiers.status import Status
from motcua.outbox.services import enqueue

from . import conf
from .conf import RECEIPT_ZONE
from .errors import PaymentError
from .models import PaymentAttempt, PaymentRequest, Receipt, ReceiptSeries, Stage
from .numbering import next_number, receipt_year
from .permissions import check_collect
from .words import amount_figures, amount_words

Method, AttemptState = PaymentAttempt.Method, PaymentAttempt.State
COUNTER_METHODS = {Method.CASH, Method.CARD}
RECEIPT_TOPIC = "payments.receipt_issued"
MAX_KEY = 64


@dataclass(frozen=True)
class Collected:
    attempt: PaymentAttempt
    replayed: bool  # the same key was sent before: nothing new was recorded


@transaction.atomic
def record_counter_payment(
    request: PaymentRequest, *, actor, method: str, amount: int, key: str, note: str = ""
) -> Collected:
    """The clerk took `amount` in cash or by card for `request`: record it and confirm it
    (receipt issued). `amount` is what the clerk saw as due: if the request changed since,
    nothing is recorded. `key` (the form's token) makes a second send harmless."""
    request = _lock(request)
    check_collect(actor, request.dossier)
    replay = _replay(request, key)
    if replay is not None:
        return Collected(replay, replayed=True)
    if method not in COUNTER_METHODS:
        raise PaymentError("bad_method", _("At the counter, payment is in cash or by card."))
    _require_payable(request, amount)
    series = series_for(request)
    attempt = PaymentAttempt.objects.create(
        request=request,
        method=method,
        state=AttemptState.CREATED,
        amount=amount,
        idempotency_key=key,
        note=note.strip()[:500],
        created_by=actor,
    )
    confirm_attempt(attempt, actor=actor, series=series)
    return Collected(attempt, replayed=False)


def _lock(request: PaymentRequest) -> PaymentRequest:
    return (
        PaymentRequest.objects.select_for_update()
        .select_related("dossier", "collecting_agency")
        .get(pk=request.pk)
    )


def _replay(request: PaymentRequest, key: str) -> PaymentAttempt | None:
    if not key or len(key) > MAX_KEY or not key.isascii() or not key.isprintable():
        raise PaymentError("bad_key", _("The form is missing its token; open the page again."))
    found = PaymentAttempt.objects.filter(idempotency_key=key).first()
    if found is not None and found.request_id != request.pk:
        raise PaymentError(
            "idempotency_key_reused",
            _("This form was already used for another payment; open the page again."),
            status=422,
        )
    return found


def _require_payable(request: PaymentRequest, amount: int) -> None:
    if request.state != PaymentRequest.State.DUE:
        raise PaymentError(
            "not_due",
            _("This payment is no longer due (it is %(state)s).")
            % {"state": request.get_state_display()},
            status=409,
        )
    if request.total <= 0:
        raise PaymentError("nothing_due", _("Nothing is owed: there is nothing to collect."))
    if amount != request.total:
        raise PaymentError(
            "amount_changed",
            _("The amount due is %(total)s đ, not %(amount)s đ: check it and take it again.")
            % {"total": amount_figures(request.total), "amount": amount_figures(amount)},
            status=409,
        )


def series_for(request: PaymentRequest) -> ReceiptSeries:
    """The collecting agency's series in use; refused before anything is written if it has
    none (a payment without a lawful receipt is not taken)."""
    series = ReceiptSeries.objects.filter(agency=request.collecting_agency, is_active=True).first()
    if series is None:
        raise PaymentError(
            "no_receipt_series",
            _("%(agency)s has no receipt series in use: an administrator adds one first.")
            % {"agency": request.collecting_agency},
            status=409,
        )
    return series


def confirm_attempt(
    attempt: PaymentAttempt,
    *,
    actor,
    series: ReceiptSeries | None = None,
    paid_on: date | None = None,
) -> Receipt:
    """The money arrived: the attempt is confirmed, its request paid and the receipt issued
    with the next number of the series, in the caller's transaction; the receipt goes to
    the outbox (signing, the applicant's notice: later work). A financial obligation paid
    here also fulfils status 6 (dossiers.obligations.confirm_payment)."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("confirm_attempt runs inside the payment's transaction")
    request = attempt.request
    now = timezone.now()
    attempt.state, attempt.confirmed_at = AttemptState.CONFIRMED, now
    attempt.save(update_fields=["state", "confirmed_at"])
    request.state, request.paid_at = PaymentRequest.State.PAID, now
    request.save(update_fields=["state", "paid_at", "updated_at"])
    receipt = issue_receipt(attempt, series or series_for(request), actor=actor, at=now)
    record_event(
        "payment.confirmed",
        attempt,
        actor=actor,
        dossier=request.dossier.code,
        request=request.reference,
        method=attempt.method,
        amount=attempt.amount,
        receipt=f"{receipt.series} {receipt.number_text}",
    )
    enqueue(RECEIPT_TOPIC, {"receipt": receipt.pk}, key=f"{RECEIPT_TOPIC}:{receipt.pk}")
    if request.stage == Stage.OBLIGATION and request.dossier.status == Status.FINANCIAL:
        note = _("Paid, receipt %(number)s") % {"number": receipt.number_text}
        obligations.confirm_payment(request.dossier, actor=actor, note=note)
    elif request.stage == Stage.RECEIPT and conf.payment_clock() == "paid":
        # The time limit counts from the payment of the fee due at receipt (the policy's
        # default counts it from reception: conf.payment_clock).
        # A transfer found in a later statement was paid on its booking day, not today.
        paid_at = now
        if paid_on is not None:
            paid_at = min(now, datetime.combine(paid_on, time.min, tzinfo=RECEIPT_ZONE))
        obligations.count_from_payment(request.dossier, paid_at=paid_at, actor=actor)
    return receipt


def issue_receipt(attempt: PaymentAttempt, series: ReceiptSeries, *, actor, at) -> Receipt:
    """The receipt of a confirmed attempt, numbered under the series' counter lock."""
    request, dossier = attempt.request, attempt.request.dossier
    year = receipt_year(at)
    lines = [
        {
            "name": line.name,
            "kind": line.kind,
            "quantity": line.quantity,
            "unit_amount": line.unit_amount,
            "amount": line.amount,
            "words": amount_words(line.amount),
        }
        for line in request.lines.all()
    ]
    return Receipt.objects.create(
        series=series,
        year=year,
        number=next_number(series, year),
        attempt=attempt,
        issued_at=at,
        issued_by=actor if getattr(actor, "pk", None) else None,
        payer_name=dossier.applicant_name,
        payer_id_number=dossier.applicant_id_number,
        payer_address=dossier.applicant_address,
        total=attempt.amount,
        lines=lines,
    )
