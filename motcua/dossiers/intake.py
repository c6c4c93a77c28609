"""Reception of dossiers (tiếp nhận): Decree 61/2018 arts. 16-17, Circular 01/2018 art. 19.

Three outcomes at the counter, each with its legal form: complete -> receipt and appointment
(Mẫu 01), incomplete -> supplement guidance (Mẫu 02), refused -> refusal (Mẫu 03). Online
dossiers arrive in status 1 and a clerk receives or refuses them. Every dossier gets its code
on creation, so that whatever the citizen was handed can be looked up.
"""

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import prefetch_related_objects
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.catalogue.models import Channel, Component, Procedure, ProcedureVersion, ProcessStep
from motcua.organisations.models import Agency, Department, ReceptionPoint
from motcua.workdays.loader import get_calendar

from . import policy
from .applicants import Applicant, clean_applicant
from .codes import assign_code, provisional_code
from .errors import DossierError
from .events import record
from .models import Dossier, DossierComponent, DossierStep
from .policy import Operation
from .routing import resolve_competent_agency
from .status import Action, Status, transition

PAPER_CHANNELS = {Channel.IN_PERSON, Channel.POSTAL}


@dataclass(frozen=True)
class HandedIn:
    """One document handed in, against a checklist item (component_id) or extra."""

    component_id: int | None
    name: str = ""
    originals: int = 0
    certified_copies: int = 0
    copies: int = 0
    is_digitised: bool = False


@dataclass(frozen=True)
class Missing:
    """A document to add or correct, with the reason (Mẫu 02 lists them all, once)."""

    component_id: int | None
    name: str
    reason: str


@dataclass
class Intake:
    """What the clerk entered at the counter."""

    procedure: Procedure
    agency: Agency
    applicant: Applicant
    channel: str = Channel.IN_PERSON
    handed_in: list[HandedIn] = field(default_factory=list)
    subject: str = ""
    sets: int = 1
    reception_point: ReceptionPoint | None = None
    competent_agency: Agency | None = None
    # Filed online (filing.services): the e-form's answers, validated against the version's
    # schema before they come here, and how the applicant asked to receive the result.
    form_data: dict = field(default_factory=dict)
    result_delivery: str = ""
    delivery_address: str = ""
    filed_by: Any = None  # the portal account's user


def _published_version(procedure: Procedure) -> ProcedureVersion:
    version = procedure.current_version
    if version is None or version.status != ProcedureVersion.Status.PUBLISHED:
        raise DossierError("procedure_not_published", _("This procedure is not published."))
    return version


# The permission policy's operation for each way a dossier arrives (policy.py).
INTAKE_OPERATIONS = {
    Action.SUBMIT_ONLINE: Operation.SUBMIT_ONLINE,
    Action.RECEIVE: Operation.RECEIVE,
    Action.REQUEST_SUPPLEMENT_AT_RECEPTION: Operation.GUIDE_SUPPLEMENT,
    Action.REFUSE_AT_RECEPTION: Operation.REFUSE_AT_RECEPTION,
}


def check_can_receive(actor, agency: Agency, action: Action = Action.RECEIVE) -> None:
    """403 unless the permission policy lets `actor` do `action` at the receiving `agency`."""
    policy.check(actor, INTAKE_OPERATIONS[action], Dossier(receiving_agency=agency))


def _components(dossier: Dossier, version: ProcedureVersion, items: list[HandedIn]) -> None:
    if not items:
        return
    checklist = {c.pk: c for c in version.documents()}
    rows = []
    for item in items:
        if item.component_id is not None and item.component_id not in checklist:
            raise DossierError(
                "unknown_component", _("A document is not on this procedure's checklist.")
            )
        if min(item.originals, item.certified_copies, item.copies) < 0:
            raise DossierError("invalid_count", _("Counts of documents cannot be negative."))
        name = item.name or checklist[item.component_id].name if item.component_id else item.name
        if not name.strip():
            raise DossierError("component_name_required", _("Name every extra document."))
        rows.append(
            DossierComponent(
                dossier=dossier,
                component_id=item.component_id,
                name=name,
                originals=item.originals,
                certified_copies=item.certified_copies,
                copies=item.copies,
                is_digitised=item.is_digitised,
            )
        )
    DossierComponent.objects.bulk_create(rows)


def missing_mandatory(
    version: ProcedureVersion, items: list[HandedIn], channel: str = Channel.IN_PERSON
) -> list[Component]:
    """The version's documents required for a dossier filed through `channel`
    (Component.required_for: the paper form at the counter, the e-form online) not among
    those handed in (or attached, digitised)."""
    given = {
        i.component_id
        for i in items
        if i.is_digitised or i.originals + i.certified_copies + i.copies > 0
    }
    return [c for c in version.documents() if c.required_for(channel) and c.pk not in given]


