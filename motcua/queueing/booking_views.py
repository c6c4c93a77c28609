"""Booking a visit on the portal: where to book (/dat-lich/, from the home page, or
/dat-lich/?thu-tuc=<code> from a procedure's page: the points whose intake covers it), then
/dat-lich/<point>/: a service, a day and a free slot; the confirmation shows the code and its
QR code, to be scanned at the kiosk on the day."""

from datetime import timedelta

from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.catalogue.models import Procedure

from . import appointments, limits
from .errors import QueueError
from .forms import BookingForm
from .models import Appointment, QueueService, ServiceKind, ServicePoint
from .numbering import local_day
from .printing import qr_svg


def _point(slug: str) -> ServicePoint:
    return get_object_or_404(
        ServicePoint.objects.select_related("reception_point"), slug=slug, is_active=True
    )


def _days(point: ServicePoint) -> list[dict]:
    """The next working days with their free slots per service, for the form's choices."""
    today = local_day(timezone.now())
    found = []
    for offset in range(0, 15):
        day = today + timedelta(days=offset)
        times = appointments.slots(point, day)
        if times:
            found.append({"day": day, "slots": times})
        if len(found) == 7:
            break
    return found


def index(request):
    """The service points where a visit can be booked, with their intake services; for a
    procedure (?thu-tuc=<code>), those whose services cover it (by procedure or field)."""
    services = QueueService.objects.filter(
        is_active=True, kind=ServiceKind.INTAKE, point__is_active=True
    ).select_related("point__reception_point__agency")
    code = request.GET.get("thu-tuc", "")[:48]
    procedure = Procedure.objects.filter(code=code, is_active=True).first() if code else None
    covering = []
    if procedure is not None:
        covers = Q(procedures=procedure)
        if procedure.field_id:
            covers |= Q(fields=procedure.field_id)
        covering = list(services.filter(covers).distinct().order_by("point__slug", "position"))
    shown = covering or list(services.order_by("point__slug", "position"))
    points: dict[ServicePoint, list[QueueService]] = {}
    for service in shown:
        points.setdefault(service.point, []).append(service)
    context = {"points": points, "procedure": procedure, "covered": bool(covering)}
    return render(request, "queueing/book_index.html", context)


def book(request, slug: str):
    point = _point(slug)
    initial = {}
    chosen = request.GET.get("dich-vu", "")
    if chosen.isdigit():
        initial["service"] = int(chosen)
    form = BookingForm(request.POST or None, point=point, initial=initial)
    status = 200
    if request.method == "POST" and form.is_valid() and not limits.may_book(request):
        form.add_error(None, _("Too many bookings from this address. Please try again later."))
        status = 429
    elif request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            appointment = appointments.book_appointment(appointments.Booking(**data))
        except QueueError as error:
            form.add_error(None, error.message)
            status = error.status
        else:
            return redirect("queueing-public:appointment", code=appointment.code)
    elif request.method == "POST":
        status = 400
    context = {
        "point": point,
        "form": form,
        "days": _days(point),
        "today": local_day(timezone.now()),
    }
    return render(request, "queueing/book.html", context, status=status)


def appointment(request, code: str):
    found = (
        Appointment.objects.select_related("service", "point__reception_point")
        .filter(code=code)
        .first()
    )
    if found is None:
        raise Http404
    kiosk = reverse("queueing-public:kiosk", args=[found.point.slug])
    address = request.build_absolute_uri(f"{kiosk}?hen={found.code}")
    return render(
        request, "queueing/appointment.html", {"appointment": found, "qr": qr_svg(address)}
    )
