"""The board for a TV (/bang-dien-tu/<point>/): a page, a feed it polls, the spoken calls.

The page's script (static/queueing/board.js, no inline script under the CSP) asks the feed
every 1.5 s with the last event id it saw; "nothing new" is a 204 after one indexed read. A
board that comes back asks from the id it kept, so it neither misses nor repeats a call.
"""

from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.cache import never_cache

from . import board, speech
from .models import ServicePoint, TicketEvent


def _point(slug: str) -> ServicePoint:
    return get_object_or_404(
        ServicePoint.objects.select_related("reception_point"), slug=slug, is_active=True
    )


def page(request, slug: str):
    point = _point(slug)
    context = {
        "point": point,
        "state": board.snapshot(point),
        "ready": board.ready_for_pickup(point),
        "last_event": board.last_event_id(point.pk),
        "speaks": speech.is_available(),
    }
    return render(request, "queueing/board.html", context)


def _after(request) -> int | None:
    try:
        return max(0, int(request.GET["after"]))
    except (KeyError, ValueError):
        return None


@never_cache
def feed(request, slug: str):
    point = _point(slug)
    after = _after(request)
    last = board.last_event_id(point.pk)
    if after is not None and last <= after:
        return HttpResponse(status=204)  # two indexed reads, nothing more
    calls = board.calls_after(point, after) if after is not None else []
    return JsonResponse(
        {
            "last": last,
            "calls": [
                {
                    "event": c.event,
                    "code": c.code,
                    "counter": c.counter,
                    "audio": reverse("queueing-public:board-audio", args=[slug, c.event]),
                }
                for c in calls
            ],
            "state": board.snapshot(point),
            "ready": board.ready_for_pickup(point),
        }
    )


def audio(request, slug: str, event: int):
    """The spoken call of a call event, as WAV, from the cache (404 without a synthesiser)."""
    row = (
        TicketEvent.objects.filter(pk=event, point__slug=slug, action__in=board.CALLS)
        .values_list("ticket__display_code", "counter__counter__number", "point__voice")
        .first()
    )
    if row is None or row[1] is None:
        raise Http404
    wav = speech.clip(speech.call_text(row[0], row[1]), row[2])
    if wav is None:
        raise Http404
    response = HttpResponse(wav, content_type="audio/wav")
    response["Cache-Control"] = "public, max-age=86400"
    return response