def sent_documents(dossier: Dossier) -> list[HandedIn]:
    """What an online dossier holds against its checklist, as HandedIn items: a document with
    a file attached to it counts as digitised."""
    attached = set(
        dossier.attachments.filter(component__isnull=False).values_list("component_id", flat=True)
    )
    return [
        HandedIn(
            c.component_id,
            originals=c.originals,
            certified_copies=c.certified_copies,
            copies=c.copies,
            is_digitised=c.is_digitised or c.pk in attached,
        )
        for c in dossier.components.all()
    ]


def check_complete(
    version: ProcedureVersion, items: list[HandedIn], channel: str = Channel.IN_PERSON
) -> None:
    """A dossier is received only complete: every mandatory document handed in. Otherwise the
    clerk guides the applicant to supplement (Mẫu 02) or refuses (Mẫu 03)."""
    missing = missing_mandatory(version, items, channel)
    if missing:
        raise DossierError(
            "incomplete",
            _(
                "The dossier is incomplete; missing: %(names)s. Guide the applicant to "
                "supplement it or refuse it."
            )
            % {"names": "; ".join(c.name[:120] for c in missing)},
        )


def _templates(version: ProcedureVersion) -> list[ProcessStep]:
    """The version's process steps, each with its department's agency and code (one read)."""
    steps = ProcessStep.objects.filter(version_id=version.pk).order_by("order", "id")
    columns = (*_TEMPLATE_COLUMNS, "department__agency", "department__code")
    return list(steps.select_related("department").only(*columns))


_TEMPLATE_COLUMNS = tuple(f.name for f in ProcessStep._meta.concrete_fields)


def _plan_steps(dossier: Dossier, version: ProcedureVersion) -> list[DossierStep]:
    """Copy the pinned process template; steps without an agency belong to the competent
    agency (Circular 01/2018 art. 8: the approved internal process), and so does their
    department (`_local_department`). The dossier's processing department, used by the
    statistics, is the department of the first step at the competent agency that names one.
    Sets `dossier.department_id`; the steps are saved by `_save_steps`."""
    templates = _templates(version)
    local = _local_departments(dossier.competent_agency_id, templates)
    steps = [
        DossierStep(
            order=step.order,
            name=step.name,
            role=step.role,
            agency_id=step.agency_id or dossier.competent_agency_id,
            department_id=_local_department(step, dossier.competent_agency_id, local),
            budget_hours=step.budget_hours,
        )
        for step in templates
    ]
    dossier.department_id = next(
        (
            s.department_id
            for s in steps
            if s.department_id and s.agency_id == dossier.competent_agency_id
        ),
        None,
    )
    return steps


def _save_steps(dossier: Dossier, steps: list[DossierStep]) -> None:
    """One INSERT for all the steps."""
    for step in steps:
        step.dossier = dossier
    DossierStep.objects.bulk_create(steps)


def _foreign(step: ProcessStep, competent_id: int) -> bool:
    return (
        step.agency_id is None
        and step.department is not None
        and step.department.agency_id != competent_id
    )


def _local_departments(competent_id: int, templates: list[ProcessStep]) -> dict[str, int]:
    codes = {step.department.code for step in templates if _foreign(step, competent_id)}
    if not codes:
        return {}
    found = Department.objects.filter(agency_id=competent_id, code__in=codes)
    return dict(found.values_list("code", "id"))


def _local_department(step: ProcessStep, competent_id: int, local: dict[str, int]) -> int | None:
    """A step without an agency names its department by example: one internal process is
    approved for all the communes (or all the agencies) that carry out a procedure, and
    their departments are alike (Decree 150/2025: every commune has its Văn phòng HĐND và
    UBND, economic and culture-society departments). So the step goes to the competent
    agency's department with the same code, or to no department when it has none."""
    if not _foreign(step, competent_id):
        return step.department_id
    assert step.department is not None
    return local.get(step.department.code)


