"""The back office's feedback pages (/backoffice/y-kien/): the register, an item with the
forms its state and the user's roles offer, entering a phone call or a letter, the overdue
items for supervisors, paper questionnaires, the satisfaction report. Each action: access
(permissions.py, 404 outside one's agencies), form, one service, redirect; a refusal draws
the page again with what was typed."""

from datetime import date, datetime, time, timedelta
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from motcua.audit.models import AuditEvent
from motcua.dossiers.models import Dossier
from motcua.dossiers.permissions import get_dossier_for

from . import permissions, register, satisfaction, timing
from .errors import FeedbackError
from .feedback_views import submission
from .forms import ACTION_FORMS, AnswerForm, ClassifyForm, FeedbackForm, PaperRatingForm
from .models import Channel, Feedback, Level
from .ratings import record_rating

PAGE = 50
S = Feedback.State
OPEN_STATES = [s for s in S.values if s not in (S.REFUSED, S.PUBLISHED)]


def _forbidden():
    raise Http404


@login_required
def register_page(request):
    if not permissions.may_read_any(request.user):
        _forbidden()
    found = permissions.visible_feedback(request.user)
    state = request.GET.get("state", "")
    if state == "open":
        found = found.filter(state__in=OPEN_STATES)
    elif state in S.values:
        found = found.filter(state=state)
    query = request.GET.get("q", "").strip()[:64]
    if query:
        found = found.filter(reference__icontains=query)
    page = Paginator(found.order_by("-received_at", "-pk"), PAGE).get_page(request.GET.get("trang"))
    now = timezone.now()
    rows = [(item, timing.current_due(item), timing.is_overdue(item, now)) for item in page]
    context = {
        "page": page,
        "rows": rows,
        "state": state,
        "query": query,
        "states": S.choices,
        "may_enter": permissions.may_enter(request.user),
        "may_supervise": permissions.may_supervise(request.user),
        "may_report": permissions.may_read_reports(request.user),
    }
    return render(request, "feedback/staff/register.html", context)


def _received_at(day: date | None) -> datetime | None:
    if day is None:
        return None
    return timezone.make_aware(datetime.combine(day, time(9)), timezone.get_default_timezone())


@login_required
def enter_item(request):
    """Enter an item received by phone, letter or in person (Decree 20/2008 art. 6, 9)."""
    if not permissions.may_enter(request.user):
        _forbidden()
    agencies = permissions.entering_agencies(request.user).order_by("name")
    if request.method != "POST":
        form = FeedbackForm(initial={"token": register.new_token()}, agencies=agencies, staff=True)
        return render(request, "feedback/staff/enter.html", {"form": form})
    form = FeedbackForm(request.POST, request.FILES, agencies=agencies, staff=True)
    status = 400
    if form.is_valid():
        data = form.cleaned_data
        try:
            dossier = _staff_dossier(request.user, data["code"])
            sub = submission(form, source=data["source"], user=None, dossier=dossier)
            sub.received_at = _received_at(data.get("received_on"))
            if dossier is not None:
                sub.agency = data["agency"]
            item, _created = register.receive_feedback(sub, actor=request.user)
        except FeedbackError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
            status = error.status
        else:
            messages.success(
                request, _("Entered in the register as %(ref)s.") % {"ref": item.reference}
            )
            return redirect("feedback_staff:item", pk=item.pk)
    return render(request, "feedback/staff/enter.html", {"form": form}, status=status)


def _staff_dossier(user, code: str) -> Dossier | None:
    code = code.strip()
    if not code:
        return None
    try:
        return get_dossier_for(user, code)
    except Http404:
        raise FeedbackError(
            "dossier_not_found", _("No dossier you may see has this code."), field="code"
        ) from None


