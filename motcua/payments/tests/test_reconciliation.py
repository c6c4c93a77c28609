"""VietQR transfers confirmed by the bank statement, through the cashier's pages: a statement
in CSV or Excel imported, credits matched on the payment reference then checked on amount and
date (the receipt issued in the same transaction), what did not match matched by hand or set
aside, nothing matched twice; the daily reconciliation report and its Excel export. Each
test checks the response, the rows and the audit log."""

import io
from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from conftest import make_user
from motcua.audit.models import AuditEvent
from motcua.organisations.roles import Role
from motcua.outbox.models import OutboxMessage
from motcua.payments import daily, statements
from motcua.payments.models import (
    BankStatement,
    PaymentAttempt,
    PaymentRequest,
    Receipt,
    StatementLine,
)

from .conftest import MONDAY, at
from .test_cashier_pages import pay

pytestmark = pytest.mark.django_db
DAY = date(2026, 3, 9)


@pytest.fixture
def two_owed(receive, fee_items, series):
    """Two dossiers received on Monday, 205.000 đ due on each."""
    return receive(), receive()


@pytest.fixture
def cashier(client, centre_clerk):
    client.force_login(centre_clerk)
    return client


def csv_statement(*rows: tuple) -> bytes:
    """A statement as a Vietnamese bank exports it: a title, then the header."""
    lines = ["SAO KE TAI KHOAN 1017595600", "Ngày giao dịch;Số tham chiếu;Ghi nợ;Ghi có;Nội dung"]
    lines += [";".join(str(c) for c in row) for row in rows]
    return "\n".join(lines).encode("utf-8-sig")


def upload(cashier, centre, content: bytes, name="saoke.csv"):
    data = {"agency": centre.pk, "file": SimpleUploadedFile(name, content)}
    with at(MONDAY + timedelta(days=1)):
        return cashier.post(reverse("payments:statements"), data)


def reference_of(dossier) -> str:
    return PaymentRequest.objects.get(dossier=dossier).reference or ""


def test_a_transfer_with_its_reference_is_confirmed_by_importing_the_statement(
    cashier, centre, two_owed
):
    first, second = two_owed
    content = csv_statement(
        ("09/03/2026", "FT001", "", "205.000", f"{reference_of(first)} {first.code} NGUYEN VAN A"),
        ("09/03/2026", "FT002", "50.000", "", "PHI NGAN HANG"),  # a debit: not ours to match
        ("09/03/2026", "FT003", "", "205.000", "chuyen tien le phi"),  # no reference
    )
    response = upload(cashier, centre, content)
    assert response.status_code == 302
    lines = {line.bank_reference: line for line in StatementLine.objects.all()}
    assert set(lines) == {"FT001", "FT003"}
    assert (lines["FT001"].state, lines["FT003"].state) == ("matched", "unmatched")
    assert lines["FT003"].problem == "no_reference"
    request = PaymentRequest.objects.get(dossier=first)
    attempt = lines["FT001"].attempt
    assert attempt is not None
    assert (request.state, attempt.method, attempt.state, attempt.amount) == (
        "paid",
        "vietqr",
        "confirmed",
        205_000,
    )
    assert Receipt.objects.get(attempt=attempt).number == 1
    assert PaymentRequest.objects.get(dossier=second).state == "due"
    assert OutboxMessage.objects.filter(topic="payments.receipt_issued").count() == 1
    actions = list(AuditEvent.objects.values_list("action", flat=True))
    assert {"bank_statement.imported", "statement_line.matched", "payment.confirmed"} <= set(
        actions
    )
    page = cashier.get(reverse("payments:statements"))
    assert "chuyen tien le phi" in page.content.decode()


def test_the_reference_is_found_however_the_bank_wrote_it(cashier, centre, two_owed):
    first, second = two_owed
    squeezed = reference_of(first).lower() + first.code.replace(".", "").replace("-", "")
    dashed = "-".join(reference_of(second))
    upload(
        cashier,
        centre,
        csv_statement(
            ("09/03/2026", "A1", "", "205000", f"IBFT {squeezed}"),
            ("10/03/2026", "A2", "", "205,000 VND", f"MBVCB.123.{dashed}.CT tu 0123"),
        ),
    )
    assert set(StatementLine.objects.values_list("state", flat=True)) == {"matched"}


