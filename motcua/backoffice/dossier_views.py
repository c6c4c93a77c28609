from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from motcua.catalogue import eforms
from motcua.documents import pdf
from motcua.dossiers import online, policy
from motcua.dossiers.models import Consultation, Dossier, DossierEvent
from motcua.dossiers.permissions import dossiers_for, get_dossier_for
from motcua.dossiers.status import OPEN, Action, Status
from motcua.dossiers.timeleft import StepTiming, describe_time_left, step_timings
from motcua.registry import reuse

from .actions import offered
from .attachment_views import AttachmentForm

RECENT = 50


@login_required
def home(request):
    recent = (
        dossiers_for(request.user)
        .select_related("procedure", "receiving_agency", "competent_agency")
        .order_by("-created_at")[:RECENT]
    )
    return render(request, "backoffice/home.html", {"dossiers": recent})


@login_required
def dossier(request, code: str):
    return dossier_page(request, get_dossier_for(request.user, code))


def _with_handlers(timings: list[StepTiming], events: list[DossierEvent]) -> list[tuple]:
    """(timing, who handled the step): its assignee, or whoever completed it without being
    assigned (a leader signs an unassigned step), read from the events already loaded."""
    completed_by = {
        e.step_id: e.actor for e in events if e.action == Action.COMPLETE_STEP and e.actor
    }
    return [(t, t.step.assignee or completed_by.get(t.step.pk)) for t in timings]


def consultation_rows(dossier: Dossier) -> list[Consultation]:
    """The dossier's consultations with who asked and answered, and the answer's files."""
    return list(
        dossier.consultations.select_related("to_agency", "requested_by", "answered_by")
        .prefetch_related("attachments")
        .order_by("requested_at", "pk")
    )


def dossier_page(request, found, *, bound: dict | None = None, status: int = 200):
    """The dossier page; `bound` holds the form of an action that was refused, as typed, so
    that the user does not lose it (it opens on the page). Only the actions and printed
    forms the user may use are shown (policy.available_operations: a bounded number of
    reads, not one per button)."""
    available = policy.available_operations(request.user, found)
    events = list(found.events.select_related("actor", "step"))
    made = set(pdf.printable({event.action for event in events}))
    prints = [
        (number, op) for number, op in policy.PRINTS.items() if op in available and number in made
    ]
    context = {
        "dossier": found,
        "components": _components(found, policy.Operation.ATTACH in available),
        "events": events,
        "actions": offered(found, available, bound),
        "prints": prints,
        "refused_action": next(iter(bound or {}), None),
        # `signed`: a result's signed version (signing app), shown beside the file.
        # `signature_check`: what an uploaded PDF's own signatures said on receipt.
        "attachments": found.attachments.select_related(
            "component", "uploaded_by", "signed", "signature_check"
        ),
        "attachment_form": AttachmentForm(dossier=found),
        "can_attach": policy.Operation.ATTACH in available,
        "time_left": describe_time_left(found.due_at) if found.status in OPEN else "",
        "timings": _with_handlers(step_timings(found), events),
        "consultations": consultation_rows(found),
        **_from_the_applicant(found, events),
    }
    return render(request, "backoffice/dossier.html", context, status=status)


def _components(found: Dossier, can_attach: bool) -> list:
    """The handed-in documents, each with the applicant's registered documents that can stand
    for its paper (`reusable`, registry.reuse) when the user may attach files."""
    components = list(found.components.all())
    offers = reuse.offers(found, components) if can_attach else {}
    for component in components:
        component.reusable = offers.get(component.pk, [])  # type: ignore[attr-defined]
    return components


def _from_the_applicant(found: Dossier, events: list[DossierEvent]) -> dict:
    """What the applicant sent online (dossiers.online), shown where the clerk acts on it:
    the e-form's answers, their replies to the open supplement request with the files
    highlighted, and a withdrawal they asked for."""
    asked = next((e for e in reversed(events) if e.action in online.SUPPLEMENT_REQUESTS), None)
    replies = [
        online.describe(e)
        for e in events
        if e.action == Action.SEND_SUPPLEMENT_ONLINE and asked is not None and e.pk > asked.pk
    ]
    withdrawal = None
    if not found.is_closed:
        withdrawal = next((e for e in reversed(events) if e.action == Action.ASK_WITHDRAWAL), None)
    return {
        "form_answers": eforms.display(found.procedure_version.eform, found.form_data),
        "online_replies": replies if found.status == Status.SUPPLEMENT else [],
        "replied_files": {a.pk for r in replies for a in r["attachments"]},
        "withdrawal_asked": withdrawal,
    }
