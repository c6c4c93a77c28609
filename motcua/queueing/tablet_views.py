"""The rating tablet of a counter (/danh-gia/<counter>/): it shows who serves at the counter
and, once the dossier of the ticket being served (or just served) is recorded, a button that
opens the ratings' device page (feedback:device-rate) with a fresh token for that dossier,
counter, officer and ticket. The page reloads itself every few seconds (no script)."""

from datetime import timedelta

from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from . import photos
from .models import QueueCounter, StaffPhoto, State, Ticket

RECENT = timedelta(minutes=10)


def _counter(code: str) -> QueueCounter:
    return get_object_or_404(
        QueueCounter.objects.select_related("counter", "officer", "point"), code=code
    )


def rateable_ticket(counter: QueueCounter) -> Ticket | None:
    """The ticket of this counter with a dossier: being served, or finished in the last ten
    minutes (the applicant rates after the clerk pressed "finish" or called the next)."""
    since = timezone.now() - RECENT
    return (
        Ticket.objects.filter(counter=counter, dossier__isnull=False)
        .filter(state=State.SERVING)
        .select_related("dossier", "officer")
        .order_by("-serving_at")
        .first()
    ) or (
        Ticket.objects.filter(
            counter=counter, dossier__isnull=False, state=State.DONE, finished_at__gte=since
        )
        .select_related("dossier", "officer")
        .order_by("-finished_at")
        .first()
    )


def _rated(ticket: Ticket) -> bool:
    """Whether the ticket's dossier was rated on the counter device: the tablet then thanks
    instead of asking again (the ratings app keeps one rating per dossier and channel)."""
    try:
        from motcua.feedback.models import Channel
        from motcua.feedback.ratings import rating_of
    except ImportError:
        return False
    return ticket.dossier is not None and rating_of(ticket.dossier, Channel.DEVICE) is not None


def _officer(counter: QueueCounter, ticket: Ticket | None):
    """Whose service is rated: the officer of the ticket, else the one on duty."""
    return (ticket.officer if ticket is not None else None) or counter.officer


def tablet(request, code: str):
    counter = _counter(code)
    ticket = rateable_ticket(counter)
    officer = _officer(counter, ticket)
    photo = None
    if officer is not None:
        photo = StaffPhoto.objects.filter(user=officer).values_list("digest", flat=True).first()
    context = {
        "counter": counter,
        "ticket": ticket,
        "rated": ticket is not None and _rated(ticket),
        "officer": officer,
        "photo": (photo or "")[:12],
        "initials": photos.initials(officer) if officer is not None else "",
    }
    return render(request, "queueing/tablet.html", context)


def photo(request, code: str):
    """The photo of the officer this tablet shows now, and of nobody else."""
    counter = _counter(code)
    officer = _officer(counter, rateable_ticket(counter))
    found = StaffPhoto.objects.filter(user=officer).first() if officer is not None else None
    if found is None:
        raise Http404
    from .photo_views import photo_response

    return photo_response(found)


def rate(request, code: str, ticket: int):
    """A fresh token for the ticket's dossier, then the ratings' page."""
    # Imported here: the ratings are another app's, and the queue works without them.
    try:
        from motcua.feedback.devices import issue_device_token
    except ImportError:
        raise Http404 from None

    counter = _counter(code)
    found = rateable_ticket(counter)
    if found is None or found.pk != ticket or found.dossier is None:
        raise Http404
    token = issue_device_token(
        dossier=found.dossier,
        counter_code=counter.code,
        officer=found.officer,
        ticket_number=found.display_code,
    )
    back = reverse("queueing-public:tablet", args=[counter.code])
    return redirect(reverse("feedback:device-rate", args=[token]) + f"?next={back}")
