"""What the fake platform does when the payer decides (pay, fail, abandon), and the chaos a
tester can ask for, to see the merchant survive what a real platform and network do:

* ``duplicate``: the callback three times;
* ``delay``: the callback DELAY later (sent by the periodic job, `send_due_callbacks`);
* ``reorder``: a stale failure callback after the paid one;
* ``drop``: no callback at all (only QUERY tells);
* ``wrong_amount``: the callback says 1.000 đ more (signed correctly); QUERY tells the truth;
* ``wrong_signature``: the callback signed with another secret; QUERY tells the truth;
* ``pending_then_paid``: QUERY says pending (3) twice before paid (1); the callback comes
  DELAY later.
"""

import secrets
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from . import merchant, signing
from .models import FakeCallback, FakeTransaction

CHAOS = (
    "",
    "duplicate",
    "delay",
    "reorder",
    "drop",
    "wrong_amount",
    "wrong_signature",
    "pending_then_paid",
)
OUTCOMES = ("pay", "fail", "abandon")
DELAY = timedelta(minutes=2)
SESSION = timedelta(minutes=15)  # an abandoned payment is reported failed after this
PAID_CODE, FAILED_CODE = "00", "24"
State = FakeTransaction.State


def new_txn_id() -> str:
    return "FP" + secrets.token_hex(8).upper()


def callback(txn: FakeTransaction, *, code: str, amount: int | None = None, secret=None) -> dict:
    message = {
        "LoaiBanTin": "CONFIRM",
        "MaLoi": code,
        "MaDoiTac": txn.merchant,
        "MaThamChieu": txn.reference,
        "SoTien": txn.amount if amount is None else amount,
        "MaTienTe": txn.currency,
        "MaGiaoDich": txn.txn_id,
        "MaNganHang": "FAKEBANK",
        "ThoiGianGD": signing.now_text(txn.decided_at or timezone.now()),
        "ThongTinGiaoDich": txn.info,
    }
    message["MaXacThuc"] = signing.mac(message, signing.CONFIRM, secret or merchant.SECRET)
    return message


def _plan(
    txn: FakeTransaction, outcome: str, chaos: str, now: datetime
) -> list[tuple[dict, datetime]]:
    if outcome == "abandon":
        return []
    code = PAID_CODE if outcome == "pay" else FAILED_CODE
    right = callback(txn, code=code)
    if outcome == "fail" or chaos == "":
        return [(right, now)]
    return {
        "duplicate": [(right, now)] * 3,
        "delay": [(right, now + DELAY)],
        "reorder": [(right, now), (callback(txn, code=FAILED_CODE), now)],
        "drop": [],
        "wrong_amount": [(callback(txn, code=code, amount=txn.amount + 1000), now)],
        "wrong_signature": [(callback(txn, code=code, secret="not-the-secret"), now)],
        "pending_then_paid": [(right, now + DELAY)],
    }[chaos]


@transaction.atomic
def decide(txn: FakeTransaction, outcome: str, chaos: str) -> FakeTransaction:
    """The payer's choice on the pay page: the transaction's state and the callbacks owed."""
    txn = FakeTransaction.objects.select_for_update().get(pk=txn.pk)
    if txn.state != State.PENDING:
        return txn  # decided already (the page sent twice)
    now = timezone.now()
    txn.state = {"pay": State.PAID, "fail": State.FAILED, "abandon": State.ABANDONED}[outcome]
    txn.chaos, txn.decided_at = chaos, now
    txn.save(update_fields=["state", "chaos", "decided_at"])
    FakeCallback.objects.bulk_create(
        FakeCallback(transaction=txn, body=body, due_at=due)
        for body, due in _plan(txn, outcome, chaos, now)
    )
    return txn


def query_state(txn: FakeTransaction, now: datetime) -> str:
    """TrangThaiGD as the platform answers QUERY: 1 paid, 3 pending, 4 failed."""
    if txn.state == State.PAID:
        return "3" if txn.chaos == "pending_then_paid" and txn.queries <= 2 else "1"
    if txn.state == State.FAILED:
        return "4"
    return "4" if now - txn.created_at > SESSION else "3"  # waiting, or abandoned
