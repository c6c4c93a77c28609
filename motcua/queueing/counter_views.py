"""The counter widget in the back office: take the counter, call next, call again, start
serving (which opens the intake, or the dossier a pickup ticket is for), hold, bring back,
transfer, mark absent, give a ticket. Views parse and call one service (calling.py)."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from motcua.catalogue.models import Procedure
from motcua.catalogue.search import CatalogueQuery, search_procedures
from motcua.dossiers.models import Dossier
from motcua.dossiers.status import Status

from . import calling, tickets
from .errors import QueueError
from .forms import CounterTicketForm, TransferForm, pickup_code_from
from .models import Channel, ServiceKind, State, Ticket
from .numbering import local_day
from .permissions import counters_for, get_counter_for


@login_required
def counters(request):
    mine = list(counters_for(request.user).order_by("point__slug", "counter__number"))
    return render(request, "queueing/counters.html", {"counters": mine})


def _waiting_by_service(counter):
    day = local_day(timezone.now())
    return (
        Ticket.objects.filter(day=day, state=State.WAITING, service__in=counter.services.all())
        .values("service__prefix", "service__name")
        .annotate(count=Count("id"))
        .order_by("service__prefix")
    )


@login_required
def widget(request, pk: int):
    counter = get_counter_for(request.user, pk)
    current = calling.current_ticket(counter)
    held = Ticket.objects.filter(counter=counter, state=State.HOLD).select_related("service")
    context = {
        "counter": counter,
        "current": current,
        "held": held,
        "waiting": _waiting_by_service(counter),
        "on_duty": counter.officer_id == request.user.pk,
        "transfer": TransferForm(point=counter.point, exclude_counter=counter),
        "give": CounterTicketForm(point=counter.point),
    }
    return render(request, "queueing/widget.html", context)


@login_required
def waiting(request, pk: int):
    """The widget's waiting counts, redrawn every 10 s (htmx)."""
    counter = get_counter_for(request.user, pk)
    context = {"counter": counter, "waiting": _waiting_by_service(counter)}
    return render(request, "queueing/_waiting.html", context)


def _act(request, pk: int, operation, *args, **kwargs):
    counter = get_counter_for(request.user, pk)
    try:
        result = operation(counter, *args, actor=request.user, **kwargs)
    except QueueError as error:
        messages.error(request, error.message)
        return None
    return result


@require_POST
@login_required
def take(request, pk: int):
    if _act(request, pk, calling.take_duty) is not None:
        messages.success(request, _("You are on duty at this counter."))
    return redirect("queueing:widget", pk=pk)


@require_POST
@login_required
def leave(request, pk: int):
    counter = get_counter_for(request.user, pk)
    try:
        calling.leave_duty(counter, actor=request.user)
    except QueueError as error:
        messages.error(request, error.message)
        return redirect("queueing:widget", pk=pk)
    messages.success(request, _("You left the counter."))
    return redirect("queueing:counters")


@require_POST
@login_required
def call_next(request, pk: int):
    counter = get_counter_for(request.user, pk)
    try:
        ticket = calling.call_next(counter, actor=request.user)
    except QueueError as error:
        messages.error(request, error.message)
    else:
        if ticket is None:
            messages.info(request, _("Nobody is waiting for this counter's services."))
    return redirect("queueing:widget", pk=pk)


OPERATIONS = {
    "recall": calling.recall,
    "skip": calling.skip,
    "hold": calling.hold,
    "resume": calling.resume,
    "finish": calling.finish,
}


@login_required
def operate(request, pk: int, ticket: int, operation: str):
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    if operation == "start":
        return _start(request, pk, ticket)
    if operation not in OPERATIONS:
        return redirect("queueing:widget", pk=pk)
    _act(request, pk, OPERATIONS[operation], ticket)
    return redirect("queueing:widget", pk=pk)


def _start(request, pk: int, ticket_id: int):
    ticket = _act(request, pk, calling.start_serving, ticket_id)
    if ticket is None:
        return redirect("queueing:widget", pk=pk)
    return redirect("queueing:serve", pk=pk)


