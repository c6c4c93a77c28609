"""The ticket kiosk (/kiosk/<point>/): any browser, large buttons, a barcode scanner as a
keyboard. A tap takes a ticket and opens its printable page (58/80 mm, QR to follow the
queue on a phone); the page also offers the raster image and the ESC/POS bytes for thermal
printers (printing.py)."""

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from motcua.dossiers.models import Dossier

from . import limits, print_jobs, printing, tickets
from .errors import QueueError
from .forms import CheckInForm, TicketForm
from .models import ServiceKind, ServicePoint, Ticket


def _point(slug: str) -> ServicePoint:
    return get_object_or_404(
        ServicePoint.objects.select_related("reception_point"), slug=slug, is_active=True
    )


def index(request):
    points = list(ServicePoint.objects.filter(is_active=True).select_related("reception_point"))
    if len(points) == 1:
        return redirect("queueing-public:kiosk", slug=points[0].slug)
    return render(request, "queueing/kiosk_index.html", {"points": points})


PRINTER_PARAM = "may-in"


def _printer_code(request) -> str:
    return request.GET.get(PRINTER_PARAM, "")[:40]


def _site(request) -> str:
    return request.build_absolute_uri("/").rstrip("/")


def _page(request, point, *, form=None, check_in=None, error=None, status=200):
    printer = print_jobs.printer_for(point, _printer_code(request))
    context = {
        "printer": printer,
        "printer_failing": printer is not None and print_jobs.is_failing(printer),
        "printer_query": f"?{PRINTER_PARAM}={printer.code}" if printer else "",
        "point": point,
        "services": point.services.filter(is_active=True),
        "form": form or TicketForm(point=point),
        "check_in": check_in or CheckInForm(),
        "is_open": tickets.is_open(point, timezone.now()),
        "error": error,
        "prefill_code": request.GET.get("hen", "")[:64],  # the appointment's QR opened here
    }
    return render(request, "queueing/kiosk.html", context, status=status)


@never_cache
def kiosk(request, slug: str):
    return _page(request, _point(slug))


def _unknown_pickup(form: TicketForm) -> bool:
    """A pickup code is checked against the dossiers: the applicant learns at once that the
    code was mistyped (the board already shows which results are ready)."""
    code = form.cleaned_data["pickup_code"]
    if form.cleaned_data["service"].kind != ServiceKind.PICKUP or not code:
        return False
    return not Dossier.objects.filter(code=code).exists()


def take(request, slug: str):
    point = _point(slug)
    if request.method != "POST":
        return redirect("queueing-public:kiosk", slug=slug)
    form = TicketForm(request.POST, point=point)
    if not form.is_valid():
        return _page(request, point, form=form, status=400)
    if _unknown_pickup(form):
        form.add_error("pickup_code", _("No dossier has this code: check it against your receipt."))
        return _page(request, point, form=form, status=400)
    if not limits.may_take_ticket(request):
        busy = _("Too many tickets were taken from this device. Please ask at a counter.")
        return _page(request, point, form=form, error=busy, status=429)
    data = form.cleaned_data
    request_ = tickets.Request(
        service=data["service"],
        phone=data["phone"],
        priority_category=data["priority_category"],
        pickup_code=data["pickup_code"],
        key=data["token"],
        printer=print_jobs.printer_for(point, _printer_code(request)),
        site=_site(request),
    )
    try:
        ticket = tickets.issue_ticket(request_)
    except QueueError as error:
        return _page(request, point, form=form, error=error.message, status=error.status)
    return redirect(reverse("queueing-public:ticket", args=[ticket.public_token]) + "?in=1")


def check_in(request, slug: str):
    point = _point(slug)
    if request.method != "POST":
        return redirect("queueing-public:kiosk", slug=slug)
    form = CheckInForm(request.POST)
    if not form.is_valid():
        return _page(request, point, check_in=form, status=400)
    try:
        ticket = tickets.check_in(
            point,
            form.cleaned_data["code"],
            printer=print_jobs.printer_for(point, _printer_code(request)),
            site=_site(request),
        )
    except QueueError as error:
        form.add_error("code", error.message)
        return _page(request, point, check_in=form, status=error.status)
    return redirect(reverse("queueing-public:ticket", args=[ticket.public_token]) + "?in=1")


def _ticket(token: str) -> Ticket:
    ticket = (
        Ticket.objects.select_related("service", "point__reception_point", "counter__counter")
        .select_related("print_job__printer")
        .filter(public_token=token)
        .first()
    )
    if ticket is None:
        raise Http404
    return ticket


@never_cache
def ticket(request, token: str):
    """The ticket: printed at the kiosk, and followed on a phone through its QR code."""
    found = _ticket(token)
    address = request.build_absolute_uri(reverse("queueing-public:ticket", args=[token]))
    job = getattr(found, "print_job", None)
    back = reverse("queueing-public:kiosk", args=[found.point.slug])
    if job is not None:
        back += f"?{PRINTER_PARAM}={job.printer.code}"
    context = {
        "ticket": found,
        "ahead": tickets.waiting_ahead(found),
        "qr": printing.qr_svg(address),
        "print": request.GET.get("in") == "1",
        "job": job,
        "printer_failing": job is not None and print_jobs.is_failing(job.printer),
        "back": back,
    }
    return render(request, "queueing/ticket.html", context)


def ticket_image(request, token: str):
    found = _ticket(token)
    address = request.build_absolute_uri(reverse("queueing-public:ticket", args=[token]))
    png = printing.ticket_png(found, tickets.waiting_ahead(found), address)
    return HttpResponse(png, content_type="image/png")


def ticket_escpos(request, token: str):
    """The ticket as ESC/POS raster bytes, for a print helper on the kiosk PC to send to the
    printer (`nc printer 9100 < ticket.bin`, or the CUPS raw queue)."""
    found = _ticket(token)
    address = request.build_absolute_uri(reverse("queueing-public:ticket", args=[token]))
    data = printing.ticket_escpos(found, tickets.waiting_ahead(found), address)
    response = HttpResponse(data, content_type="application/octet-stream")
    response["Content-Disposition"] = f'attachment; filename="{found.display_code}.bin"'
    return response
