"""The citizen pays through the national payment platform, the fake one served by the
project, over HTTP in process: their dossier page links to the payment page; INIT sends them
to the fake's page; the signed callback confirms the payment and issues the receipt in one
transaction; chaos (duplicates, reordering, a dropped callback, a wrong amount or
signature, pending then paid) never yields two payments nor a payment believed wrongly.
Each test checks the responses, the rows and the audit log."""

import json
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from motcua.audit.models import AuditEvent
from motcua.fakepay.models import FakeTransaction
from motcua.outbox.models import OutboxMessage
from motcua.payments import online
from motcua.payments.models import CallbackLog, PaymentAttempt, PaymentRequest, Receipt

pytestmark = pytest.mark.django_db


def pay_url(dossier) -> str:
    return reverse("online_payments:pay", args=[dossier.code])


def start(citizen, dossier):
    """The citizen presses "Pay through the national payment platform"; the fake's page."""
    request = PaymentRequest.objects.get(dossier=dossier)
    response = citizen.post(reverse("online_payments:start", args=[dossier.code, request.pk]))
    assert response.status_code == 302, response.content
    assert "/fake-pay/pay/" in response["Location"]
    return response["Location"]


def decide(citizen, location, outcome="pay", chaos=""):
    response = citizen.post(location, {"outcome": outcome, "chaos": chaos})
    assert response.status_code == 302
    return response


def confirmed(dossier):
    return PaymentAttempt.objects.filter(request__dossier=dossier, state="confirmed")