def _create(
    intake: Intake, *, actor, action: Action, now: datetime, receive: bool = False
) -> Dossier:
    """Validate and save the new dossier with its code and components; with `receive`, also
    its appointment and its steps (one insert of the dossier either way)."""
    if action != Action.SUBMIT_ONLINE:  # submit_online checks who relays it
        check_can_receive(actor, intake.agency, action)
    version = _published_version(intake.procedure)
    if intake.channel not in Channel.values:
        raise DossierError("invalid_channel", _("Unknown channel."))
    if intake.sets < 1:
        raise DossierError("invalid_sets", _("A dossier has at least one set."))
    if intake.result_delivery and intake.result_delivery not in Channel.values:
        raise DossierError("invalid_delivery", _("Unknown way of receiving the result."))
    if intake.result_delivery == Channel.POSTAL and not intake.delivery_address.strip():
        raise DossierError(
            "delivery_address_required", _("Give the address the result is to be posted to.")
        )
    applicant = clean_applicant(intake.applicant)
    competent = resolve_competent_agency(version, intake.agency, intake.competent_agency)
    dossier = Dossier(
        code=provisional_code(),  # the day's number is taken last (codes.assign_code)
        procedure=intake.procedure,
        procedure_version=version,
        receiving_agency=intake.agency,
        competent_agency=competent,
        reception_point=intake.reception_point,
        channel=intake.channel,
        status=transition(None, action),
        applicant_type=applicant.type,
        applicant_name=applicant.name,
        applicant_id_type=applicant.id_type,
        applicant_id_number=applicant.id_number,
        applicant_phone=applicant.phone,
        applicant_email=applicant.email,
        applicant_address=applicant.address,
        subject=intake.subject.strip() or version.name[:500],
        sets=intake.sets,
        received_by=actor if getattr(actor, "pk", None) else None,
        form_data=intake.form_data,
        result_delivery=intake.result_delivery,
        delivery_address=intake.delivery_address.strip(),
        filed_by=intake.filed_by,
    )
    steps = []
    if receive:
        _start_clock(dossier, now)
        steps = _plan_steps(dossier, version)
    dossier.save()
    _save_steps(dossier, steps)
    prefetch_related_objects([version], "components")  # one read for both
    _components(dossier, version, intake.handed_in)
    if receive:
        check_complete(version, intake.handed_in, intake.channel)
    return dossier


def _start_clock(dossier: Dossier, now: datetime) -> None:
    """Appointment = time limit counted from receipt (Civil Code 2015 arts. 147-148), paper
    received after the cut-off counting from the next working day (Decree 61/2018 art. 18);
    online dossiers count from the moment they are received, or, under the deployment's
    policy MOTCUA_ONLINE_CLOCK = "submitted", from the first working moment after their
    submission (online_clock_start)."""
    version = dossier.procedure_version
    calendar = get_calendar()
    paper = dossier.channel in PAPER_CHANNELS
    dossier.received_at = now
    start = calendar.effective_receipt(now) if paper else online_clock_start(dossier, now)
    dossier.clock_start_at = start
    if version.time_limit_value is not None:
        dossier.due_at = calendar.due_moment(
            now if paper else start,
            version.time_limit_value,
            version.time_limit_unit,
            apply_cutoff=paper,
        )
    dossier.original_due_at = dossier.due_at


def online_clock_start(dossier: Dossier, received: datetime) -> datetime:
    """When an online dossier's time limit starts: at its reception, or (policy
    "submitted") at the first working moment after it was submitted."""
    if settings.MOTCUA_ONLINE_CLOCK == "submitted" and dossier.submitted_at is not None:
        return min(get_calendar().next_working_moment(dossier.submitted_at), received)
    return received


@transaction.atomic
def receive_dossier(intake: Intake, *, actor) -> Dossier:
    """Receive a complete dossier at the counter or by post (Decree 61/2018 art. 17.1.c):
    code, appointment and Mẫu 01."""
    now = timezone.now()
    dossier = _create(intake, actor=actor, action=Action.RECEIVE, now=now, receive=True)
    record(dossier, Action.RECEIVE, actor=actor, from_status=None, due_at=dossier.due_at)
    assign_code(dossier, now)
    return dossier


@transaction.atomic
def request_supplement_at_reception(intake: Intake, *, actor, missing: list[Missing]) -> Dossier:
    """Incomplete dossier: guide the applicant once, completely (Decree 61/2018 arts. 15.2,
    17.1.a; Mẫu 02). The dossier is not received; the clock has not started."""
    if not missing or any(not m.reason.strip() or not m.name.strip() for m in missing):
        raise DossierError(
            "missing_items_required",
            _("List every missing document with the reason, all at once."),
        )
    now = timezone.now()
    dossier = _create(intake, actor=actor, action=Action.REQUEST_SUPPLEMENT_AT_RECEPTION, now=now)
    items = [{"component_id": m.component_id, "name": m.name, "reason": m.reason} for m in missing]
    record(
        dossier,
        Action.REQUEST_SUPPLEMENT_AT_RECEPTION,
        actor=actor,
        from_status=None,
        missing=items,
    )
    assign_code(dossier, now)
    return dossier


