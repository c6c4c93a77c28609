"""Processing actions on a dossier through the API: one endpoint per service, the same
services as the back-office pages (style.md principle 1). Each returns the dossier as
GET /api/v1/dossiers/{code} does."""

from datetime import datetime
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema

from motcua.catalogue.models import Channel
from motcua.dossiers import (
    closing,
    consultations,
    delays,
    obligations,
    processing,
    results,
    supplements,
)
from motcua.dossiers.models import Dossier
from motcua.dossiers.permissions import get_dossier_for
from motcua.organisations.models import Agency

from .auth import STAFF_AUTH
from .dossiers import dossier_detail
from .schemas.dossiers import DossierDetail

router = Router(tags=["dossier processing"], auth=STAFF_AUTH)
TEXT = 4000


class NoteIn(Schema):
    note: str = Field("", max_length=TEXT)


class ReasonIn(Schema):
    reason: str = Field(..., max_length=TEXT)


class AssignIn(NoteIn):
    assignee: str = Field(..., max_length=150, description="Username of the officer")
    delegated_from: str | None = Field(None, max_length=150)


class SendBackIn(ReasonIn):
    to_order: int = Field(..., ge=1)


class ConsultIn(Schema):
    to_agency: str = Field(..., max_length=35)
    content: str = Field(..., max_length=TEXT)
    deadline_days: Decimal = Field(..., gt=0, le=60)


class SupplementIn(ReasonIn):
    items: list[str] = Field(..., min_length=1, max_length=100)


class PaymentIn(Schema):
    description: str = Field(..., max_length=TEXT)
    amount: Decimal | None = Field(None, ge=0, max_digits=14, decimal_places=0)


class ApologyIn(ReasonIn):
    new_due_at: datetime
    responsible_agency: str | None = Field(None, max_length=35)


class ReturnIn(Schema):
    method: Channel
    collected_by_name: str = Field("", max_length=255)
    collected_by_id_number: str = Field("", max_length=20)


def _user(username: str | None):
    if not username:
        return None
    return get_object_or_404(get_user_model(), username=username, is_active=True)


def _done(request: HttpRequest, dossier: Dossier) -> Dossier:
    return dossier_detail(dossier.code, request.auth)


def _dossier(request: HttpRequest, code: str) -> Dossier:
    return get_dossier_for(request.auth, code)


@router.post("/{code}/hand-over", response=DossierDetail)
def hand_over(request: HttpRequest, code: str, body: NoteIn):
    dossier = _dossier(request, code)
    processing.hand_over(dossier, actor=request.auth, note=body.note)
    return _done(request, dossier)


@router.post("/{code}/assign", response=DossierDetail)
def assign(request: HttpRequest, code: str, body: AssignIn):
    dossier = _dossier(request, code)
    processing.assign_step(
        dossier,
        actor=request.auth,
        assignee=_user(body.assignee),
        note=body.note,
        delegated_from=_user(body.delegated_from),
    )
    return _done(request, dossier)


@router.post("/{code}/complete-step", response=DossierDetail)
def complete_step(request: HttpRequest, code: str, body: NoteIn):
    dossier = _dossier(request, code)
    processing.complete_step(dossier, actor=request.auth, note=body.note)
    return _done(request, dossier)


@router.post("/{code}/approve", response=DossierDetail)
def approve(request: HttpRequest, code: str, body: NoteIn):
    dossier = _dossier(request, code)
    processing.approve(dossier, actor=request.auth, note=body.note)
    return _done(request, dossier)


@router.post("/{code}/send-back", response=DossierDetail)
def send_back(request: HttpRequest, code: str, body: SendBackIn):
    dossier = _dossier(request, code)
    processing.send_back(dossier, actor=request.auth, to_order=body.to_order, reason=body.reason)
    return _done(request, dossier)


@router.post("/{code}/consult", response=DossierDetail)
def consult(request: HttpRequest, code: str, body: ConsultIn):
    dossier = _dossier(request, code)
    consultations.request_consultation(
        dossier,
        actor=request.auth,
        to_agency=get_object_or_404(Agency, code=body.to_agency),
        content=body.content,
        deadline_days=body.deadline_days,
    )
    return _done(request, dossier)


@router.post(
    "/{code}/supplement",
    response=DossierDetail,
    summary="Request a supplement after appraisal (once)",
)
def request_supplement(request: HttpRequest, code: str, body: SupplementIn):
    dossier = _dossier(request, code)
    supplements.request_supplement(
        dossier, actor=request.auth, reason=body.reason, items=body.items
    )
    return _done(request, dossier)


@router.post("/{code}/supplement-received", response=DossierDetail)
def receive_supplement(request: HttpRequest, code: str, body: NoteIn):
    dossier = _dossier(request, code)
    supplements.receive_supplement(dossier, actor=request.auth, note=body.note)
    return _done(request, dossier)


@router.post("/{code}/payment", response=DossierDetail)
def require_payment(request: HttpRequest, code: str, body: PaymentIn):
    dossier = _dossier(request, code)
    obligations.require_payment(
        dossier, actor=request.auth, description=body.description, amount=body.amount
    )
    return _done(request, dossier)


@router.post("/{code}/payment-confirmed", response=DossierDetail)
def confirm_payment(request: HttpRequest, code: str, body: NoteIn):
    dossier = _dossier(request, code)
    obligations.confirm_payment(dossier, actor=request.auth, note=body.note)
    return _done(request, dossier)


@router.post("/{code}/apology", response=DossierDetail)
def apologise(request: HttpRequest, code: str, body: ApologyIn):
    dossier = _dossier(request, code)
    agency = (
        get_object_or_404(Agency, code=body.responsible_agency) if body.responsible_agency else None
    )
    delays.apologise(
        dossier,
        actor=request.auth,
        reason=body.reason,
        new_due_at=body.new_due_at,
        responsible_agency=agency,
    )
    return _done(request, dossier)


@router.post("/{code}/result-ready", response=DossierDetail)
def result_ready(request: HttpRequest, code: str, body: NoteIn):
    dossier = _dossier(request, code)
    results.mark_result_ready(dossier, actor=request.auth, note=body.note)
    return _done(request, dossier)


@router.post("/{code}/refuse-after-appraisal", response=DossierDetail)
def refuse_after_appraisal(request: HttpRequest, code: str, body: ReasonIn):
    dossier = _dossier(request, code)
    results.refuse_after_appraisal(dossier, actor=request.auth, reasons=body.reason)
    return _done(request, dossier)


@router.post("/{code}/return", response=DossierDetail)
def return_result(request: HttpRequest, code: str, body: ReturnIn):
    dossier = _dossier(request, code)
    results.return_result(
        dossier,
        actor=request.auth,
        method=body.method,
        collected_by_name=body.collected_by_name,
        collected_by_id_number=body.collected_by_id_number,
    )
    return _done(request, dossier)


@router.post("/{code}/withdraw", response=DossierDetail)
def withdraw(request: HttpRequest, code: str, body: ReasonIn):
    dossier = _dossier(request, code)
    closing.withdraw(dossier, actor=request.auth, reason=body.reason)
    return _done(request, dossier)


@router.post("/{code}/stop", response=DossierDetail)
def stop(request: HttpRequest, code: str, body: ReasonIn):
    dossier = _dossier(request, code)
    closing.stop(dossier, actor=request.auth, reason=body.reason)
    return _done(request, dossier)
