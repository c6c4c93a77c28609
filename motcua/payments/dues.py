"""What is owed for a dossier: its payment requests, computed from the fee items of the
procedure version it was received under (Law on Fees and Charges 2015 arts. 3, 6: the
amounts are those the fee regulations set; the catalogue publishes them, Decree 63/2010
art. 8.2.đ).

One request per dossier and stage: at receipt (counter and online, Decree 61/2018 art. 22
with the fee paid when the dossier is filed), at a supplement, at the return of the result,
and for a financial obligation of status 6 (its amount as the officer set it). A request is
computed again while it is still due (the dossier changed, an officer changed a quantity);
paid, waived or refunded, it is what it was.
"""

from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from motcua.audit.services import record_event
from motcua.catalogue.models import ApplicantType
from motcua.dossiers.models import Dossier, DossierEvent, FinancialObligation
from motcua.dossiers.status import Action, Status

from . import conf, priced
from .errors import PaymentError
from .models import FeeExemption, FeeItem, PaymentLine, PaymentRequest, Stage
from .permissions import check_collect
from .references import make_reference

State = PaymentRequest.State
CITIZENS = {ApplicantType.CITIZEN, ApplicantType.FOREIGNER}
STAGE_OF = {  # the dossier's actions that make an amount due
    Action.SUBMIT_ONLINE: Stage.RECEIPT,
    Action.RECEIVE: Stage.RECEIPT,
    Action.RECEIVE_SUPPLEMENT: Stage.SUPPLEMENT,
    Action.MARK_RESULT_READY: Stage.RETURN,
}
ENDING = {Action.REFUSE_AT_RECEPTION, Action.WITHDRAW, Action.STOP}  # nothing more is due


@dataclass(frozen=True)
class Line:
    item: FeeItem | None
    name: str
    kind: str
    rule: str
    unit_amount: int
    quantity: int
    maximum: int | None
    legal_basis: str
    later_from: int | None = None
    later_amount: int | None = None

    @property
    def amount(self) -> int:
        return line_amount(self, self.quantity)


def line_amount(line, quantity: int) -> int:
    """unit x quantity, the units from `later_from` on at `later_amount`, capped at
    `maximum` when the regulation sets one (Circular 226/2016 art. 4: certified copies
    2.000 đ a page, from the 3rd page 1.000 đ, at most 200.000 đ a copy)."""
    full = quantity
    if line.later_from is not None and line.later_amount is not None:
        full = min(quantity, max(line.later_from - 1, 0))
    amount = line.unit_amount * full + (line.later_amount or 0) * (quantity - full)
    return min(amount, line.maximum) if line.maximum is not None else amount


def applicant_group(applicant_type: str) -> str:
    if applicant_type in CITIZENS:
        return FeeItem.Applicants.CITIZEN
    return FeeItem.Applicants.ORGANISATION


def applicable_items(dossier: Dossier, stage: str) -> list[FeeItem]:
    """The fee items of the dossier's version for `stage`, its channel and its applicant."""
    items = FeeItem.objects.filter(
        version_id=dossier.procedure_version_id,
        collected_at=stage,
        channel__in=["", dossier.channel],
        applicants__in=[FeeItem.Applicants.ANY, applicant_group(dossier.applicant_type)],
    )
    return list(items.select_related("collecting_agency").order_by("order", "id"))


def _lines(items: list[FeeItem], quantities: dict[int, int]) -> list[Line]:
    return [
        Line(
            item=item,
            name=item.name,
            kind=item.kind,
            rule=item.rule,
            unit_amount=item.amount,
            quantity=quantities.get(item.pk, 1),
            maximum=item.maximum,
            legal_basis=item.legal_basis,
            later_from=item.later_from,
            later_amount=item.later_amount,
        )
        for item in items
    ]


@transaction.atomic
def compute_request(
    dossier: Dossier, stage: str = Stage.RECEIPT, *, actor=None
) -> PaymentRequest | None:
    """Create or bring up to date the dossier's request for `stage` from its fee items
    (quantities an officer set are kept). None when nothing is owed and nothing was asked.
    A request no longer due is left as it is."""
    request = (
        PaymentRequest.objects.select_for_update().filter(dossier=dossier, stage=stage).first()
    )
    if request is not None and request.state != State.DUE:
        return request
    items = applicable_items(dossier, stage)
    if request is None and not items:
        return None
    quantities = _quantities(request) if request else {}
    return _write(dossier, stage, request, _lines(items, quantities), items, actor=actor)


def _quantities(request: PaymentRequest) -> dict[int, int]:
    return {line.item_id: line.quantity for line in request.lines.all() if line.item_id}


def _account_of(items: list[FeeItem]) -> FeeItem | None:
    return next((item for item in items if item.has_account), None)


def _write(dossier, stage, request, lines: list[Line], items: list[FeeItem], *, actor, new=False):
    agency = next((i.collecting_agency for i in items if i.collecting_agency_id), None)
    account = _account_of(items)
    created = new or request is None
    if request is None:
        request = PaymentRequest(dossier=dossier, stage=stage)
    before = request.total
    request.collecting_agency = agency or dossier.receiving_agency
    request.total = sum(line.amount for line in lines)
    request.bank_bin = account.bank_bin if account else ""
    request.bank_account = account.bank_account if account else ""
    request.account_name = account.account_name if account else ""
    request.save()
    if created:
        request.reference = make_reference(request.pk, conf.reference_prefix())
        request.save(update_fields=["reference"])
    else:
        request.lines.all().delete()
    PaymentLine.objects.bulk_create(
        PaymentLine(
            request=request,
            item=line.item,
            order=i,
            name=line.name,
            kind=line.kind,
            rule=line.rule,
            unit_amount=line.unit_amount,
            quantity=line.quantity,
            maximum=line.maximum,
            later_from=line.later_from,
            later_amount=line.later_amount,
            amount=line.amount,
            legal_basis=line.legal_basis,
        )
        for i, line in enumerate(lines, start=1)
    )
    if created or before != request.total:
        action = "payment_request.created" if created else "payment_request.recomputed"
        record_event(action, request, actor=actor, total=request.total, previous=before)
    return request


