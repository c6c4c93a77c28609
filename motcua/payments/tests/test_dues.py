"""Amounts of a line, the demo's fees, and the subscriber's cost on the busy path."""

from types import SimpleNamespace

import pytest
from django.core.management import call_command

from conftest import procedure_values
from motcua.catalogue.services import create_procedure
from motcua.organisations.roles import Role
from motcua.payments.dues import line_amount
from motcua.payments.models import FeeItem, FeeKind, PaymentRequest, ReceiptSeries


def rule(unit, *, maximum=None, later_from=None, later_amount=None):
    return SimpleNamespace(
        unit_amount=unit, maximum=maximum, later_from=later_from, later_amount=later_amount
    )


CERTIFIED_COPY = rule(2_000, maximum=200_000, later_from=3, later_amount=1_000)


@pytest.mark.parametrize(
    ("line", "quantity", "amount"),
    [
        (rule(200_000), 1, 200_000),
        (rule(8_000), 3, 24_000),
        (CERTIFIED_COPY, 1, 2_000),
        (CERTIFIED_COPY, 2, 4_000),
        (CERTIFIED_COPY, 3, 5_000),
        (CERTIFIED_COPY, 7, 9_000),
        (CERTIFIED_COPY, 500, 200_000),  # the cap: 200.000 đ a copy
    ],
)
def test_line_amounts(line, quantity, amount):
    assert line_amount(line, quantity) == amount


@pytest.mark.django_db
def test_the_demo_fees_are_written_once(civil_status_field, centre, commune_agency, capsys):
    create_procedure(
        "2.000815",
        actor=None,
        owner_agency=commune_agency,
        values=procedure_values(civil_status_field, name="Chứng thực bản sao từ bản chính"),
        steps=[{"order": 1, "name": "Chứng thực", "role": Role.RECEIVING_CLERK, "budget_hours": 1}],
    )
    call_command("seed_demo_fees")
    item = FeeItem.objects.get()
    assert (item.rule, item.amount, item.later_from, item.later_amount, item.maximum) == (
        "per_page",
        2_000,
        3,
        1_000,
        200_000,
    )
    series = set(ReceiptSeries.objects.values_list("agency", flat=True))
    assert centre.pk in series
    call_command("seed_demo_fees")
    assert FeeItem.objects.count() == 1
    assert set(ReceiptSeries.objects.values_list("agency", flat=True)) == series
    first, second = capsys.readouterr().out.splitlines()[-2:]
    assert "1 fee items on 1 procedures (1 written by hand now" in first
    assert "1 fee items on 1 procedures (0 written by hand now" in second


@pytest.mark.django_db
def test_a_fee_item_added_anywhere_applies_to_the_next_reception(receive, criminal_record):
    """No per-process memory of the priced versions: a fee item written by another process
    (here, straight into the table) is seen by the very next reception."""
    first = receive()
    assert not PaymentRequest.objects.filter(dossier=first).exists()
    FeeItem.objects.bulk_create(
        [
            FeeItem(
                version=criminal_record.current_version,
                order=1,
                name="Lệ phí",
                kind=FeeKind.CHARGE,
                amount=200_000,
            )
        ]
    )
    second = receive()
    assert PaymentRequest.objects.get(dossier=second).total == 200_000


@pytest.mark.django_db
def test_the_admin_lists_fees_and_receipts_for_system_administrators(
    client, system_admin, fee_items
):
    client.force_login(system_admin)
    for name in ("feeitem", "receiptseries", "paymentrequest", "paymentattempt", "receipt"):
        assert client.get(f"/admin/payments/{name}/").status_code == 200
    item = fee_items[0]
    assert client.get(f"/admin/payments/feeitem/{item.pk}/change/").status_code == 200
