"""MOTCUA_PAYMENT_CLOCK through the cashier's page: with "paid", the fee due at receipt paid
two working days after reception moves the clock's start and the appointment to the payment
(a CLOCK_FROM_PAYMENT event with both dates); with "received" (the default), and whenever the
payment did not come after the clock started, nothing moves."""

from datetime import datetime, timedelta

import pytest

from motcua.dossiers import obligations
from motcua.dossiers.status import Action
from motcua.dossiers.tests.conftest import MONDAY, at, reread, vn

from .test_cashier_pages import page_url, token_of

pytestmark = pytest.mark.django_db
WEDNESDAY = MONDAY + timedelta(days=2, hours=1)  # 11 March 2026, 10:00 in Hà Tĩnh


@pytest.fixture
def received(receive, fee_items, series):
    return receive()


def pay_on(client, dossier, moment):
    from motcua.payments.models import PaymentRequest, Stage

    request = PaymentRequest.objects.get(dossier=dossier, stage=Stage.RECEIPT)
    token = token_of(client.get(page_url(dossier)))
    data = {"method": "cash", "amount": request.total, "note": "", "token": token}
    from django.urls import reverse

    with at(moment):
        return client.post(reverse("payments:collect", args=[dossier.code, request.pk]), data)


def test_by_default_the_time_limit_runs_from_reception(client, centre_clerk, received):
    client.force_login(centre_clerk)
    before = (received.clock_start_at, received.due_at)
    assert pay_on(client, received, WEDNESDAY).status_code == 302
    dossier = reread(received)
    assert (dossier.clock_start_at, dossier.due_at) == before == (MONDAY, vn(2026, 3, 16, 17, 0))
    assert not dossier.events.filter(action=Action.CLOCK_FROM_PAYMENT).exists()


def test_with_the_paid_policy_the_time_limit_runs_from_the_payment(
    settings, client, centre_clerk, received
):
    settings.MOTCUA_PAYMENT_CLOCK = "paid"
    client.force_login(centre_clerk)
    assert pay_on(client, received, WEDNESDAY).status_code == 302
    dossier = reread(received)
    # Five working days after Wednesday 11 March: the end of Wednesday 18 March.
    assert (dossier.clock_start_at, dossier.due_at) == (WEDNESDAY, vn(2026, 3, 18, 17, 0))
    event = dossier.events.get(action=Action.CLOCK_FROM_PAYMENT)
    assert event.actor == centre_clerk and event.created_at == WEDNESDAY
    assert datetime.fromisoformat(event.data["paid_at"]) == WEDNESDAY
    assert event.from_status == event.to_status == dossier.status
    assert event.data["due_before"].startswith("2026-03-16")
    assert event.data["due_after"].startswith("2026-03-18")
    # The dossier's history says why the appointment moved.
    page = client.get(f"/backoffice/ho-so/{dossier.code}/").content.decode()
    assert "Thời hạn giải quyết tính từ khi nộp phí, lệ phí" in page
    # The applicant tracking the dossier sees it too, with the new appointment.
    from motcua.dossiers.tracking import track_dossier

    with at(WEDNESDAY + timedelta(hours=1)):
        tracked = track_dossier(dossier.code, client="203.0.113.9")
    assert "clock_from_payment" in [m.kind for m in tracked.milestones]


def test_paid_at_reception_moves_nothing(settings, client, centre_clerk, received):
    settings.MOTCUA_PAYMENT_CLOCK = "paid"
    client.force_login(centre_clerk)
    assert pay_on(client, received, MONDAY).status_code == 302
    dossier = reread(received)
    assert (dossier.clock_start_at, dossier.due_at) == (MONDAY, vn(2026, 3, 16, 17, 0))
    assert not dossier.events.filter(action=Action.CLOCK_FROM_PAYMENT).exists()


def test_a_payment_before_the_clock_started_or_after_an_apology_moves_nothing(
    received, centre_clerk
):
    before = MONDAY - timedelta(hours=1)
    assert not obligations.count_from_payment(received, paid_at=before, actor=centre_clerk)
    received.apology_count = 1
    received.save(update_fields=["apology_count"])
    assert not obligations.count_from_payment(received, paid_at=WEDNESDAY, actor=centre_clerk)
    dossier = reread(received)
    assert (dossier.clock_start_at, dossier.due_at) == (MONDAY, vn(2026, 3, 16, 17, 0))
    assert not dossier.events.filter(action=Action.CLOCK_FROM_PAYMENT).exists()


def test_a_payment_after_the_afternoon_cut_off_counts_from_the_next_working_day(
    settings, client, centre_clerk, received
):
    settings.MOTCUA_PAYMENT_CLOCK = "paid"
    client.force_login(centre_clerk)
    friday_evening = vn(2026, 3, 13, 17, 30)
    assert pay_on(client, received, friday_evening).status_code == 302
    dossier = reread(received)
    assert dossier.clock_start_at is not None
    assert dossier.clock_start_at.astimezone(friday_evening.tzinfo).date().isoformat() == (
        "2026-03-16"
    )


def test_the_receipt_slip_says_when_the_time_limit_counts_from_payment(settings, received):
    from motcua.payments.receipts import receipt_slip_notes

    assert len(receipt_slip_notes(received)) == 1
    settings.MOTCUA_PAYMENT_CLOCK = "paid"
    notes = receipt_slip_notes(received)
    assert len(notes) == 2 and "tính từ khi nộp phí, lệ phí" in notes[1]


def test_a_transfer_counts_from_its_booking_day_not_from_the_statement_s_import(
    settings, client, centre_clerk, centre, received
):
    """Paid by VietQR on Wednesday, found in the statement imported on Friday: the time limit
    counts from Wednesday."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    from motcua.payments.models import PaymentRequest

    from .test_reconciliation import csv_statement

    settings.MOTCUA_PAYMENT_CLOCK = "paid"
    client.force_login(centre_clerk)
    reference = PaymentRequest.objects.get(dossier=received).reference
    content = csv_statement(("11/03/2026", "FT9", "", "205.000", f"{reference} NOP PHI"))
    data = {"agency": centre.pk, "file": SimpleUploadedFile("saoke.csv", content)}
    with at(vn(2026, 3, 13, 15, 0)):
        assert client.post(reverse("payments:statements"), data).status_code == 302
    dossier = reread(received)
    assert PaymentRequest.objects.get(dossier=received).state == "paid"
    assert dossier.due_at == vn(2026, 3, 18, 17, 0)  # five working days after Wednesday
    event = dossier.events.get(action=Action.CLOCK_FROM_PAYMENT)
    assert event.created_at == vn(2026, 3, 13, 15, 0)  # recorded when the statement came
    assert datetime.fromisoformat(event.data["paid_at"]) == vn(2026, 3, 11, 0, 0)  # that day
