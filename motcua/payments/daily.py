"""The daily reconciliation report, per collecting agency and channel (cash, card, VietQR,
the national payment platform), as a centre's accountant closes a day:

* **expected**: what motcua's receipts say was collected that day (confirmed payments, by
  the time of their confirmation), count and amount;
* **received**: what the money's side reports for that day: the cashier's record for cash
  and card (the same), the bank statement's credits booked that day for VietQR, the
  platform's paid notices received that day (one per transaction) for the platform;
* **unmatched**: money reported that no receipt accounts for: statement credits not matched
  (waiting or set aside), the platform's paid notices refused (wrong amount) or paid for a
  request settled otherwise (conflict);
* **difference**: received − expected.

Read-only; the Excel export writes every text through the formula-safe writer.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from io import BytesIO

from django.db.models import Count, Sum
from django.utils.translation import gettext as _

from motcua.organisations.models import Agency
from motcua.spreadsheets import write_only_cells

from .conf import RECEIPT_ZONE
from .models import CallbackLog, PaymentAttempt, StatementLine

Method = PaymentAttempt.Method
CHANNELS = [Method.CASH, Method.CARD, Method.VIETQR, Method.PLATFORM]
TAKEN = [PaymentAttempt.State.CONFIRMED, PaymentAttempt.State.REFUNDED]
ACCEPTED_PAID = {CallbackLog.Outcome.CONFIRMED, CallbackLog.Outcome.REPLAYED}


@dataclass
class Figure:
    count: int = 0
    amount: int = 0

    def add(self, count: int, amount: int | None) -> None:
        self.count += count
        self.amount += amount or 0


@dataclass
class Row:
    agency: Agency
    channel: str
    expected: Figure = field(default_factory=Figure)
    received: Figure = field(default_factory=Figure)
    unmatched: Figure = field(default_factory=Figure)

    @property
    def channel_label(self) -> str:
        return str(Method(self.channel).label)

    @property
    def difference(self) -> int:
        return self.received.amount - self.expected.amount


def bounds(start: date, end: date) -> tuple[datetime, datetime]:
    low = datetime.combine(start, time.min, tzinfo=RECEIPT_ZONE)
    return low, datetime.combine(end, time.min, tzinfo=RECEIPT_ZONE) + timedelta(days=1)


def build(agencies: list[Agency], start: date, end: date) -> list[Row]:
    """The report's rows, from `start` to `end` inclusive (Vietnam's days)."""
    low, high = bounds(start, end)
    agencies = list(agencies)
    by_id = {a.pk: a for a in agencies}
    rows: dict[tuple[int, str], Row] = {}

    def row(agency_id: int, channel: str) -> Row:
        key = (agency_id, channel)
        if key not in rows:
            rows[key] = Row(by_id[agency_id], channel)
        return rows[key]

    taken = (
        PaymentAttempt.objects.filter(
            state__in=TAKEN,
            confirmed_at__gte=low,
            confirmed_at__lt=high,
            request__collecting_agency__in=agencies,
        )
        .values("request__collecting_agency", "method")
        .annotate(n=Count("pk"), total=Sum("amount"))
    )
    for t in taken:
        r = row(t["request__collecting_agency"], t["method"])
        r.expected.add(t["n"], t["total"])
        if t["method"] in (Method.CASH, Method.CARD):
            r.received.add(t["n"], t["total"])
    _statement_lines(agencies, start, end, row)
    _platform_notices(agencies, low, high, row)
    order = {c: i for i, c in enumerate(CHANNELS)}
    return sorted(rows.values(), key=lambda r: (r.agency.name, order[Method(r.channel)]))


def _statement_lines(agencies, start: date, end: date, row) -> None:
    lines = (
        StatementLine.objects.filter(
            statement__agency__in=agencies, booked_on__gte=start, booked_on__lte=end
        )
        .values("statement__agency", "state")
        .annotate(n=Count("pk"), total=Sum("amount"))
    )
    for line in lines:
        r = row(line["statement__agency"], Method.VIETQR)
        r.received.add(line["n"], line["total"])
        if line["state"] != StatementLine.State.MATCHED:
            r.unmatched.add(line["n"], line["total"])


def _platform_notices(agencies, low: datetime, high: datetime, row) -> None:
    """One payment per provider transaction (a duplicated callback and the QUERY answers of
    the same payment are one); unmatched when no notice of it was accepted."""
    notices = CallbackLog.objects.filter(
        paid=True,
        received_at__gte=low,
        received_at__lt=high,
        attempt__request__collecting_agency__in=agencies,
    ).exclude(provider_reference="")
    per: dict[str, dict] = {}
    for agency_id, txn, amount, outcome in notices.values_list(
        "attempt__request__collecting_agency", "provider_reference", "amount", "outcome"
    ).order_by("received_at", "pk"):
        seen = per.setdefault(txn, {"agency": agency_id, "amount": amount or 0, "ok": False})
        if outcome in ACCEPTED_PAID:
            seen["ok"], seen["amount"] = True, amount or 0
    for seen in per.values():
        r = row(seen["agency"], Method.PLATFORM)
        r.received.add(1, seen["amount"])
        if not seen["ok"]:
            r.unmatched.add(1, seen["amount"])


def workbook(rows: list[Row], start: date, end: date) -> bytes:
    """The report as an Excel workbook (one sheet), every text through put_value."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet(_("Reconciliation"))
    period = start.isoformat() if start == end else f"{start.isoformat()} – {end.isoformat()}"
    sheet.append(write_only_cells(sheet, [_("Daily reconciliation of fees"), period]))
    sheet.append([])
    sheet.append(
        write_only_cells(
            sheet,
            [
                _("Agency"),
                _("Channel"),
                _("Expected (count)"),
                _("Expected (VND)"),
                _("Received (count)"),
                _("Received (VND)"),
                _("Unmatched (count)"),
                _("Unmatched (VND)"),
                _("Difference (VND)"),
            ],
        )
    )
    for r in rows:
        values = [
            r.agency.name,
            r.channel_label,
            r.expected.count,
            r.expected.amount,
            r.received.count,
            r.received.amount,
            r.unmatched.count,
            r.unmatched.amount,
            r.difference,
        ]
        sheet.append(write_only_cells(sheet, values))
    out = BytesIO()
    book.save(out)
    return out.getvalue()