@require_POST
@login_required
def transfer(request, pk: int, ticket: int):
    counter = get_counter_for(request.user, pk)
    form = TransferForm(request.POST, point=counter.point, exclude_counter=counter)
    if not form.is_valid():
        messages.error(request, _("Choose a service or a counter."))
        return redirect("queueing:widget", pk=pk)
    moved = _act(
        request, pk, calling.transfer, ticket,
        service=form.cleaned_data["service"], to_counter=form.cleaned_data["counter"],
    )  # fmt: skip
    if moved is not None:
        messages.success(request, _("Ticket %(code)s transferred.") % {"code": moved.display_code})
    return redirect("queueing:widget", pk=pk)


@require_POST
@login_required
def give(request, pk: int):
    """A ticket given at the counter: printed by the clerk or read out to the applicant."""
    counter = get_counter_for(request.user, pk)
    form = CounterTicketForm(request.POST, point=counter.point)
    if not form.is_valid():
        messages.error(request, _("Choose a service."))
        return redirect("queueing:widget", pk=pk)
    ticket = tickets.issue_ticket(
        tickets.Request(
            service=form.cleaned_data["service"],
            channel=Channel.COUNTER,
            priority_category=form.cleaned_data["priority_category"],
            key=form.cleaned_data["token"],
        ),
        actor=request.user,
    )
    messages.success(request, _("Ticket %(code)s given.") % {"code": ticket.display_code})
    return redirect("queueing:widget", pk=pk)


SHOWN = 25


def _procedures(ticket: Ticket, text: str) -> tuple[list[Procedure], bool]:
    """The service's procedures (those it lists, and those of its fields), narrowed by the
    words typed (without diacritics, as the catalogue's search); at most SHOWN of them."""
    service = ticket.service
    covered = Q(pk__in=service.procedures.values("pk")) | Q(field__in=service.fields.all())
    if text:
        found = search_procedures(CatalogueQuery(text)).filter(covered).distinct()
    else:
        found = Procedure.objects.published().filter(covered).distinct().order_by("name")
    listed = list(found[: SHOWN + 1])
    return listed[:SHOWN], len(listed) > SHOWN


def applicant_query(ticket: Ticket) -> str:
    """What the intake form can be filled in with: the applicant of an appointment."""
    known = {
        "name": ticket.applicant_name,
        "id_number": ticket.applicant_id_number,
        "phone": ticket.phone,
    }
    known = {key: value for key, value in known.items() if value}
    return f"?{urlencode(known)}" if known else ""


def _ready_dossier(ticket: Ticket) -> Dossier | None:
    if not ticket.pickup_code:
        return None
    return Dossier.objects.filter(code=ticket.pickup_code).first()


@login_required
def serve(request, pk: int):
    """The ticket being served: for an intake, the service's procedures, each opening the
    counter intake with the applicant if known; for a pickup, the dossier whose result is
    ready. The dossier recorded by this officer while serving remembers the ticket
    (linking.py)."""
    counter = get_counter_for(request.user, pk)
    ticket = calling.current_ticket(counter)
    if ticket is None or ticket.state != State.SERVING:
        return redirect("queueing:widget", pk=pk)
    dossier = _ready_dossier(ticket) if ticket.service.kind == ServiceKind.PICKUP else None
    if dossier is not None and dossier.status == Status.RESOLVED and "stay" not in request.GET:
        return redirect(reverse("backoffice:dossier", args=[dossier.code]))
    text = request.GET.get("q", "")[:200].strip()
    procedures, more = _procedures(ticket, text)
    context = {
        "counter": counter,
        "ticket": ticket,
        "procedures": procedures,
        "more": more,
        "q": text,
        "applicant_query": applicant_query(ticket),
        "pickup_dossier": dossier,
    }
    return render(request, "queueing/serve.html", context)


@login_required
def open_dossier(request):
    """The dossier page of a code typed or scanned at the counter (its own access check)."""
    code = pickup_code_from(request.GET.get("code", ""))
    if not code:
        return redirect("queueing:counters")
    return redirect(reverse("backoffice:dossier", args=[code]))
