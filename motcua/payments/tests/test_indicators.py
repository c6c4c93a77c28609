"""QĐ 766 figures 3.5 (fee procedures payable online) and 3.6 (dossiers paid online) from the
payments' data, as the reports will call them."""

import pytest

from motcua.dossiers.models import Dossier
from motcua.payments import indicators
from motcua.payments.models import PaymentRequest

from .test_platform_flow import decide, start

pytestmark = pytest.mark.django_db


def test_3_5_counts_priced_procedures_with_a_receipt_series_while_the_platform_is_on(
    settings, criminal_record, fee_items, series, centre
):
    criminal_record.current_version.implementing_agencies.add(centre)
    settings.MOTCUA_FAKE_PAYMENTS = True
    assert indicators.figure_3_5({criminal_record.pk, 999_999}) == (1, 2)
    settings.MOTCUA_FAKE_PAYMENTS = False  # no platform: nothing is payable online
    assert indicators.figure_3_5({criminal_record.pk}) == (0, 1)


def test_3_5_needs_fee_items_and_a_receipt_series(settings, criminal_record, centre):
    settings.MOTCUA_FAKE_PAYMENTS = True
    criminal_record.current_version.implementing_agencies.add(centre)
    assert indicators.payable_online({criminal_record.pk}) == set()


def test_3_6_counts_dossiers_paid_through_the_platform_among_those_owing(
    platform, citizen, owed, receive, centre_clerk
):
    cash, waived = receive(), receive()
    from motcua.payments.collection import record_counter_payment
    from motcua.payments.dues import waive_request

    record_counter_payment(
        PaymentRequest.objects.get(dossier=cash),
        actor=centre_clerk,
        method="cash",
        amount=205_000,
        key="t1",
    )
    waive_request(
        PaymentRequest.objects.get(dossier=waived), actor=centre_clerk, exemption=None, reason="x"
    )
    everything = PaymentRequest.objects.filter(dossier__in=Dossier.objects.all())
    assert indicators.figure_3_6(everything) == (0, 2)  # owed and cash; waived is left out
    decide(citizen, start(citizen, owed))
    assert indicators.figure_3_6(everything) == (1, 2)
    assert (indicators.sync_code(owed), indicators.sync_code(cash)) == (1, 3)


def test_the_quality_page_scores_3_6_from_the_payments(
    platform, citizen, owed, receive, centre_clerk
):
    """The reports' QĐ 766 group 3 reads the same figures for the period the dossiers were
    received in (reports.qd766._payments)."""
    from motcua.dossiers.tests.conftest import MONDAY
    from motcua.reports import indicators as quality
    from motcua.reports.scope import Period, Scope

    receive()  # a second dossier owing the fee, not paid
    decide(citizen, start(citizen, owed))
    day = MONDAY.date()  # when the fixtures receive the dossiers
    groups = {g.key: g for g in quality.build(Period(day, day), Scope()).groups}
    figures = {f.code: f for f in groups["payment"].figures}
    assert (figures["3.6"].numerator, figures["3.6"].denominator) == (1, 2)
    assert groups["payment"].not_measured == []
