"""Processing actions on a dossier, printing its forms, and the staff member's work queues.
Each view: access check → form → one service → redirect (style.md)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from motcua.documents import pdf
from motcua.documents.errors import DocumentError
from motcua.dossiers import policy, queues
from motcua.dossiers.errors import DossierError
from motcua.dossiers.models import Dossier, DossierStep
from motcua.dossiers.operations import OPERATIONS, perform
from motcua.dossiers.permissions import get_dossier_for
from motcua.dossiers.timeleft import describe_time_left
from motcua.workdays.calendar import WorkCalendar
from motcua.workdays.loader import get_calendar

from .actions import FORMS
from .dossier_views import dossier_page

PRINTABLE = {
    "01": pdf.receipt_pdf,
    "02": pdf.supplement_slip_pdf,
    "03": pdf.refusal_slip_pdf,
    "04": pdf.apology_pdf,
    "05": pdf.control_slip_pdf,
}
# The most urgent rows of each queue (each is ordered by urgency). With a province's history a
# queue can hold thousands; rendering 100 rows of nine queues took most of the page's time
# with a million dossiers (bench_pages, decision 0010), and nobody works down 900 rows.
QUEUE_LIMIT = 20


@login_required
@require_POST
def act(request, code: str, action: str):
    form_class = FORMS.get(action)
    if form_class is None:
        raise Http404
    dossier = get_dossier_for(request.user, code)
    form = form_class(request.POST, dossier=dossier, prefix=action)
    if not form.is_valid():
        errors = "; ".join(
            f"{form.fields[k].label if k in form.fields else ''} {' '.join(v)}"
            for k, v in form.errors.items()
        )
        messages.error(request, _("Not done: %(errors)s") % {"errors": errors.strip()})
        return redirect("backoffice:dossier", code=code)
    try:
        perform(action, dossier, actor=request.user, values=form.values(), expected=form.expected())
    except DossierError as error:
        messages.error(request, _("Not done: %(reason)s") % {"reason": error.message})
        return _refused(request, code, action, error.status)
    messages.success(request, _("Done: %(action)s.") % {"action": OPERATIONS[action].label})
    return redirect("backoffice:dossier", code=code)


def _refused(request, code: str, action: str, status: int):
    """The dossier page as it is now, with what the user typed kept in the refused action's
    form. The form carries the current version: sending it again is a new decision, taken
    after seeing the page."""
    dossier = get_dossier_for(request.user, code)
    data = request.POST.copy()
    data[f"{action}-version"] = str(dossier.version)
    form = FORMS[action](data, dossier=dossier, prefix=action)
    return dossier_page(request, dossier, bound={action: form}, status=status)


@login_required
def print_form(request, code: str, form: str):
    render_pdf = PRINTABLE.get(form)
    if render_pdf is None:
        raise Http404
    dossier = get_dossier_for(request.user, code)
    decision = policy.allowed(request.user, policy.PRINTS[form], dossier)
    if not decision:
        messages.error(request, _("Not done: %(reason)s") % {"reason": decision.reason})
        return dossier_page(request, dossier, status=403)
    try:
        content = render_pdf(dossier)
    except DocumentError as error:
        messages.error(request, error.message)
        return redirect("backoffice:dossier", code=code)
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{code}-mau-{form}.pdf"'
    return response


# What the my-work page shows of a queue's rows (my_work.html): only these are read.
SHOWN = {
    DossierStep: (("dossier__procedure",), ("order", "name", "due_at", "dossier__code",
                  "dossier__applicant_name", "dossier__procedure__name")),
    Dossier: (("procedure",), ("code", "applicant_name", "due_at", "procedure__name")),
}  # fmt: skip


def _rows(items, calendar: WorkCalendar, *, due=lambda item: item.due_at):
    """(item, time left in words, overdue?) for a queue page; the calendar read once per
    request, not once per row."""
    related, columns = SHOWN[items.model]
    items = items.select_related(None).select_related(*related).only(*columns)
    now = timezone.now()
    rows = []
    for item in items[:QUEUE_LIMIT]:
        moment = due(item)
        left = describe_time_left(moment, now, calendar)
        rows.append((item, left, moment is not None and moment < now))
    return rows


@login_required
def my_work(request):
    user, calendar = request.user, get_calendar()
    step_due = lambda step: step.due_at  # noqa: E731
    sections = [
        (_("Online dossiers to receive"), "dossier", _rows(queues.to_receive(user), calendar)),
        (_("To hand over for processing"), "dossier", _rows(queues.to_hand_over(user), calendar)),
        (_("Steps to assign"), "step", _rows(queues.to_assign(user), calendar, due=step_due)),
        (_("My steps to process"), "step", _rows(queues.to_process(user), calendar, due=step_due)),
        (_("To approve and sign"), "step", _rows(queues.to_approve(user), calendar, due=step_due)),
        (_("Results to return"), "dossier", _rows(queues.results_to_return(user), calendar)),
        (_("Due within 24 working hours"), "dossier", _rows(queues.due_within_24h(user), calendar)),
        (_("Overdue"), "dossier", _rows(queues.overdue(user), calendar)),
        (
            _("Waiting for the applicant"),
            "dossier",
            _rows(queues.waiting_for_citizen(user), calendar),
        ),
    ]
    return render(request, "backoffice/my_work.html", {"sections": sections})