EVENT_LABELS = {
    "feedback.received": gettext_lazy("Received"),
    "feedback.classify": gettext_lazy("Classified"),
    "feedback.refuse": gettext_lazy("Refused"),
    "feedback.forward": gettext_lazy("Forwarded to the competent agency"),
    "feedback.ask_supplement": gettext_lazy("Supplement asked of the sender"),
    "feedback.receive_supplement": gettext_lazy("The sender's supplement received"),
    "feedback.start_handling": gettext_lazy("Taken for handling"),
    "feedback.answer": gettext_lazy("Answered, awaiting approval"),
    "feedback.send_back": gettext_lazy("Answer sent back"),
    "feedback.approve": gettext_lazy("Approved, awaiting publication"),
    "feedback.publish": gettext_lazy("Answer published"),
    "feedback.reacted": gettext_lazy("The sender gave their opinion of the answer"),
}
MISSED_LABELS = {
    "refuse": gettext_lazy("refusal"),
    "supplement": gettext_lazy("supplement request"),
    "forward": gettext_lazy("forwarding"),
    "handle": gettext_lazy("handling"),
    "publish": gettext_lazy("publication"),
}


def _events(item: Feedback) -> list[tuple[AuditEvent, object]]:
    found = AuditEvent.objects.filter(target_type="feedback.feedback", target_id=str(item.pk))
    rows = found.select_related("actor").order_by("created_at", "pk")
    return [(e, EVENT_LABELS.get(e.action, e.action)) for e in rows]


def _forms(request, item: Feedback, bound: tuple[str, Any] | None) -> dict[str, Any]:
    forms: dict[str, Any] = {}
    for action in register.offered_actions(request.user, item):
        initial = {}
        if action == "publish":
            proposed = register.proposed_publication(item)
            initial = {
                "title": proposed["public_title"],
                "body": proposed["public_body"],
                "answer": proposed["public_answer"],
            }
        if action == "classify" and item.classification:
            initial = {"classification": item.classification}
        forms[action] = _form(action, item, initial=initial)
    if bound is not None:
        forms[bound[0]] = bound[1]
    return forms


def _item_page(request, item: Feedback, bound=None, status: int = 200):
    now = timezone.now()
    context = {
        "item": item,
        "forms": _forms(request, item, bound),
        "events": _events(item),
        "files": item.files.all(),
        "due": timing.current_due(item),
        "overdue": timing.is_overdue(item, now),
        "missed": [MISSED_LABELS[step] for step in timing.missed(item, now)],
        "follow_ups": item.follow_ups.all(),
    }
    return render(request, "feedback/staff/item.html", context, status=status)


@login_required
def item_page(request, pk: int):
    return _item_page(request, permissions.get_feedback_for(request.user, pk))


def _form(action: str, item: Feedback, **kwargs):
    if action == "classify":
        return ClassifyForm(item=item, **kwargs)
    if action == "answer":
        return AnswerForm(item=item, **kwargs)
    return ACTION_FORMS[action](**kwargs)


def _run(action: str, item: Feedback, user, data: dict, seen: str):
    common = {"actor": user, "seen_state": seen}
    if action == "classify":
        return register.classify_feedback(
            item, classification=data["classification"], officer=data["officer"], **common
        )
    if action == "refuse":
        return register.refuse_feedback(item, reason=data["reason"], **common)
    if action == "forward":
        return register.forward_feedback(item, agency=data["agency"], note=data["note"], **common)
    if action == "ask_supplement":
        return register.ask_supplement(item, note=data["note"], **common)
    if action == "receive_supplement":
        return register.receive_supplement(item, text=data["text"], **common)
    if action == "start_handling":
        return register.start_handling(item, **common)
    if action == "answer":
        return register.answer_feedback(
            item, answer=data["answer"], verdict=data.get("verdict", ""), **common
        )
    if action == "send_back":
        return register.send_back(item, note=data["note"], **common)
    if action == "approve":
        return register.approve_answer(item, **common)
    return register.publish_answer(
        item, title=data["title"], body=data["body"], answer=data["answer"], **common
    )


@login_required
@require_POST
def act(request, pk: int, action: str):
    item = permissions.get_feedback_for(request.user, pk)
    if action not in ACTION_FORMS:
        raise Http404
    form = _form(action, item, data=request.POST)
    if not form.is_valid():
        return _item_page(request, item, (action, form), status=400)
    try:
        _run(action, item, request.user, form.cleaned_data, request.POST.get("seen_state", ""))
    except FeedbackError as error:
        form.add_error(error.field if error.field in form.fields else None, error.message)
        item.refresh_from_db()
        return _item_page(request, item, (action, form), status=error.status)
    return redirect("feedback_staff:item", pk=item.pk)


