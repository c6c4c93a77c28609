"""Public tracking API: GET /api/v1/tracking/{code}[?secret=1234], no login.

Same rule as the /tra-cuu/ page (motcua.dossiers.tracking): the code alone gives the status
and progress; with the last 4 digits of the applicant's phone or ID number, the details.
Errors: 404 not_found, 422 invalid_secret, 429 rate_limited (with Retry-After).

The busiest public door (every receipt's QR code, kiosks, portals that poll): the operation
reads no session and no user, and ninja exempts its views from Django's CSRF middleware (a
GET changes nothing a browser's cookies could be abused for), so a lookup sets no cookie.
The body is built here rather than validated by ninja (test_tracking_api.py pins it to the
documented schema).
"""

import json
from collections.abc import Callable
from datetime import datetime, tzinfo

from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from ninja import Router

from motcua.dossiers.tracking import Details, Tracking, TrackingError, track_dossier
from motcua.throttle.clients import client_address

from .errors import error_body
from .schemas.tracking import ErrorOut, TrackingOut

router = Router(tags=["tracking"], auth=None)
CONTENT_TYPE = "application/json; charset=utf-8"
WRITE_MOMENT = DjangoJSONEncoder().default  # the encoder keeps no state


@router.get(
    "/{code}",
    response={200: TrackingOut, 404: ErrorOut, 422: ErrorOut, 429: ErrorOut},
    summary="Track a dossier",
)
def track(request: HttpRequest, code: str, secret: str | None = None) -> HttpResponse:
    """How far dossier `code` has got (Circular 01/2018 art. 16). With `secret`, the last 4
    digits of the applicant's phone or ID number, also the current step, the handling
    agency, the appointment, any apology and where to collect the result; the applicant's
    name is masked. A wrong code and wrong digits give the same 404."""
    return answer(request, code, secret)


def answer(request: HttpRequest, code: str, secret: str | None) -> HttpResponse:
    try:
        tracking = track_dossier(code, secret, client=client_address(request))
    except TrackingError as exc:
        response = _json(error_body(exc.code, exc.message), status=exc.status)
        if exc.retry_after is not None:
            response["Retry-After"] = str(exc.retry_after)
    else:
        response = _json(_serialise(tracking), status=200)
    if secret:
        add_never_cache_headers(response)  # the answer may carry the details
    return response


def _json(data: dict, *, status: int) -> HttpResponse:
    """The body as ninja renders one: same JSON, same content type. Every value is already
    a JSON type (moments are written by `_local_time`)."""
    return HttpResponse(json.dumps(data), status=status, content_type=CONTENT_TYPE)


def _serialise(tracking: Tracking) -> dict:
    local = _local_time(timezone.get_current_timezone())
    return {
        "code": tracking.code,
        "procedure": {"code": tracking.procedure_code, "name": tracking.procedure_name},
        "status": {"code": tracking.status, "label": tracking.status_label},
        "progress": {
            "received_at": local(tracking.received_at),
            "steps_done": tracking.steps_done,
            "steps_total": tracking.steps_total,
            "is_resolved": tracking.is_resolved,
            "is_returned": tracking.is_returned,
            "is_closed": tracking.is_closed,
        },
        "milestones": [
            {"kind": m.kind, "label": m.label, "at": local(m.at)} for m in tracking.milestones
        ],
        "details": _details(tracking.details, local) if tracking.details else None,
    }


def _details(details: Details, local: Callable[[datetime | None], str | None]) -> dict:
    handler, apology = details.handled_by, details.apology
    return {
        "applicant": details.applicant,
        "current_step": details.current_step,
        "handled_by": (
            {"agency": handler.agency, "department": handler.department} if handler else None
        ),
        "appointment_at": local(details.appointment_at),
        "apology": (
            {
                "issued_at": local(apology.issued_at),
                "previous_appointment_at": local(apology.previous_appointment_at),
                "new_appointment_at": local(apology.new_appointment_at),
            }
            if apology
            else None
        ),
        "result_ready": details.result_ready,
        "collect_at": details.collect_at,
    }


def _local_time(zone: tzinfo) -> Callable[[datetime | None], str | None]:
    """Moments in local time, written as ninja writes every datetime (DjangoJSONEncoder)."""

    def local(moment: datetime | None) -> str | None:
        return WRITE_MOMENT(moment.astimezone(zone)) if moment is not None else None

    return local