def test_a_citizen_pays_through_the_platform_and_gets_a_receipt(platform, citizen, owed):
    page = citizen.get(reverse("accounts:dossier", args=[owed.code]))
    assert pay_url(owed) in page.content.decode()  # the dossier page links to the payment
    page = citizen.get(pay_url(owed))
    assert page.status_code == 200 and 'data-total="205000"' in page.content.decode()
    location = start(citizen, owed)
    attempt = PaymentAttempt.objects.get(request__dossier=owed)
    assert (attempt.state, attempt.method, attempt.amount) == ("pending", "platform", 205_000)
    assert location.endswith(f"/fake-pay/pay/{attempt.reference}/")
    assert citizen.get(location).status_code == 200

    back = decide(citizen, location)
    assert back["Location"].endswith(reverse("online_payments:return", args=[owed.code]))
    attempt.refresh_from_db()
    assert attempt.state == "confirmed" and (attempt.provider_reference or "").startswith("FP")
    request = PaymentRequest.objects.get(dossier=owed)
    assert request.state == "paid"
    receipt = Receipt.objects.get(attempt=attempt)
    assert (receipt.number, receipt.total, receipt.issued_by) == (1, 205_000, None)
    assert OutboxMessage.objects.filter(topic="payments.receipt_issued").count() == 1
    assert CallbackLog.objects.get().outcome == "confirmed"
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"payment.started", "payment.confirmed"} <= actions
    # The return page shows what the server knows; the receipt is the citizen's to download.
    page = citizen.get(back["Location"], follow=True)
    assert page.status_code == 200
    assert reverse("online_payments:receipt", args=[owed.code, receipt.pk]) in page.content.decode()
    pdf = citizen.get(reverse("online_payments:receipt", args=[owed.code, receipt.pk]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    # Nothing due: the dossier page has no payment link any more.
    page = citizen.get(reverse("accounts:dossier", args=[owed.code]))
    assert pay_url(owed) not in page.content.decode()


def callback_url() -> str:
    return reverse("online_payments:platform-confirm")


def signed_callback(attempt, *, code="00", amount=None, currency="VND", txn="FPTEST1", secret=None):
    """A confirm callback as the platform signs it (the fake's own signing)."""
    from motcua.fakepay import merchant, signing

    message = {
        "LoaiBanTin": "CONFIRM",
        "MaLoi": code,
        "MaDoiTac": merchant.MERCHANT,
        "MaThamChieu": attempt.reference,
        "SoTien": attempt.amount if amount is None else amount,
        "MaTienTe": currency,
        "MaGiaoDich": txn,
        "MaNganHang": "FAKEBANK",
        "ThoiGianGD": "20260309143005",
        "ThongTinGiaoDich": "x",
    }
    message["MaXacThuc"] = signing.mac(message, signing.CONFIRM, secret or merchant.SECRET)
    return message


def post_callback(client, message):
    return client.post(callback_url(), json.dumps(message), content_type="application/json")


def state_of(dossier):
    request = PaymentRequest.objects.get(dossier=dossier)
    attempts = list(request.attempts.values_list("state", flat=True))
    return request.state, attempts, Receipt.objects.filter(attempt__request=request).count()


@pytest.mark.parametrize("chaos", ["duplicate", "reorder"])
def test_duplicated_and_reordered_callbacks_confirm_once(platform, citizen, owed, chaos):
    decide(citizen, start(citizen, owed), chaos=chaos)
    assert state_of(owed) == ("paid", ["confirmed"], 1)
    outcomes = list(CallbackLog.objects.order_by("pk").values_list("outcome", flat=True))
    expected = {
        "duplicate": ["confirmed", "replayed", "replayed"],
        "reorder": ["confirmed", "ignored"],
    }
    assert outcomes == expected[chaos]
    assert AuditEvent.objects.filter(action="payment.confirmed").count() == 1
    assert OutboxMessage.objects.filter(topic="payments.receipt_issued").count() == 1


@pytest.mark.parametrize("chaos", ["wrong_amount", "wrong_signature", "drop", "pending_then_paid"])
def test_a_callback_not_believed_changes_nothing_and_the_query_settles(
    platform, citizen, owed, chaos
):
    decide(citizen, start(citizen, owed), chaos=chaos)
    assert state_of(owed) == ("due", ["pending"], 0)
    refused = {"wrong_amount": ["wrong_amount"], "wrong_signature": ["bad_signature"]}
    assert list(CallbackLog.objects.values_list("outcome", flat=True)) == refused.get(chaos, [])
    attempt = PaymentAttempt.objects.get(request__dossier=owed)
    later = timezone.now() + timedelta(minutes=5)
    for _ in range(3 if chaos == "pending_then_paid" else 1):
        PaymentAttempt.objects.filter(pk=attempt.pk).update(next_check_at=later)
        assert online.check_due_attempts(now=later) == 1
    assert state_of(owed) == ("paid", ["confirmed"], 1)
    sources = list(CallbackLog.objects.filter(outcome="confirmed").values_list("source", flat=True))
    assert sources == ["query"]


def test_the_browser_return_proves_nothing_but_the_server_asks(platform, citizen, owed):
    location = start(citizen, owed)
    # The citizen comes back without paying, with a query string claiming success.
    back = reverse("online_payments:return", args=[owed.code]) + "?MaLoi=00&SoTien=205000"
    assert citizen.get(back).status_code == 302
    assert state_of(owed) == ("due", ["pending"], 0)
    assert CallbackLog.objects.get().outcome == "pending"  # asked the platform itself
    decide(citizen, location, chaos="drop")
    citizen.get(back)
    assert state_of(owed) == ("paid", ["confirmed"], 1)


def test_forged_and_malformed_callbacks_are_refused(platform, citizen, owed, client):
    start(citizen, owed)
    attempt = PaymentAttempt.objects.get(request__dossier=owed)
    forged = signed_callback(attempt, secret="guess")
    assert post_callback(client, forged).status_code == 400
    wrong = signed_callback(attempt, amount=1_000)
    assert post_callback(client, wrong).status_code == 400
    dollars = signed_callback(attempt, currency="USD")
    assert post_callback(client, dollars).status_code == 400
    unknown = signed_callback(attempt) | {"MaThamChieu": "MC999"}
    assert post_callback(client, unknown).status_code == 400  # its signature no longer fits
    assert client.post(callback_url(), b"{", content_type="application/json").status_code == 400
    assert state_of(owed) == ("due", ["pending"], 0)
    outcomes = list(CallbackLog.objects.order_by("pk").values_list("outcome", flat=True))
    assert outcomes == [
        "bad_signature",
        "wrong_amount",
        "wrong_amount",
        "bad_signature",
        "malformed",
    ]
    # The right one, twice: one payment.
    assert post_callback(client, signed_callback(attempt)).json()["MoTa"] == "confirmed"
    assert post_callback(client, signed_callback(attempt)).json()["MoTa"] == "replayed"
    other = signed_callback(attempt, txn="FPOTHER")  # a second payment of the same reference
    assert post_callback(client, other).json()["MoTa"] == "conflict"
    assert state_of(owed) == ("paid", ["confirmed"], 1)


def test_paid_at_the_counter_meanwhile_the_platform_payment_is_a_conflict(
    platform, citizen, owed, client, centre_clerk
):
    from motcua.payments.collection import record_counter_payment

    start(citizen, owed)
    attempt = PaymentAttempt.objects.get(request__dossier=owed)
    record_counter_payment(
        attempt.request, actor=centre_clerk, method="cash", amount=205_000, key="k1"
    )
    assert post_callback(client, signed_callback(attempt)).json()["MoTa"] == "conflict"
    attempt.refresh_from_db()
    assert attempt.state == "cancelled" and attempt.note
    assert Receipt.objects.count() == 1
    assert AuditEvent.objects.filter(action="payment.conflict").count() == 1


def test_a_failed_payment_leaves_the_fee_due_and_a_new_attempt_pays(platform, citizen, owed):
    decide(citizen, start(citizen, owed), outcome="fail")
    assert state_of(owed) == ("due", ["failed"], 0)
    decide(citizen, start(citizen, owed))
    assert state_of(owed) == ("paid", ["failed", "confirmed"], 1)


def test_an_abandoned_payment_fails_when_the_platform_gives_up(platform, citizen, owed):
    decide(citizen, start(citizen, owed), outcome="abandon")
    attempt = PaymentAttempt.objects.get(request__dossier=owed)
    later = timezone.now() + timedelta(minutes=5)
    PaymentAttempt.objects.filter(pk=attempt.pk).update(next_check_at=later)
    online.check_due_attempts(now=later)
    assert state_of(owed) == ("due", ["pending"], 0)
    FakeTransaction.objects.update(created_at=timezone.now() - timedelta(hours=1))
    PaymentAttempt.objects.filter(pk=attempt.pk).update(next_check_at=later)
    online.check_due_attempts(now=later)
    assert state_of(owed) == ("due", ["failed"], 0)


def test_an_attempt_never_settled_expires_after_three_days(platform, citizen, owed):
    start(citizen, owed)
    attempt = PaymentAttempt.objects.get(request__dossier=owed)
    platform.flaky[reverse("fakepay:api")] = __import__("requests").Timeout()
    much_later = timezone.now() + timedelta(days=3, minutes=1)
    PaymentAttempt.objects.filter(pk=attempt.pk).update(next_check_at=much_later)
    assert online.check_due_attempts(now=much_later) == 1
    attempt.refresh_from_db()
    assert attempt.state == "cancelled" and attempt.next_check_at is None


def test_the_queries_back_off(platform, citizen, owed):
    start(citizen, owed)
    attempt = PaymentAttempt.objects.get(request__dossier=owed)
    now, waits = timezone.now(), []
    for _ in range(5):
        planned = PaymentAttempt.objects.get(pk=attempt.pk).next_check_at
        assert planned is not None
        now = planned
        assert online.check_due_attempts(now=now) == 1
        after = PaymentAttempt.objects.get(pk=attempt.pk).next_check_at
        assert after is not None
        waits.append((after - now).total_seconds())
    assert all(
        b > a for a, b in zip(waits, waits[1:], strict=False) if b < online.QUERY_BACKOFF.cap / 2
    )
    assert waits[-1] >= online.QUERY_BACKOFF.floor(5)


def test_init_unavailable_fails_the_attempt_and_says_so(platform, citizen, owed):
    platform.flaky[reverse("fakepay:api")] = __import__("requests").ConnectionError()
    request = PaymentRequest.objects.get(dossier=owed)
    response = citizen.post(reverse("online_payments:start", args=[owed.code, request.pk]))
    assert response.status_code == 503
    assert state_of(owed) == ("due", ["failed"], 0)


def test_a_second_click_reuses_the_open_attempt(platform, citizen, owed):
    first = start(citizen, owed)
    assert start(citizen, owed) == first
    assert PaymentAttempt.objects.count() == 1


def test_someone_elses_dossier_is_404(platform, citizen, receive, fee_items, series):
    theirs = receive()  # Trần Thị Bình's
    assert citizen.get(pay_url(theirs)).status_code == 404
    request = PaymentRequest.objects.get(dossier=theirs)
    start_url = reverse("online_payments:start", args=[theirs.code, request.pk])
    assert citizen.post(start_url).status_code == 404
    assert PaymentAttempt.objects.count() == 0


def test_signed_out_visitors_are_sent_to_sign_in(client, owed):
    response = client.get(pay_url(owed))
    assert response.status_code == 302 and "/tai-khoan/" in response["Location"]


def test_without_a_platform_the_page_offers_vietqr_only(settings, citizen, owed):
    settings.MOTCUA_FAKE_PAYMENTS = False
    page = citizen.get(pay_url(owed)).content.decode()
    assert reverse("online_payments:start", args=[owed.code, 1]) not in page
    assert "<svg" in page and PaymentRequest.objects.get().reference in page
    assert citizen.post(callback_url(), b"{}", content_type="application/json").status_code == 404


def test_the_platform_bill_is_fetched_with_get_bill(platform, citizen, owed):
    decide(citizen, start(citizen, owed))
    attempt = PaymentAttempt.objects.get(request__dossier=owed)
    assert online.platform_bill(attempt).startswith(b"%PDF")
