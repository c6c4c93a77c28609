"""Rating devices at the counters (Decree 61/2018 art. 28: electronic rating devices).

The queue app, serving a ticket at a counter, asks for a token bound to that dossier and
that counter (`issue_device_token`) and opens the device page with it
(`feedback:device-rate`). The token is signed (django.core.signing, with SECRET_KEY), lives
a few minutes (conf.device_token_minutes) and names one dossier: the page rates that dossier
and no other, whatever is posted, so a device cannot stuff ballots for other dossiers
(OpenCPS #1463 asked a kiosk to check the dossier number). A token used again within its
life only changes the same rating within the edit window: one rating per dossier on the
"counter device" channel (the unique constraint).
"""

from dataclasses import dataclass

from django.core import signing
from django.utils.translation import gettext as _

from motcua.dossiers.models import Dossier

from . import conf
from .errors import FeedbackError

SALT = "motcua.feedback.device"
LINK_SALT = "motcua.feedback.notice-link"


@dataclass(frozen=True)
class DeviceClaim:
    dossier: Dossier
    counter_code: str
    officer_id: int | None
    ticket_number: str


def issue_device_token(
    *, dossier: Dossier, counter_code: str, officer=None, ticket_number: str = ""
) -> str:
    """A short-lived token for the counter device to rate `dossier`, served at
    `counter_code` (by `officer`, for `ticket_number` if known)."""
    if not counter_code:
        raise ValueError("a device token names its counter")
    payload = {
        "d": dossier.pk,
        "c": str(counter_code)[:32],
        "o": getattr(officer, "pk", None),
        "t": str(ticket_number or "")[:32],
    }
    return signing.dumps(payload, salt=SALT, compress=True)


def _expired() -> FeedbackError:
    return FeedbackError(
        "token_expired",
        _("This rating screen has expired. Ask the officer at the counter to open it again."),
        status=410,
    )


def read_device_token(token: str) -> DeviceClaim:
    """What `token` allows; FeedbackError if it was forged, altered or has expired."""
    try:
        payload = signing.loads(token, salt=SALT, max_age=conf.device_token_minutes() * 60)
    except signing.SignatureExpired:
        raise _expired() from None
    except signing.BadSignature:
        raise FeedbackError(
            "token_invalid", _("This rating link is not valid."), status=404
        ) from None
    dossier = (
        Dossier.objects.select_related("procedure_version").filter(pk=payload.get("d")).first()
    )
    if dossier is None:
        raise FeedbackError("token_invalid", _("This rating link is not valid."), status=404)
    return DeviceClaim(dossier, payload.get("c", ""), payload.get("o"), payload.get("t", ""))


def issue_link_token(dossier: Dossier) -> str:
    """The token of the rating link sent to the applicant in a notice (valid
    conf.rating_link_days days)."""
    return signing.dumps({"d": dossier.pk}, salt=LINK_SALT)


def read_link_token(token: str) -> Dossier:
    try:
        payload = signing.loads(token, salt=LINK_SALT, max_age=conf.rating_link_days() * 86400)
    except signing.SignatureExpired:
        raise FeedbackError(
            "token_expired", _("This rating link has expired."), status=410
        ) from None
    except signing.BadSignature:
        raise FeedbackError(
            "token_invalid", _("This rating link is not valid."), status=404
        ) from None
    dossier = (
        Dossier.objects.select_related("procedure_version").filter(pk=payload.get("d")).first()
    )
    if dossier is None:
        raise FeedbackError("token_invalid", _("This rating link is not valid."), status=404)
    return dossier


def rating_link(dossier: Dossier) -> str:
    """The full address of the rating link for a notice to the applicant."""
    from django.conf import settings
    from django.urls import reverse

    path = reverse("feedback:rate-link", args=[issue_link_token(dossier)])
    return settings.MOTCUA_PUBLIC_URL.rstrip("/") + path