@transaction.atomic
def set_quantities(request: PaymentRequest, quantities: dict[int, int], *, actor) -> PaymentRequest:
    """The counted copies or pages of a request's lines (by line id), while it is due; the
    total follows. Audited."""
    request = (
        PaymentRequest.objects.select_for_update().select_related("dossier").get(pk=request.pk)
    )
    check_collect(actor, request.dossier)
    _require_due(request)
    before = request.total
    for line in request.lines.select_for_update():
        if line.pk in quantities:
            quantity = quantities[line.pk]
            if quantity < 1 or (line.rule == FeeItem.Rule.FIXED and quantity != 1):
                raise PaymentError("bad_quantity", _("A quantity is a whole number from 1."))
            line.quantity = quantity
            line.amount = line_amount(line, quantity)
            line.save(update_fields=["quantity", "amount"])
    request.total = sum(line.amount for line in request.lines.all())
    request.save(update_fields=["total", "updated_at"])
    record_event(
        "payment_request.quantities", request, actor=actor, total=request.total, previous=before
    )
    return request


@transaction.atomic
def waive_request(
    request: PaymentRequest, *, actor, exemption: FeeExemption | None, reason: str = ""
) -> PaymentRequest:
    """The applicant is exempt (an exemption of one of the request's fee items, with its
    legal basis, or a reason written by the clerk): nothing is collected. Audited."""
    request = (
        PaymentRequest.objects.select_for_update().select_related("dossier").get(pk=request.pk)
    )
    check_collect(actor, request.dossier)
    _require_due(request)
    text = f"{exemption.description} ({exemption.legal_basis})" if exemption else reason.strip()
    if not text:
        raise PaymentError("reason_required", _("Say why the applicant is exempt."))
    request.state, request.waived_reason = State.WAIVED, text[:500]
    request.save(update_fields=["state", "waived_reason", "updated_at"])
    record_event("payment_request.waived", request, actor=actor, reason=request.waived_reason)
    return request


def _locked(request: PaymentRequest) -> PaymentRequest:
    found = PaymentRequest.objects.select_for_update().select_related("dossier")
    return found.get(pk=request.pk)


def _require_due(request: PaymentRequest) -> None:
    if request.state != State.DUE:
        raise PaymentError(
            "not_due",
            _("This payment is no longer due (it is %(state)s).")
            % {"state": request.get_state_display()},
            status=409,
        )


# --- The lifecycle subscriber -----------------------------------------------------------


class Subscriber:
    """dossiers.lifecycle subscriber, in the transaction of every recorded event: a request
    when an amount becomes due, cancelled when the dossier ends unpaid. One statement for a
    procedure without fee items (priced.py)."""

    def __call__(self, dossier: Dossier, event: DossierEvent) -> None:
        action = event.action
        if action == Action.REQUIRE_PAYMENT:
            obligation_request(dossier, event)
        elif action in STAGE_OF:
            if priced.is_priced(dossier.procedure_version_id):
                compute_request(dossier, STAGE_OF[Action(action)], actor=event.actor)
        elif action in ENDING and self._may_owe(dossier, event):
            cancel_due(dossier, actor=event.actor)

    @staticmethod
    def _may_owe(dossier: Dossier, event: DossierEvent) -> bool:
        if event.from_status == Status.FINANCIAL:
            return True
        return priced.is_priced(dossier.procedure_version_id)

    def batch(self, rows) -> None:
        """Dossiers written in bulk are history (the import): nothing is owed now."""
        return None


on_event = Subscriber()


def obligation_request(dossier: Dossier, event: DossierEvent) -> PaymentRequest | None:
    """Status 6 with an amount: the obligation as a request of its own."""
    obligation = FinancialObligation.objects.filter(pk=event.data.get("obligation")).first()
    if obligation is None or not obligation.amount:
        return None
    line = Line(
        item=None,
        name=obligation.description[:500],
        kind="",
        rule=FeeItem.Rule.FIXED,
        unit_amount=int(obligation.amount),
        quantity=1,
        maximum=None,
        legal_basis="",
    )
    request = PaymentRequest(dossier=dossier, stage=Stage.OBLIGATION, obligation=obligation)
    return _write(dossier, Stage.OBLIGATION, request, [line], [], actor=event.actor, new=True)


def cancel_due(dossier: Dossier, *, actor) -> int:
    """The dossier ended (refused at reception, withdrawn, stopped): what was still due is
    not collected. Paid requests stay paid (a refund is a decision: refunds.py)."""
    due = list(PaymentRequest.objects.select_for_update().filter(dossier=dossier, state=State.DUE))
    for request in due:
        request.state = State.CANCELLED
        request.save(update_fields=["state", "updated_at"])
        record_event("payment_request.cancelled", request, actor=actor)
    return len(due)
