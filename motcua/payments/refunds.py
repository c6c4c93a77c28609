"""Money given back (a dossier refused or withdrawn after payment, or a payment taken in
error), recorded with its reason. Whether a fee is refundable is the fee regulation's and
the agency's decision (Law on Fees and Charges 2015 art. 6 leaves it to the regulation of
each fee): the clerk records the decision, the system does not guess it."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.audit.services import record_event
from motcua.outbox.services import enqueue

from .errors import PaymentError
from .models import PaymentAttempt, PaymentRequest, Refund
from .permissions import check_collect

REFUND_TOPIC = "payments.refunded"


@transaction.atomic
def refund_payment(request: PaymentRequest, *, actor, reason: str) -> Refund:
    """Refund the confirmed payment of `request` in full, with `reason`. Audited; the
    receipt stays as issued (its cancellation or adjustment is the e-receipt issuer's)."""
    request = (
        PaymentRequest.objects.select_for_update().select_related("dossier").get(pk=request.pk)
    )
    check_collect(actor, request.dossier)
    reason = reason.strip()
    if not reason:
        raise PaymentError("reason_required", _("Give the reason for the refund."))
    attempt = (
        PaymentAttempt.objects.select_for_update()
        .filter(request=request, state=PaymentAttempt.State.CONFIRMED)
        .first()
    )
    if request.state != PaymentRequest.State.PAID or attempt is None:
        raise PaymentError("not_paid", _("Only a paid request is refunded."), status=409)
    now = timezone.now()
    refund = Refund.objects.create(
        attempt=attempt,
        amount=attempt.amount,
        reason=reason[:500],
        refunded_at=now,
        refunded_by=actor,
    )
    attempt.state = PaymentAttempt.State.REFUNDED
    attempt.save(update_fields=["state"])
    request.state = PaymentRequest.State.REFUNDED
    request.save(update_fields=["state", "updated_at"])
    record_event(
        "payment.refunded", attempt, actor=actor, amount=refund.amount, reason=refund.reason
    )
    enqueue(REFUND_TOPIC, {"refund": refund.pk}, key=f"{REFUND_TOPIC}:{refund.pk}")
    return refund