@login_required
def item_file(request, pk: int, file_pk: int):
    item = permissions.get_feedback_for(request.user, pk)
    row = get_object_or_404(item.files, pk=file_pk)
    response = FileResponse(row.file.open("rb"), content_type=row.content_type)
    response["Content-Disposition"] = "attachment"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def overdue_page(request):
    """Open items past the deadline running now, with the unit and the officer handling
    them (supervisors; capabilities.md §6: "overdue items in the supervision page")."""
    if not permissions.may_supervise(request.user):
        _forbidden()
    ids = permissions.supervised_agency_ids(request.user)
    found = Feedback.objects.filter(state__in=OPEN_STATES).select_related(
        "agency", "handling_agency", "handler", "officer"
    )
    if ids is not None:
        found = found.filter(handling_agency_id__in=ids) | found.filter(agency_id__in=ids)
    now = timezone.now()
    dues = [(item, timing.current_due(item)) for item in found.order_by("handle_due_at", "pk")]
    rows = [(item, due) for item, due in dues if due is not None and now > due][:500]
    return render(request, "feedback/staff/overdue.html", {"rows": rows})


@login_required
def paper_rating(request):
    """A paper questionnaire (Circular 01/2018 art. 12, handed out with forms 01-03)
    entered by staff: audited with who entered it."""
    if not permissions.may_enter(request.user):
        _forbidden()
    if request.method != "POST":
        return render(request, "feedback/staff/paper.html", {"form": PaperRatingForm()})
    form = PaperRatingForm(request.POST)
    status = 400
    if form.is_valid():
        try:
            dossier = _staff_dossier(request.user, form.cleaned_data["code"])
            if dossier is None:
                raise FeedbackError("code_required", _("Enter the dossier code."), field="code")
            rating, _changed = record_rating(
                dossier=dossier,
                channel=Channel.PAPER,
                given=form.given(),
                actor=request.user,
                counter_code=form.cleaned_data["counter_code"],
            )
        except FeedbackError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
            status = error.status
        else:
            messages.success(
                request, _("Questionnaire of %(code)s entered.") % {"code": dossier.code}
            )
            return redirect("feedback_staff:paper")
    return render(request, "feedback/staff/paper.html", {"form": form}, status=status)


def _period(request) -> tuple[date, date]:
    today = timezone.localdate()
    first = today.replace(day=1)
    try:
        first = (
            date.fromisoformat(request.GET.get("from", "")) if request.GET.get("from") else first
        )
        last = date.fromisoformat(request.GET.get("to", "")) if request.GET.get("to") else today
    except ValueError:
        raise FeedbackError("invalid_period", _("Enter dates as YYYY-MM-DD.")) from None
    if last < first:
        raise FeedbackError("invalid_period", _("The period ends before it starts."))
    return first, last


@login_required
def satisfaction_page(request):
    """Satisfaction per officer, counter, procedure, unit or month; Excel with ?xlsx=1."""
    if not permissions.may_read_reports(request.user):
        _forbidden()
    by = request.GET.get("by") or satisfaction.By.UNIT
    channel = request.GET.get("channel", "")
    context = {
        "by": by,
        "bys": satisfaction.By.choices,
        "channels": Channel.choices,
        "channel": channel,
        "levels": Level.choices,
    }
    try:
        first, last = _period(request)
        if by not in satisfaction.By.values or (channel and channel not in Channel.values):
            raise FeedbackError("invalid_choice", _("Choose from the list."))
    except FeedbackError as error:
        context.update(
            error=error.message, first=request.GET.get("from", ""), last=request.GET.get("to", "")
        )
        return render(request, "feedback/staff/satisfaction.html", context, status=400)
    ids = permissions.report_agency_ids(request.user)
    ratings = satisfaction.ratings_in(first, last + timedelta(days=1), ids, channel)
    rows, total = satisfaction.build(ratings, by)
    if request.GET.get("xlsx"):
        title = _("Satisfaction from %(first)s to %(last)s") % {
            "first": first.strftime("%d/%m/%Y"),
            "last": last.strftime("%d/%m/%Y"),
        }
        response = HttpResponse(
            satisfaction.workbook(rows, total, title),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f'attachment; filename="hai-long-{first}-{last}.xlsx"'
        return response
    context.update(rows=rows, total=total, first=first.isoformat(), last=last.isoformat())
    return render(request, "feedback/staff/satisfaction.html", context)
