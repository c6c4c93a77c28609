"""The cashier's pages through HTTP: what a received dossier owes, cash taken once however
often the form is sent, the receipt, exemptions, quantities, refunds, the day's takings; who
may do it. Each test checks the response, the rows and the audit log."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse

from conftest import make_user
from motcua.audit.models import AuditEvent
from motcua.documents.tests.pdfs import A5, page_sizes, text
from motcua.dossiers import closing, obligations
from motcua.dossiers.status import Status
from motcua.organisations.roles import Role
from motcua.outbox.models import OutboxMessage
from motcua.payments.models import (
    PaymentAttempt,
    PaymentRequest,
    Receipt,
    ReceiptCounter,
    ReceiptSeries,
    Refund,
    Stage,
)
from motcua.payments.references import read_reference

from .conftest import MONDAY, at

pytestmark = pytest.mark.django_db
LATER = MONDAY + timedelta(hours=1)  # Monday 10:00 in Hà Tĩnh


@pytest.fixture
def received(receive, fee_items, series):
    return receive()


@pytest.fixture
def cashier(client, centre_clerk):
    client.force_login(centre_clerk)
    return client


def page_url(dossier) -> str:
    return reverse("payments:dossier", args=[dossier.code])


def collect_url(dossier, request) -> str:
    return reverse("payments:collect", args=[dossier.code, request.pk])


def token_of(response) -> str:
    found = re.search(r'name="token" value="([0-9a-f]+)"', response.content.decode())
    assert found is not None, "the page has no payment form"
    return found[1]


def pay(client, dossier, *, token=None, amount=205_000, method="cash", note=""):
    request = PaymentRequest.objects.get(dossier=dossier, stage=Stage.RECEIPT)
    if token is None:
        token = token_of(client.get(page_url(dossier)))
    data = {"method": method, "amount": amount, "note": note, "token": token}
    with at(LATER):
        return client.post(collect_url(dossier, request), data)


def test_receiving_a_priced_dossier_computes_what_is_owed(received, centre_clerk):
    request = PaymentRequest.objects.get(dossier=received)
    assert (request.stage, request.state, request.total) == (Stage.RECEIPT, "due", 205_000)
    assert [(line.name, line.amount) for line in request.lines.all()] == [
        ("Lệ phí cấp Phiếu lý lịch tư pháp", 200_000),
        ("Phí cấp thêm Phiếu", 5_000),
    ]
    assert request.reference is not None and len(request.reference) <= 25
    assert read_reference(request.reference) == request.pk
    assert request.collecting_agency == received.receiving_agency
    event = AuditEvent.objects.get(action="payment_request.created")
    assert (event.actor, event.target_id, event.data["total"]) == (
        centre_clerk,
        str(request.pk),
        205_000,
    )


def test_the_page_shows_the_request_its_qr_and_the_form(cashier, received):
    response = cashier.get(page_url(received))
    body = response.content.decode()
    assert response.status_code == 200
    assert "205.000" in body and "Hai trăm linh năm nghìn đồng" in body
    assert PaymentRequest.objects.get(dossier=received).reference in body
    assert "<svg" in body and 'name="token"' in body


def test_the_clerk_takes_cash_and_the_receipt_is_issued(cashier, received, centre_clerk, series):
    response = pay(cashier, received, note="Nộp tại quầy 3")
    assert response.status_code == 302 and response["Location"] == page_url(received)
    attempt = PaymentAttempt.objects.get()
    assert (attempt.state, attempt.method, attempt.amount) == ("confirmed", "cash", 205_000)
    assert (attempt.created_by, attempt.note) == (centre_clerk, "Nộp tại quầy 3")
    request = attempt.request
    assert (request.state, request.paid_at) == ("paid", LATER)
    receipt = Receipt.objects.get()
    assert (receipt.series, receipt.year, receipt.number, receipt.total) == (
        series,
        2026,
        1,
        205_000,
    )
    assert receipt.payer_name == received.applicant_name
    assert ReceiptCounter.objects.get().last_number == 1
    event = AuditEvent.objects.get(action="payment.confirmed")
    assert (event.actor, event.data["receipt"]) == (centre_clerk, "01BLP0-001 HT-26E 00000001")
    assert OutboxMessage.objects.filter(topic="payments.receipt_issued").count() == 1
    page = cashier.get(page_url(received)).content.decode()
    assert "00000001" in page and 'name="token"' not in page


def test_a_form_sent_twice_records_one_payment(cashier, received):
    token = token_of(cashier.get(page_url(received)))
    first = pay(cashier, received, token=token)
    again = pay(cashier, received, token=token)
    assert first.status_code == again.status_code == 302
    assert PaymentAttempt.objects.count() == Receipt.objects.count() == 1
    assert AuditEvent.objects.filter(action="payment.confirmed").count() == 1
    messages = [str(m) for m in cashier.get(page_url(received)).context["messages"]]
    assert any("không ghi hai lần" in m for m in messages)


def test_a_second_tab_cannot_take_the_money_again(cashier, received):
    first_tab = token_of(cashier.get(page_url(received)))
    second_tab = token_of(cashier.get(page_url(received)))
    assert pay(cashier, received, token=first_tab).status_code == 302
    refused = pay(cashier, received, token=second_tab, note="lần hai")
    assert refused.status_code == 409
    assert "no longer due" in refused.content.decode() or "không còn" in refused.content.decode()
    assert PaymentAttempt.objects.count() == Receipt.objects.count() == 1


def test_missing_input_is_a_400_with_what_was_typed(cashier, received):
    request = PaymentRequest.objects.get(dossier=received)
    with at(LATER):
        empty = cashier.post(collect_url(received, request), {})
        partial = cashier.post(
            collect_url(received, request), {"method": "cash", "note": "khách vội"}
        )
    assert empty.status_code == partial.status_code == 400
    assert 'value="khách vội"' in partial.content.decode()
    assert not PaymentAttempt.objects.exists()


def test_an_amount_other_than_the_total_is_refused(cashier, received):
    response = pay(cashier, received, amount=200_000, note="thiếu")
    assert response.status_code == 409
    assert 'value="thiếu"' in response.content.decode()
    assert not PaymentAttempt.objects.exists()


def test_without_a_receipt_series_nothing_is_taken(cashier, received, series):
    series.is_active = False
    series.save()
    response = pay(cashier, received)
    assert response.status_code == 409
    assert not PaymentAttempt.objects.exists()
    assert PaymentRequest.objects.get().state == "due"


def test_a_clerk_of_another_agency_gets_404(client, received, clerk_of_other_agency):
    client.force_login(clerk_of_other_agency)
    assert client.get(page_url(received)).status_code == 404
    assert pay(client, received, token="a" * 32).status_code == 404
    assert not PaymentAttempt.objects.exists()


def test_an_officer_who_sees_the_dossier_may_not_take_money(client, received, specialist):
    client.force_login(specialist)
    page = client.get(page_url(received))
    assert page.status_code == 200 and 'name="token"' not in page.content.decode()
    assert pay(client, received, token="b" * 32).status_code == 403
    assert not PaymentAttempt.objects.exists()


def test_the_receipt_pdf_has_every_field_of_the_decree(cashier, received):
    pay(cashier, received)
    receipt = Receipt.objects.get()
    response = cashier.get(reverse("payments:receipt", args=[receipt.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    content = text(response.content)
    for expected in (
        "BIÊN LAI THU PHÍ, LỆ PHÍ",
        "Mẫu số: 01BLP0-001",
        "Ký hiệu: HT-26E",
        "Số: 00000001",
        "Mã số thuế: 3000123456",
        "Lệ phí cấp Phiếu lý lịch tư pháp",
        "200.000",
        "Bằng chữ: Hai trăm nghìn đồng",
        "Bằng chữ: Năm nghìn đồng",
        "205.000",
        "Hai trăm linh năm nghìn đồng",
        "Ngày 09 tháng 03 năm 2026",
        received.applicant_name,
        received.code,
    ):
        assert expected in content, expected
    assert page_sizes(response.content) == {A5}


def test_the_receipt_is_not_shown_outside_the_dossiers_agencies(
    cashier, received, client, clerk_of_other_agency
):
    pay(cashier, received)
    client.force_login(clerk_of_other_agency)
    receipt = Receipt.objects.get()
    assert client.get(reverse("payments:receipt", args=[receipt.pk])).status_code == 404


def test_copies_counted_change_the_total(cashier, received, centre_clerk):
    request = PaymentRequest.objects.get()
    copies = request.lines.get(rule="per_copy")
    url = reverse("payments:quantities", args=[received.code, request.pk])
    assert cashier.post(url, {f"line_{copies.pk}": "0"}).status_code == 400
    assert cashier.post(url, {f"line_{copies.pk}": "3"}).status_code == 302
    request.refresh_from_db()
    assert request.total == 215_000
    event = AuditEvent.objects.get(action="payment_request.quantities")
    assert (event.actor, event.data["previous"], event.data["total"]) == (
        centre_clerk,
        205_000,
        215_000,
    )
    assert pay(cashier, received, amount=215_000).status_code == 302


def test_an_exempt_applicant_pays_nothing(cashier, received, centre_clerk, fee_items):
    request = PaymentRequest.objects.get()
    url = reverse("payments:waive", args=[received.code, request.pk])
    assert cashier.post(url, {}).status_code == 400
    exemption = fee_items[0].exemptions.get()
    assert cashier.post(url, {"exemption": exemption.pk}).status_code == 302
    request.refresh_from_db()
    assert request.state == "waived" and "Người có công" in request.waived_reason
    assert AuditEvent.objects.get(action="payment_request.waived").actor == centre_clerk
    assert pay(cashier, received, token="c" * 32).status_code == 409


def test_a_refund_needs_its_reason(cashier, received, centre_clerk):
    pay(cashier, received)
    request = PaymentRequest.objects.get()
    url = reverse("payments:refund", args=[received.code, request.pk])
    assert cashier.post(url, {"reason": ""}).status_code == 400
    assert cashier.post(url, {"reason": "Người nộp rút hồ sơ"}).status_code == 302
    request.refresh_from_db()
    refund = Refund.objects.get()
    assert (request.state, refund.attempt.state, refund.amount) == ("refunded", "refunded", 205_000)
    assert AuditEvent.objects.get(action="payment.refunded").actor == centre_clerk
    assert cashier.post(url, {"reason": "lần hai"}).status_code == 409


def test_the_days_takings_per_agency(cashier, received, client, clerk_of_other_agency):
    pay(cashier, received)
    with at(LATER):
        page = cashier.get(reverse("payments:cashier"))
    body = page.content.decode()
    assert page.status_code == 200
    assert "205.000" in body and "00000001" in body and received.code in body
    client.force_login(clerk_of_other_agency)
    with at(LATER):
        other = client.get(reverse("payments:cashier"))
    assert received.code not in other.content.decode()


def test_finding_a_dossier_by_code(cashier, received):
    response = cashier.get(reverse("payments:cashier"), {"code": received.code})
    assert response.status_code == 302 and response["Location"] == page_url(received)


def test_a_withdrawn_dossier_owes_nothing_more(received, centre_clerk):
    closing.withdraw(received, actor=centre_clerk, reason="Người nộp rút")
    request = PaymentRequest.objects.get()
    assert request.state == "cancelled"
    assert AuditEvent.objects.filter(action="payment_request.cancelled").count() == 1


def test_an_online_filing_owes_the_online_amount(receive, fee_items, series):
    charge, copies = fee_items
    copies.delete()
    charge.channel = "in_person"
    charge.save()
    online = type(charge).objects.get(pk=charge.pk)
    online.pk, online.channel, online.amount = None, "online", 150_000
    online.save()
    dossier = receive(channel="online")
    assert PaymentRequest.objects.get(dossier=dossier).total == 150_000


def test_a_procedure_without_fees_owes_nothing(receive, client, centre_clerk):
    dossier = receive()
    assert not PaymentRequest.objects.exists()
    client.force_login(centre_clerk)
    page = client.get(page_url(dossier))
    assert page.status_code == 200 and page.context["panels"] == []


def test_a_financial_obligation_paid_at_the_counter_resumes_processing(
    cashier, processing, centre_clerk, series
):
    with at(MONDAY):
        obligations.require_payment(
            processing, actor=centre_clerk, description="Lệ phí trước bạ", amount=500_000
        )
    request = PaymentRequest.objects.get(stage=Stage.OBLIGATION)
    assert request.total == 500_000
    token = token_of(cashier.get(page_url(processing)))
    with at(LATER):
        response = cashier.post(
            collect_url(processing, request),
            {"method": "card", "amount": 500_000, "token": token},
        )
    assert response.status_code == 302
    processing.refresh_from_db()
    assert processing.status == Status.PROCESSING
    assert processing.events.filter(action="confirm_payment").exists()
    assert Receipt.objects.get().attempt.method == "card"


def test_the_series_symbols_are_unique(series, centre):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        ReceiptSeries.objects.create(
            agency=centre,
            template_symbol="01BLP0-001",
            series_symbol="HT-26E",
            collector_name="x",
            collector_tax_code="1",
            is_active=False,
        )


def test_a_second_receiving_clerk_is_a_cashier_too(client, received, centre):
    other = make_user("clerk2", centre, Role.RECEIVING_CLERK)
    client.force_login(other)
    assert pay(client, received).status_code == 302