def test_a_wrong_amount_a_typo_or_an_early_date_waits_for_a_person(cashier, centre, two_owed):
    first, second = two_owed
    ref = reference_of(first)
    typo = ref[:-2] + ("1" if ref[-2] != "1" else "2") + ref[-1]
    upload(
        cashier,
        centre,
        csv_statement(
            ("09/03/2026", "B1", "", "200.000", f"{ref}"),  # short of 5.000 đ
            ("09/03/2026", "B2", "", "205.000", f"{typo}"),  # a mistyped reference
            ("01/03/2026", "B3", "", "205.000", f"{reference_of(second)}"),  # before the request
        ),
    )
    problems = dict(StatementLine.objects.values_list("bank_reference", "problem"))
    assert problems == {"B1": "amount_differs", "B2": "no_reference", "B3": "before_request"}
    assert not PaymentAttempt.objects.exists()


def test_the_cashier_matches_a_line_by_hand_and_nothing_is_matched_twice(cashier, centre, two_owed):
    first, second = two_owed
    upload(
        cashier,
        centre,
        csv_statement(
            ("09/03/2026", "C1", "", "205.000", "nop tien ho so"),
            ("09/03/2026", "C2", "", "205.000", "nop tien lan 2"),
        ),
    )
    one, two = StatementLine.objects.order_by("row")
    page = cashier.get(reverse("payments:statement-line", args=[one.pk]))
    assert page.status_code == 200
    assert {c.dossier for c in page.context["candidates"]} == {first, second}
    first_request = PaymentRequest.objects.get(dossier=first)
    url = reverse("payments:match-line", args=[one.pk])
    with at(MONDAY + timedelta(days=1)):
        assert cashier.post(url, {"choice": first_request.pk}).status_code == 302
        # The same line again, and another line for the same request: refused.
        assert cashier.post(url, {"choice": first_request.pk}).status_code == 409
        other = reverse("payments:match-line", args=[two.pk])
        assert cashier.post(other, {"wanted": first_request.reference}).status_code == 409
        assert (
            cashier.post(other, {"wanted": second.code, "note": "gọi điện xác nhận"}).status_code
            == 302
        )
    assert set(StatementLine.objects.values_list("state", flat=True)) == {"matched"}
    assert PaymentAttempt.objects.filter(state="confirmed").count() == 2
    assert sorted(Receipt.objects.values_list("number", flat=True)) == [1, 2]
    how = set(
        AuditEvent.objects.filter(action="statement_line.matched").values_list(
            "data__how", flat=True
        )
    )
    assert how == {"manual"}


def test_a_line_not_ours_is_set_aside_with_a_reason(cashier, centre, two_owed):
    upload(cashier, centre, csv_statement(("09/03/2026", "D1", "", "999.000", "hoan ung")))
    line = StatementLine.objects.get()
    url = reverse("payments:set-aside", args=[line.pk])
    assert cashier.post(url, {"reason": ""}).status_code == 400
    assert cashier.post(url, {"reason": "Tạm ứng nội bộ"}).status_code == 302
    line.refresh_from_db()
    assert (line.state, line.note) == ("set_aside", "Tạm ứng nội bộ")
    assert AuditEvent.objects.filter(action="statement_line.set_aside").count() == 1


def test_the_same_file_twice_is_refused_and_overlapping_statements_add_nothing(
    cashier, centre, two_owed
):
    first, _ = two_owed
    row = ("09/03/2026", "E1", "", "205.000", reference_of(first))
    assert upload(cashier, centre, csv_statement(row)).status_code == 302
    assert upload(cashier, centre, csv_statement(row)).status_code == 409
    wider = csv_statement(row, ("10/03/2026", "E2", "", "10.000", "khac"))
    assert upload(cashier, centre, wider, name="saoke-2.csv").status_code == 302
    assert StatementLine.objects.count() == 2 and BankStatement.objects.count() == 2
    assert PaymentAttempt.objects.count() == 1


