from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from motcua.dossiers import policy
from motcua.dossiers.permissions import dossiers_for, get_dossier_for
from motcua.dossiers.status import OPEN, Action
from motcua.dossiers.timeleft import describe_time_left, step_timings

from .actions import offered
from .attachment_views import AttachmentForm

RECENT = 50
A = Action
# Which recorded event makes each printed form exist (documents.forms reads it): a link is
# shown only once there is something to print.
PRINTED_AFTER = {
    "01": {A.RECEIVE},
    "02": {A.REQUEST_SUPPLEMENT_AT_RECEPTION, A.REQUEST_SUPPLEMENT},
    "03": {A.REFUSE_AT_RECEPTION},
    "04": {A.APOLOGISE},
    "05": {A.RECEIVE},
}


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


def dossier_page(request, found, *, bound: dict | None = None, status: int = 200):
    """The dossier page; `bound` holds the form of an action that was refused, as typed, so
    that the user does not lose it (it opens on the page). Only the actions and printed
    forms the user may use are shown (policy.available_operations: a bounded number of
    reads, not one per button)."""
    available = policy.available_operations(request.user, found)
    events = list(found.events.select_related("actor", "step"))
    happened = {event.action for event in events}
    prints = [
        (number, op)
        for number, op in policy.PRINTS.items()
        if op in available and PRINTED_AFTER[number] & happened
    ]
    context = {
        "dossier": found,
        "components": found.components.all(),
        "steps": found.steps.select_related("agency", "department", "assignee"),
        "events": events,
        "actions": offered(found, available, bound),
        "prints": prints,
        "refused_action": next(iter(bound or {}), None),
        "attachments": found.attachments.select_related("component", "uploaded_by"),
        "attachment_form": AttachmentForm(dossier=found),
        "can_attach": policy.Operation.ATTACH in available,
        "time_left": describe_time_left(found.due_at) if found.status in OPEN else "",
        "timings": step_timings(found),
    }
    return render(request, "backoffice/dossier.html", context, status=status)
