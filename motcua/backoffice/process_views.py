"""Processing actions on a dossier, printing its forms, and the staff member's work queues.
Each view: access check → form → one service → redirect (style.md)."""

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from motcua.documents import pdf
from motcua.documents.errors import DocumentError
from motcua.documents.qr import served_at
from motcua.dossiers import policy, queues
from motcua.dossiers.errors import DossierError
from motcua.dossiers.models import Consultation, Dossier, DossierStep
from motcua.dossiers.operations import OPERATIONS, perform
from motcua.dossiers.permissions import get_dossier_for
from motcua.dossiers.timeleft import OnTimeRule, describe_time_left, is_overdue
from motcua.workdays.calendar import WorkCalendar
from motcua.workdays.loader import get_calendar

from .actions import FORMS
from .dossier_views import dossier_page

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
    form = form_class(request.POST, request.FILES, dossier=dossier, prefix=action)
    if not form.is_valid():
        # The page again with the form as typed and each message next to its field (a bad
        # date must not cost the reason typed above it).
        errors = "; ".join(
            f"{form.fields[k].label if k in form.fields else ''} {' '.join(v)}"
            for k, v in form.errors.items()
        )
        messages.error(request, _("Not done: %(errors)s") % {"errors": errors.strip()})
        return dossier_page(request, dossier, bound={action: form}, status=400)
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
    if form not in pdf.BY_NUMBER:
        raise Http404
    dossier = get_dossier_for(request.user, code)
    decision = policy.allowed(request.user, policy.PRINTS[form], dossier)
    if not decision:
        messages.error(request, _("Not done: %(reason)s") % {"reason": decision.reason})
        return dossier_page(request, dossier, status=403)
    try:
        with served_at(request):
            content = pdf.form_pdf(form, dossier)
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
    Consultation: (("dossier__procedure", "step__agency"), ("content", "deadline_at",
                   "dossier__code", "dossier__applicant_name", "dossier__procedure__name",
                   "step__agency__name")),
}  # fmt: skip
# A queue's page, when the my-work page shows only its most urgent rows.
QUEUE_PAGE_SIZE = 50


@dataclass(frozen=True)
class Queue:
    slug: str
    title: Promise
    kind: str  # "dossier", "step" or "consultation": what a row is
    items: Callable[[object], QuerySet]


QUEUES = [
    Queue("truc-tuyen", gettext_lazy("Online dossiers to receive"), "dossier", queues.to_receive),
    Queue(
        "chuyen-xu-ly", gettext_lazy("To hand over for processing"), "dossier", queues.to_hand_over
    ),
    Queue("phan-cong", gettext_lazy("Steps to assign"), "step", queues.to_assign),
    Queue("xu-ly", gettext_lazy("My steps to process"), "step", queues.to_process),
    Queue("phe-duyet", gettext_lazy("To approve and sign"), "step", queues.to_approve),
    Queue(
        "y-kien",
        gettext_lazy("Opinions asked of my agency"),
        "consultation",
        queues.consultations_to_answer,
    ),
    Queue("tra-ket-qua", gettext_lazy("Results to return"), "dossier", queues.results_to_return),
    Queue(
        "sap-den-han", gettext_lazy("Due within 24 working hours"), "dossier", queues.due_within_24h
    ),
    Queue("qua-han", gettext_lazy("Overdue"), "dossier", queues.overdue),
    Queue(
        "y-kien-qua-han",
        gettext_lazy("Consultations not answered in time"),
        "consultation",
        queues.overdue_consultations,
    ),
    Queue(
        "cho-cong-dan",
        gettext_lazy("Waiting for the applicant"),
        "dossier",
        queues.waiting_for_citizen,
    ),
]
QUEUES_BY_SLUG = {queue.slug: queue for queue in QUEUES}


def _shown(items: QuerySet) -> QuerySet:
    related, columns = SHOWN[items.model]
    return items.select_related(None).select_related(*related).only(*columns)


def _rows(items, calendar: WorkCalendar) -> list[tuple[object, str, bool]]:
    """(item, time left in words, overdue?) for each row; the calendar read once per
    request, not once per row. Steps and dossiers both carry `due_at`."""
    now = timezone.now()
    rows = []
    for item in items:
        # A dossier's appointment by the on-time rule (its day); a step's or a consultation's
        # deadline by the hour (a budget in working hours: timeleft.step_verdict).
        rule = None if isinstance(item, Dossier) else OnTimeRule.HOUR
        left = describe_time_left(item.due_at, now, calendar, rule)
        late = item.due_at is not None and is_overdue(item.due_at, now, calendar.tz, rule)
        rows.append((item, left, late))
    return rows


@login_required
def my_work(request):
    """Every queue of the user with its most urgent rows (each queue is ordered by urgency);
    a queue holding more links to its own page. One more row is read to know."""
    user, calendar = request.user, get_calendar()
    sections = []
    for queue in QUEUES:
        items = list(_shown(queue.items(user))[: QUEUE_LIMIT + 1])
        more = len(items) > QUEUE_LIMIT
        sections.append((queue, _rows(items[:QUEUE_LIMIT], calendar), more))
    return render(request, "backoffice/my_work.html", {"sections": sections})


@login_required
def my_queue(request, slug: str):
    """One queue in full, page by page (QUEUE_PAGE_SIZE rows, most urgent first)."""
    queue = QUEUES_BY_SLUG.get(slug)
    if queue is None:
        raise Http404
    paginator = Paginator(_shown(queue.items(request.user)), QUEUE_PAGE_SIZE)
    page = paginator.get_page(request.GET.get("trang"))
    return render(
        request,
        "backoffice/my_queue.html",
        {"queue": queue, "page": page, "rows": _rows(page.object_list, get_calendar())},
    )
