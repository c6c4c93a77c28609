"""Staff dossier API: the same services as the back-office pages (style.md principle 1).

Every endpoint needs a staff token or session (api/auth.py); every dossier fetch goes
through dossiers.permissions (404 outside the caller's agencies); every change is a service
that checks the caller's role in the agency and writes its event.
"""

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Query, Router

from motcua.catalogue.models import Channel, Procedure
from motcua.dossiers import intake as services
from motcua.dossiers import policy
from motcua.dossiers.applicants import Applicant
from motcua.dossiers.models import Dossier
from motcua.dossiers.permissions import dossiers_for, get_dossier_for
from motcua.dossiers.status import Status
from motcua.organisations.models import Agency

from .auth import STAFF_AUTH
from .idempotency import IdempotencyKey, created
from .schemas.dossiers import (
    CounterIntakeIn,
    DossierDetail,
    DossierPage,
    IntakeIn,
    MissingListIn,
    ReasonsIn,
)
from .schemas.naming import renamed
from .schemas.paging import PageFilters, page_of
from .schemas.responses import STAFF_READ, STAFF_WRITE, answers

router = Router(tags=["dossiers"], auth=STAFF_AUTH)


DossierStatus = renamed(Status, "DossierStatus")


class DossierFilters(PageFilters):
    status: DossierStatus | None = None


# The policy's operations that have an endpoint of their own under /dossiers/{code}/.
INTAKE_ACTIONS = {
    policy.Operation.RECEIVE: "receive",
    policy.Operation.REFUSE_AT_RECEPTION: "refuse",
    policy.Operation.GUIDE_SUPPLEMENT: "request-supplement",
    policy.Operation.ATTACH: "attachments",
}


def available_actions(user, dossier: Dossier) -> list[str]:
    """The action paths `user` may POST for `dossier` now, in the policy's order."""
    from .dossier_actions import ENDPOINTS  # that module builds on this one

    paths = {**INTAKE_ACTIONS, **{policy.Operation(op): path for path, op, _ in ENDPOINTS}}
    available = policy.available_operations(user, dossier)
    return [paths[op] for op in policy.Operation if op in paths and op in available]


def dossier_detail(code: str, user) -> Dossier:
    dossier = get_dossier_for(user, code)
    dossier.components_list = list(dossier.components.all())
    dossier.steps_list = list(dossier.steps.select_related("agency"))
    dossier.events_list = list(dossier.events.select_related("actor"))
    dossier.available_actions_list = available_actions(user, dossier)
    return dossier


def _intake(body: IntakeIn, channel: str) -> services.Intake:
    procedure = get_object_or_404(Procedure.objects.published(), code=body.procedure)
    agency = get_object_or_404(Agency, code=body.agency)
    competent = (
        get_object_or_404(Agency, code=body.competent_agency) if body.competent_agency else None
    )
    applicant = Applicant(
        body.applicant.type,
        body.applicant.name,
        body.applicant.id_number,
        body.applicant.phone,
        body.applicant.email,
        body.applicant.address,
        body.applicant.id_type or "",
    )
    handed_in = [
        services.HandedIn(
            h.component_id, h.name, h.originals, h.certified_copies, h.copies, h.digitised
        )
        for h in body.handed_in
    ]
    return services.Intake(
        procedure=procedure,
        agency=agency,
        applicant=applicant,
        channel=channel,
        handed_in=handed_in,
        subject=body.subject,
        sets=body.sets,
        competent_agency=competent,
    )


def _missing(items) -> list[services.Missing]:
    return [services.Missing(m.component_id, m.name, m.reason) for m in items]


@router.get("", response=answers(DossierPage, (401, 422)), summary="Dossiers the caller may see")
def list_dossiers(request: HttpRequest, filters: Query[DossierFilters]) -> dict:
    dossiers = (
        dossiers_for(request.auth)
        .select_related("procedure", "procedure_version", "receiving_agency", "competent_agency")
        .order_by("-created_at", "-id")
    )
    if filters.status is not None:
        dossiers = dossiers.filter(status=filters.status)
    return page_of(dossiers, filters)


@router.post(
    "/online",
    response=answers(DossierDetail, STAFF_WRITE, status=201),
    summary="An online submission",
)
def submit_online(request: HttpRequest, body: IntakeIn, idempotency_key: IdempotencyKey = None):
    """A dossier filed online (status 1), e.g. relayed from the public service portal by an
    integration account holding the receiving role at the agency. With `Idempotency-Key`,
    a retry answers the first result (`Idempotent-Replayed: true`) instead of a second
    dossier."""
    intake = _intake(body, Channel.ONLINE)  # submit_online checks the caller (policy.py)
    return created(
        request,
        idempotency_key,
        lambda: services.submit_online(intake, submitted_by=request.auth),
        render=lambda dossier: dossier_detail(dossier.code, request.auth),
        schema=DossierDetail,
    )


@router.get(
    "/{code}",
    response=answers(DossierDetail, STAFF_READ),
    summary="One dossier with steps and history",
)
def get_dossier(request: HttpRequest, code: str) -> Dossier:
    return dossier_detail(code, request.auth)


@router.post(
    "",
    response=answers(DossierDetail, STAFF_WRITE, status=201),
    summary="Receive at the counter or by post",
)
def receive_at_counter(
    request: HttpRequest, body: CounterIntakeIn, idempotency_key: IdempotencyKey = None
):
    """Complete → received with an appointment (Mẫu 01); `supplement` → guidance listing
    `missing` (Mẫu 02); `refuse` → refusal with `refusal_reasons` (Mẫu 03). With
    `Idempotency-Key`, a retry answers the first result (`Idempotent-Replayed: true`)
    instead of a second dossier under a new code."""
    intake = _intake(body, body.channel)

    def create() -> Dossier:
        if body.outcome == "supplement":
            return services.request_supplement_at_reception(
                intake, actor=request.auth, missing=_missing(body.missing)
            )
        if body.outcome == "refuse":
            return services.refuse_at_reception(
                intake, actor=request.auth, reasons=body.refusal_reasons
            )
        return services.receive_dossier(intake, actor=request.auth)

    return created(
        request,
        idempotency_key,
        create,
        render=lambda dossier: dossier_detail(dossier.code, request.auth),
        schema=DossierDetail,
    )


@router.post(
    "/{code}/receive",
    response=answers(DossierDetail, STAFF_WRITE),
    summary="Receive an online dossier",
)
def receive_submitted(request: HttpRequest, code: str) -> Dossier:
    dossier = services.receive_submitted(get_dossier_for(request.auth, code), actor=request.auth)
    return dossier_detail(dossier.code, request.auth)


@router.post(
    "/{code}/refuse",
    response=answers(DossierDetail, STAFF_WRITE),
    summary="Refuse an online dossier",
)
def refuse_submitted(request: HttpRequest, code: str, body: ReasonsIn) -> Dossier:
    dossier = services.refuse_submitted(
        get_dossier_for(request.auth, code), actor=request.auth, reasons=body.reasons
    )
    return dossier_detail(dossier.code, request.auth)


@router.post(
    "/{code}/request-supplement",
    response=answers(DossierDetail, STAFF_WRITE),
    summary="Ask the online applicant to complete the dossier",
)
def request_supplement_submitted(request: HttpRequest, code: str, body: MissingListIn) -> Dossier:
    dossier = services.request_supplement_submitted(
        get_dossier_for(request.auth, code), actor=request.auth, missing=_missing(body.missing)
    )
    return dossier_detail(dossier.code, request.auth)
