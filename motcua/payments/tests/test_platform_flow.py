"""The citizen pays through the national payment platform, the fake one served by the
project, over HTTP in process: their dossier page links to the payment page; INIT sends them
to the fake's page; the signed callback confirms the payment and issues the receipt in one
transaction; chaos (duplicates, reordering, a dropped callback, a wrong amount or
signature, pending then paid) never yields two payments nor a payment believed wrongly.
Each test checks the responses, the rows and the audit log."""

import json
import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from motcua.audit.models import AuditEvent
from motcua.fakepay.models import FakeCallback, FakeTransaction
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
    assert attempt.state == "confirmed" and attempt.provider_reference.startswith("FP")
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
