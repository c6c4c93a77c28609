"""QĐ 766/QĐ-TTg figures 3.5 and 3.6 (online payment), measured from the payments' data, for
the reports to call (docs/indicators.md, docs/payments.md). The reports choose the
procedures and dossiers in scope (agency, period); these functions say which of them count.

* **3.5, fee procedures payable online** (F766: "payable on the DVCQG platform", full marks
  at ≥ 80%): of the procedures with fees, those whose current version has fee items (so a
  dossier's payment request is computed), while the national payment platform is configured,
  and whose fees have a lawful receipt ready: an active receipt series at the fee items'
  collecting agency or at one of the version's implementing agencies (payment is refused
  without one, collection.series_for).
* **3.6, dossiers paid online** (TH-SYS: ≥ 30% → 6 points): of the dossiers that owe a fee
  (a payment request with an amount above 0 that is due, paid or refunded: a request waived,
  cancelled or of 0 đ is left out, as DVCQG leaves out the dossiers whose fee list is all
  `Gia: 0`), those paid through the national payment platform (`DuocThanhToanTrucTuyen` 1),
  refunded ones included (they were paid online). A VietQR transfer is a bank transfer, not
  the platform: it does not count (decision 0018).
"""

from collections.abc import Iterable

from django.db.models import Exists, OuterRef, Q, QuerySet

from motcua.catalogue.models import Procedure
from motcua.dossiers.models import Dossier

from . import conf
from .models import FeeItem, PaymentAttempt, PaymentRequest, ReceiptSeries

OWING = [PaymentRequest.State.DUE, PaymentRequest.State.PAID, PaymentRequest.State.REFUNDED]
TAKEN = [PaymentAttempt.State.CONFIRMED, PaymentAttempt.State.REFUNDED]
# DuocThanhToanTrucTuyen, the DVCQG sync field: 1 = the national platform, 2 = a ministry or
# province gateway (none here), 3 = not paid online (what THS sends).
ON_PLATFORM, NOT_ONLINE = 1, 3


def payable_online(procedure_ids: Iterable[int]) -> set[int]:
    """Of `procedure_ids`, those a citizen can pay online now (3.5's numerator)."""
    ids = set(procedure_ids)
    if not ids or conf.merchant() is None:
        return set()
    series = ReceiptSeries.objects.filter(is_active=True)
    agencies = set(series.values_list("agency_id", flat=True))
    priced = FeeItem.objects.filter(version=OuterRef("current_version"), amount__gt=0)
    ready = Q(current_version__fee_items__collecting_agency__in=agencies) | Q(
        current_version__implementing_agencies__in=agencies
    )
    found = Procedure.objects.filter(pk__in=ids).filter(Exists(priced))
    return set(found.filter(ready).values_list("pk", flat=True).distinct())


def figure_3_5(with_fees: Iterable[int]) -> tuple[int, int]:
    """(payable online, procedures with fees) over the reports' fee-bearing procedures."""
    ids = set(with_fees)
    return len(payable_online(ids)), len(ids)


def owing(dossiers: QuerySet[Dossier]) -> QuerySet[Dossier]:
    """The dossiers that owe a fee: a request above 0 đ, due, paid or refunded."""
    asked = PaymentRequest.objects.filter(dossier=OuterRef("pk"), total__gt=0, state__in=OWING)
    return dossiers.filter(Exists(asked))


def paid_online(dossiers: QuerySet[Dossier]) -> QuerySet[Dossier]:
    """The dossiers with a payment confirmed through the national payment platform."""
    taken = PaymentAttempt.objects.filter(
        request__dossier=OuterRef("pk"), method=PaymentAttempt.Method.PLATFORM, state__in=TAKEN
    )
    return dossiers.filter(Exists(taken))


def figure_3_6(requests: QuerySet[PaymentRequest]) -> tuple[int, int]:
    """(paid online, owing a fee) among the dossiers of `requests`: the payment requests of
    the dossiers in question (e.g. those received in the period and scope), as a filter on
    their dossier (`dossier__received_at__gte=…`) rather than a list of dossiers, so that the
    database may start from the requests (few beside a quarter's dossiers) or from the
    dossiers, whichever is cheaper; a list of a quarter's dossiers cost SQLite 0.1 s a
    report at a million dossiers even with no payment at all. With payments, the cost grows
    with the scope's dossiers (a tally, as for the other figures, is the next step)."""
    owed = PaymentRequest.objects.filter(total__gt=0, state__in=OWING)
    if not owed.exists():  # nothing owed anywhere (yet): no dossier to look for
        return 0, 0
    asked = requests.filter(total__gt=0, state__in=OWING)
    fee_bearing = asked.values("dossier_id").distinct().count()
    taken = PaymentAttempt.objects.filter(
        method=PaymentAttempt.Method.PLATFORM, state__in=TAKEN, request__in=asked
    )
    return taken.values("request__dossier_id").distinct().count(), fee_bearing


def sync_code(dossier: Dossier) -> int:
    """DuocThanhToanTrucTuyen of one dossier for the DVCQG sync: 1 or 3."""
    found = paid_online(Dossier.objects.filter(pk=dossier.pk)).exists()
    return ON_PLATFORM if found else NOT_ONLINE