@transaction.atomic
def refuse_at_reception(intake: Intake, *, actor, reasons: str) -> Dossier:
    """Refuse to receive, with written reasons (Decree 61/2018 art. 17.1.b; Mẫu 03)."""
    if not reasons.strip():
        raise DossierError("reasons_required", _("Give the reasons for refusing."))
    now = timezone.now()
    dossier = _create(intake, actor=actor, action=Action.REFUSE_AT_RECEPTION, now=now)
    dossier.finished_at = now
    dossier.save(update_fields=["finished_at"])
    record(dossier, Action.REFUSE_AT_RECEPTION, actor=actor, from_status=None, note=reasons.strip())
    assign_code(dossier, now)
    return dossier


@transaction.atomic
def submit_online(intake: Intake, *, submitted_by=None) -> Dossier:
    """An online submission waiting for a clerk (status 1, Decree 61/2018 art. 17.2)."""
    intake.channel = Channel.ONLINE
    check_can_receive(submitted_by, intake.agency, Action.SUBMIT_ONLINE)
    now = timezone.now()
    dossier = _create(intake, actor=None, action=Action.SUBMIT_ONLINE, now=now)
    dossier.submitted_at = now
    dossier.save(update_fields=["submitted_at"])
    record(dossier, Action.SUBMIT_ONLINE, actor=submitted_by, from_status=None)
    assign_code(dossier, now)
    return dossier


@transaction.atomic
def receive_submitted(dossier: Dossier, *, actor) -> Dossier:
    """A clerk receives an online dossier (1 -> 2) or an incomplete one now completed
    (5 at reception -> 2); the clock starts now. An online dossier is received only complete,
    as at the counter: every mandatory document sent (with a count, or digitised, or with a
    file attached to it); otherwise the clerk asks for a supplement or refuses (Decree
    61/2018 art. 17.2). A paper dossier completed at reception was checked by the clerk who
    received the papers; an online one is checked again with what its supplement sent."""
    dossier = Dossier.objects.select_for_update().get(pk=dossier.pk)
    check_can_receive(actor, dossier.receiving_agency)
    if dossier.received_at is not None:
        raise DossierError("already_received", _("This dossier has already been received."))
    if dossier.status == Status.SUBMITTED or dossier.channel == Channel.ONLINE:
        # Online, what was sent is all there is (the first time or with its supplement).
        check_complete(dossier.procedure_version, sent_documents(dossier), dossier.channel)
    previous = dossier.status
    dossier.status = transition(previous, Action.RECEIVE)
    dossier.received_by = actor
    now = timezone.now()
    _start_clock(dossier, now)
    steps = _plan_steps(dossier, dossier.procedure_version)
    dossier.save(
        update_fields=[
            "status",
            "received_by",
            "received_at",
            "clock_start_at",
            "due_at",
            "original_due_at",
            "updated_at",
            "department",
        ]
    )
    _save_steps(dossier, steps)
    record(dossier, Action.RECEIVE, actor=actor, from_status=previous, due_at=dossier.due_at)
    return dossier


@transaction.atomic
def refuse_submitted(dossier: Dossier, *, actor, reasons: str) -> Dossier:
    """Refuse an online dossier, notifying the reasons once (Decree 61/2018 art. 17.2)."""
    if not reasons.strip():
        raise DossierError("reasons_required", _("Give the reasons for refusing."))
    dossier = Dossier.objects.select_for_update().get(pk=dossier.pk)
    check_can_receive(actor, dossier.receiving_agency, Action.REFUSE_AT_RECEPTION)
    previous = dossier.status
    dossier.status = transition(previous, Action.REFUSE_AT_RECEPTION)
    dossier.finished_at = timezone.now()
    dossier.save(update_fields=["status", "finished_at", "updated_at"])
    record(
        dossier, Action.REFUSE_AT_RECEPTION, actor=actor, from_status=previous, note=reasons.strip()
    )
    return dossier


@transaction.atomic
def request_supplement_submitted(dossier: Dossier, *, actor, missing: list[Missing]) -> Dossier:
    """An incomplete online dossier: tell the applicant once, with full instructions, what to
    complete (Decree 61/2018 art. 17.2). The clock has not started."""
    if not missing or any(not m.reason.strip() or not m.name.strip() for m in missing):
        raise DossierError(
            "missing_items_required",
            _("List every missing document with the reason, all at once."),
        )
    dossier = Dossier.objects.select_for_update().get(pk=dossier.pk)
    check_can_receive(actor, dossier.receiving_agency, Action.REQUEST_SUPPLEMENT_AT_RECEPTION)
    previous = dossier.status
    dossier.status = transition(previous, Action.REQUEST_SUPPLEMENT_AT_RECEPTION)
    dossier.save(update_fields=["status", "updated_at"])
    items = [{"component_id": m.component_id, "name": m.name, "reason": m.reason} for m in missing]
    record(
        dossier,
        Action.REQUEST_SUPPLEMENT_AT_RECEPTION,
        actor=actor,
        from_status=previous,
        missing=items,
    )
    return dossier
