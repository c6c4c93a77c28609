"""The public tracking page shows what a dossier owes and whether it is paid (amount and state
only), to whoever unlocks its details with the last digits of the phone or number; the code
alone shows nothing of it."""

import pytest

pytestmark = pytest.mark.django_db


def test_the_tracking_details_show_the_fee_and_its_state(client, owed):
    alone = client.post("/tra-cuu/", {"ma": owed.code}).content.decode()
    assert "205.000 đ" not in alone
    page = client.post("/tra-cuu/", {"ma": owed.code, "secret": "1234"}).content.decode()
    assert "205.000 đ · Chưa nộp" in page


def test_the_receipt_slip_says_what_is_owed_and_how_to_pay(owed):
    """Mẫu 01 carries the amount in figures and words and the payment reference."""
    from motcua.documents import pdf
    from motcua.documents.tests.pdfs import text
    from motcua.payments.models import PaymentRequest

    reference = PaymentRequest.objects.get(dossier=owed).reference
    assert reference is not None
    slip = text(pdf.receipt_pdf(owed))
    assert "Phí, lệ phí phải nộp: 205.000 đồng" in " ".join(slip.split())
    unbroken = "".join(slip.split())  # the PDF's lines break inside the reference or the URL
    assert reference in unbroken and f"/thanh-toan/{owed.code}/" in unbroken
