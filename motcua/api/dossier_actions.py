"""Processing actions on a dossier through the API: one endpoint per operation of
motcua.dossiers.operations, the table the back-office pages use too (style.md principle 1).
Each takes its own body schema (for the OpenAPI document) and returns the dossier as
GET /api/v1/dossiers/{code} does."""

from decimal import Decimal

from django.contrib.auth import get_user_model
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema

from motcua.catalogue.models import Channel
from motcua.dossiers.operations import perform
from motcua.dossiers.permissions import get_dossier_for
from motcua.dossiers.preconditions import Expected
from motcua.organisations.models import Agency

from .auth import STAFF_AUTH
from .dossiers import dossier_detail
from .schemas.dossiers import DossierDetail, Moment
from .schemas.responses import STEP_ACTION, answers

router = Router(tags=["dossier processing"], auth=STAFF_AUTH)
TEXT = 4000


class PreconditionIn(Schema):
    """What the action was prepared against (dossiers.preconditions): refused with 409
    `stale_action` when the dossier has changed since. The actions on the step in progress
    (assign, complete-step, approve, send-back, consult) need one of the two (else 428
    `precondition_required`), so that a repeated request cannot act on the next step."""

    expected_version: int | None = Field(
        None, ge=1, description="The dossier's `version` as you read it"
    )
    step: int | None = Field(None, ge=1, description="The `id` of the step in progress")


class NoteIn(PreconditionIn):
    note: str = Field("", max_length=TEXT)


class ReasonIn(PreconditionIn):
    reason: str = Field(..., max_length=TEXT)


class AssignIn(NoteIn):
    assignee: str = Field(..., max_length=150, description="Username of the officer")
    delegated_from: str | None = Field(None, max_length=150)


class SendBackIn(ReasonIn):
    to_order: int = Field(..., ge=1)


class ConsultIn(PreconditionIn):
    to_agency: str = Field(..., max_length=35)
    content: str = Field(..., max_length=TEXT)
    deadline_days: Decimal = Field(
        ...,
        gt=0,
        le=60,
        multiple_of=Decimal("0.5"),
        description="Working days to answer, in whole or half days",
    )


class AnswerIn(PreconditionIn):
    consultation: int = Field(..., ge=1, description="The `id` of the consultation answered")
    answer: str = Field(..., max_length=TEXT)


class SupplementIn(ReasonIn):
    items: list[str] = Field(..., min_length=1, max_length=100)


class PaymentIn(PreconditionIn):
    description: str = Field(..., max_length=TEXT)
    amount: Decimal | None = Field(None, ge=0, max_digits=14, decimal_places=0)


class ApologyIn(ReasonIn):
    new_due_at: Moment
    responsible_agency: str | None = Field(None, max_length=35)


class ReturnIn(PreconditionIn):
    method: Channel
    collected_by_name: str = Field("", max_length=255)
    collected_by_id_number: str = Field("", max_length=20)


# API path -> (operation name, body schema). Paths are the public contract (README).
ENDPOINTS = [
    ("hand-over", "hand-over", NoteIn),
    ("assign", "assign", AssignIn),
    ("complete-step", "complete", NoteIn),
    ("approve", "approve", NoteIn),
    ("send-back", "send-back", SendBackIn),
    ("consult", "consult", ConsultIn),
    ("answer-consultation", "answer-consultation", AnswerIn),
    ("supplement", "request-supplement", SupplementIn),
    ("supplement-received", "receive-supplement", NoteIn),
    ("payment", "require-payment", PaymentIn),
    ("payment-confirmed", "confirm-payment", NoteIn),
    ("apology", "apologise", ApologyIn),
    ("result-ready", "result-ready", NoteIn),
    ("refuse-after-appraisal", "refuse", ReasonIn),
    ("return", "return", ReturnIn),
    ("withdraw", "withdraw", ReasonIn),
    ("stop", "stop", ReasonIn),
]
USERS = ("assignee", "delegated_from")
AGENCIES = ("to_agency", "responsible_agency")


def _values(body: Schema) -> dict:
    """The body with usernames and agency codes resolved to objects (404 when unknown),
    without the precondition."""
    values = body.dict(exclude={"expected_version", "step"})
    for key in USERS:
        if values.get(key):
            values[key] = get_object_or_404(get_user_model(), username=values[key], is_active=True)
    for key in AGENCIES:
        if values.get(key):
            values[key] = get_object_or_404(Agency, code=values[key])
    return values


def _endpoint(path: str, operation: str, schema: type[Schema]) -> None:
    def handler(request: HttpRequest, code: str, body: schema):  # type: ignore[valid-type]
        dossier = get_dossier_for(request.auth, code)
        expected = Expected(version=body.expected_version, step=body.step)
        perform(operation, dossier, actor=request.auth, values=_values(body), expected=expected)
        return dossier_detail(dossier.code, request.auth)

    handler.__name__ = path.replace("-", "_")
    router.post(
        f"/{{code}}/{path}",
        response=answers(DossierDetail, STEP_ACTION),
        summary=path.replace("-", " ").capitalize(),
        operation_id=f"dossier_{handler.__name__}",
    )(handler)


for _path, _operation, _schema in ENDPOINTS:
    _endpoint(_path, _operation, _schema)