def test_an_excel_statement_is_read(cashier, centre, two_owed):
    first, _ = two_owed
    book = Workbook()
    sheet = book.active
    sheet.append(["Sao kê"])
    sheet.append(["Ngày", "Diễn giải", "Số tiền ghi có", "Mã GD"])
    sheet.append([DAY, f"CT {reference_of(first)}", 205000, "X1"])
    sheet.append([None, "Tổng cộng", None, None])
    out = io.BytesIO()
    book.save(out)
    assert upload(cashier, centre, out.getvalue(), name="saoke.xlsx").status_code == 302
    assert StatementLine.objects.get().state == "matched"


def test_a_bad_file_is_refused_with_a_reason(cashier, centre, two_owed):
    response = upload(cashier, centre, b"hello;world\n1;2\n")
    assert response.status_code == 400 and response.context["form"].non_field_errors()
    assert upload(cashier, centre, b"x", name="saoke.xlsx").status_code == 400
    assert upload(cashier, centre, b"x", name="saoke.pdf").status_code == 400
    assert not BankStatement.objects.exists()


def test_a_clerk_of_another_agency_cannot_import_or_see_lines(
    client, centre, commune_agency, two_owed, cashier
):
    upload(cashier, centre, csv_statement(("09/03/2026", "F1", "", "1.000", "x")))
    outsider = make_user("other-cashier", commune_agency, Role.RECEIVING_CLERK)
    client.force_login(outsider)
    response = upload(client, centre, csv_statement(("09/03/2026", "F2", "", "1.000", "y")))
    assert response.status_code == 400  # the centre is not among their agencies
    line = StatementLine.objects.get()
    assert client.get(reverse("payments:statement-line", args=[line.pk])).status_code == 404
    assert (
        client.post(reverse("payments:set-aside", args=[line.pk]), {"reason": "x"}).status_code
        == 404
    )


def test_the_daily_report_per_agency_and_channel_and_its_excel(cashier, centre, two_owed):
    first, second = two_owed
    assert pay(cashier, second).status_code == 302  # cash, Monday 10:00
    upload(
        cashier,
        centre,
        csv_statement(
            ("09/03/2026", "G1", "", "205.000", reference_of(first)),
            ("09/03/2026", "G2", "", "=HYPERLINK(1)", "bad amount: not a credit"),
            ("09/03/2026", "G3", "", "7.000", "=cmd|' /C calc'!A0"),
        ),
    )
    # The VietQR payment is confirmed on Tuesday (the import), its credit booked on Monday.
    rows = {r.channel: r for r in daily.build([centre], DAY, DAY + timedelta(days=1))}
    assert (rows["cash"].expected.amount, rows["cash"].received.amount) == (205_000, 205_000)
    vietqr = rows["vietqr"]
    assert (vietqr.expected.count, vietqr.expected.amount) == (1, 205_000)
    assert (vietqr.received.count, vietqr.received.amount) == (2, 212_000)
    assert (vietqr.unmatched.count, vietqr.unmatched.amount, vietqr.difference) == (1, 7_000, 7_000)
    url = reverse("payments:reconciliation-report")
    page = cashier.get(url, {"tu": "2026-03-09", "den": "2026-03-10"})
    assert page.status_code == 200 and len(page.context["rows"]) == 2
    book = cashier.get(url, {"tu": "2026-03-09", "den": "2026-03-10", "xlsx": "1"})
    assert book.status_code == 200 and book["Content-Disposition"].endswith('.xlsx"')
    sheet = load_workbook(io.BytesIO(book.content)).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values[3][0] == centre.name and values[3][3] == 205_000


def test_amounts_and_dates_as_banks_write_them():
    assert [
        statements.amount_of(v)
        for v in ("205.000", "205,000", "205000", "+205.000 VND", 205000.0, "2.5", "-5.000", "abc")
    ] == [
        205_000,
        205_000,
        205_000,
        205_000,
        205_000,
        None,
        None,
        None,
    ]
    assert statements.date_of("09/03/2026") == DAY == statements.date_of("2026-03-09")
    assert statements.fold("Ngày  Giao dịch") == "ngay giao dich"


def test_a_long_run_after_the_reference_is_not_read_as_a_huge_id(two_owed):
    from motcua.payments.reconciliation import find_reference

    first, _ = two_owed
    request = PaymentRequest.objects.get(dossier=first)
    assert find_reference(f"{request.reference} {first.code} 9999999999999999999999") == request.pk
    assert find_reference("MC" + "Z" * 60) is None
