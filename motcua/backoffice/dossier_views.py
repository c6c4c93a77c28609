from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from motcua.dossiers import policy
from motcua.dossiers.permissions import dossiers_for, get_dossier_for
from motcua.dossiers.status import OPEN
from motcua.dossiers.timeleft import describe_time_left, step_timings

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


def dossier_page(request, found, *, bound: dict | None = None, status: int = 200):
    """The dossier page; `bound` holds the form of an action that was refused, as typed, so
    that the user does not lose it (it opens on the page). Only the actions and printed
    forms the user may use are shown (policy.available_operations: a bounded number of
    reads, not one per button)."""
    available = policy.available_operations(request.user, found)
    prints = [(number, op) for number, op in policy.PRINTS.items() if op in available]
    context = {
        "dossier": found,
        "components": found.components.all(),
        "steps": found.steps.select_related("agency", "department", "assignee"),
        "events": found.events.select_related("actor", "step"),
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
