"""Public tracking API: GET /api/v1/tracking/{code}[?secret=1234], no login.

Same rule as the /tra-cuu/ page (motcua.dossiers.tracking): the code alone gives the status
and progress; with the last 4 digits of the applicant's phone or ID number, the details.
Errors: 404 not_found, 422 invalid_secret, 429 rate_limited (with Retry-After).
"""

from dataclasses import asdict
from datetime import datetime

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from ninja import Router, Status

from motcua.dossiers.tracking import Tracking, TrackingError, track_dossier
from motcua.throttle.clients import client_address

from .errors import error_body
from .schemas.tracking import ErrorOut, TrackingOut

router = Router(tags=["tracking"], auth=None)


@router.get(
    "/{code}",
    response={200: TrackingOut, 404: ErrorOut, 422: ErrorOut, 429: ErrorOut},
    summary="Track a dossier",
)
def track(request: HttpRequest, response: HttpResponse, code: str, secret: str | None = None):
    """How far dossier `code` has got (Circular 01/2018 art. 16). With `secret`, the last 4
    digits of the applicant's phone or ID number, also the current step, the handling
    agency, the appointment, any apology and where to collect the result; the applicant's
    name is masked. A wrong code and wrong digits give the same 404."""
    if secret:
        add_never_cache_headers(response)  # the answer may carry the details
    try:
        tracking = track_dossier(code, secret, client=client_address(request))
    except TrackingError as exc:
        if exc.retry_after is not None:
            response["Retry-After"] = str(exc.retry_after)
        return Status(exc.status, error_body(exc.code, exc.message))
    return Status(200, _serialise(tracking))


def _local(moment: datetime | None) -> datetime | None:
    return timezone.localtime(moment) if moment is not None else None


def _serialise(tracking: Tracking) -> dict:
    details = asdict(tracking.details) if tracking.details else None
    if details:
        details["appointment_at"] = _local(details["appointment_at"])
        if details["apology"]:
            details["apology"] = {k: _local(v) for k, v in details["apology"].items()}
    return {
        "code": tracking.code,
        "procedure": {"code": tracking.procedure_code, "name": tracking.procedure_name},
        "status": {"code": tracking.status, "label": tracking.status_label},
        "progress": {
            "received_at": _local(tracking.received_at),
            "steps_done": tracking.steps_done,
            "steps_total": tracking.steps_total,
            "is_resolved": tracking.is_resolved,
            "is_returned": tracking.is_returned,
            "is_closed": tracking.is_closed,
        },
        "milestones": [
            {"kind": m.kind, "label": m.label, "at": _local(m.at)} for m in tracking.milestones
        ],
        "details": details,
    }
