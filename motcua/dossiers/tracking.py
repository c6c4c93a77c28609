"""Public tracking of a dossier by its code: the one rule behind the /tra-cuu/ page and
GET /api/v1/tracking/{code}.

What may be shown (Circular 01/2018 art. 16: an anonymous search shows the dossier code and
how far processing has got; more needs the applicant's identity):

* **Code only**: the procedure, the national status, the progress (received date, steps done
  of total, resolved, returned) and the public milestones (received, handed over, supplement
  requested, apology, resolved, returned...) without staff names.
* **Code and secret** (the last 4 digits of the applicant's phone or ID number): also the
  current step, the agency and department handling it, the appointment, the apology with
  its new appointment, whether the result is ready to collect and where, and the
  applicant's name masked ("Nguyễn V** A*"). Never the ID number, phone, e-mail or address.

**No enumeration.** Without a secret the answer is public by law, so "No dossier with this
code" does reveal whether a code exists; art. 16 accepts that, and the per-address limit
keeps anyone from sweeping the code space. With a secret, a wrong code and a wrong secret
give the same error (same code, status and message) after the same database work: one
lookup of the code and two constant-time comparisons against the dossier's digits or
against placeholders. So the secret step adds no oracle of its own: digits are only
confirmed by the details appearing.

**Rate limits** (motcua.throttle, counted in the database so that every process agrees):
every lookup counts against the client address (MOTCUA_TRACKING_IP_LIMIT per
MOTCUA_TRACKING_IP_WINDOW seconds). Wrong digits count against the address that typed them,
never against the dossier (decision 0007): at most MOTCUA_TRACKING_SECRET_LIMIT per address
and code and MOTCUA_TRACKING_SECRET_ADDRESS_LIMIT per address over all codes, per
MOTCUA_TRACKING_SECRET_WINDOW. A guess is counted under both keys before the digits are
checked (one upsert with the lookup's own count, so that parallel requests cannot exceed a
limit) and given back when it was right or was refused unchecked, so only wrong digits use
up a budget. An address out of budget is refused every further guess, the right digits
included (else the refusal would confirm them); the code-only view still works. Nobody
else's wrong digits can hide a dossier's details from its owner. Codes are counted whether
or not they exist.
The client address is REMOTE_ADDR, or the X-Forwarded-For entry written by our own proxy
when MOTCUA_TRUSTED_PROXY_COUNT says there is one (throttle/clients.py: behind nginx, set
it to 1, otherwise every citizen shares the proxy's counter). A deployment whose proxy
limits requests per address itself may set MOTCUA_TRACKING_IP_LIMIT to 0: lookups are then
not counted here (each count is a database write), and `check` warns if no trusted proxy
is declared (checks.py).
"""

import hmac
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import NamedTuple

from django.conf import settings
from django.utils.functional import Promise
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from motcua.throttle import services as throttle

from .errors import DossierError
from .models import Dossier, DossierEvent, DossierStep
from .status import FINAL, Action, Status

A = Action
CODE_PATTERN = re.compile(r"[A-Z0-9][A-Z0-9._/-]{0,63}")
SECRET_PATTERN = re.compile(r"[0-9]{4}")  # ASCII digits only, for compare_digest
# Compared against when no dossier has the code, so that both failures do the same work.
PLACEHOLDER_DIGITS = "\x00" * 4

# Actions a citizen may see, as (kind, label). Internal actions (assignment, steps, send
# back, consultations, timer warnings) are left out; so are the people who acted.
MILESTONES: dict[str, tuple[str, Promise]] = {
    A.SUBMIT_ONLINE: ("submitted", A.SUBMIT_ONLINE.label),
    A.RECEIVE: ("received", A.RECEIVE.label),
    A.REQUEST_SUPPLEMENT_AT_RECEPTION: ("supplement_requested", Status.SUPPLEMENT.label),
    A.REFUSE_AT_RECEPTION: ("not_received", Status.NOT_RECEIVED.label),
    A.HAND_OVER: ("handed_over", A.HAND_OVER.label),
    A.REQUEST_SUPPLEMENT: ("supplement_requested", Status.SUPPLEMENT.label),
    A.RECEIVE_SUPPLEMENT: ("supplement_received", A.RECEIVE_SUPPLEMENT.label),
    A.REQUIRE_PAYMENT: ("payment_required", Status.FINANCIAL.label),
    A.CONFIRM_PAYMENT: ("payment_fulfilled", A.CONFIRM_PAYMENT.label),
    # The appointment moved to count from the fee's payment (MOTCUA_PAYMENT_CLOCK=paid).
    A.CLOCK_FROM_PAYMENT: ("clock_from_payment", A.CLOCK_FROM_PAYMENT.label),
    A.APOLOGISE: ("apology", A.APOLOGISE.label),
    A.MARK_RESULT_READY: ("resolved", Status.RESOLVED.label),
    A.REFUSE_AFTER_APPRAISAL: ("resolved", Status.RESOLVED.label),
    A.RETURN_RESULT: ("returned", Status.RETURNED.label),
    A.WITHDRAW: ("withdrawn", Status.WITHDRAWN.label),
    A.STOP: ("stopped", Status.STOPPED.label),
}
MILESTONE_ACTIONS = frozenset(str(action) for action in MILESTONES)


class TrackingError(DossierError):
    """A lookup that shows nothing: not found (404), bad input (422), too many tries (429)."""

    def __init__(self, code: str, message: str, *, status: int, retry_after: int | None = None):
        super().__init__(code, message, status=status)
        self.retry_after = retry_after


@dataclass(frozen=True)
class Milestone:
    kind: str
    label: str
    at: datetime


@dataclass(frozen=True)
class Handler:
    agency: str
    department: str | None = None


@dataclass(frozen=True)
class ApologyNotice:
    issued_at: datetime
    previous_appointment_at: datetime
    new_appointment_at: datetime


@dataclass(frozen=True)
class Details:
    """Shown only with the right secret."""

    applicant: str
    current_step: str | None
    handled_by: Handler | None
    appointment_at: datetime | None
    apology: ApologyNotice | None
    result_ready: bool
    collect_at: str | None


@dataclass(frozen=True)
class Tracking:
    code: str
    procedure_code: str
    procedure_name: str
    status: int
    status_label: str
    received_at: datetime | None
    steps_done: int
    steps_total: int
    milestones: list[Milestone]
    details: Details | None = None

    @property
    def is_resolved(self) -> bool:
        return self.status in (Status.RESOLVED, Status.RETURNED)

    @property
    def is_returned(self) -> bool:
        return self.status == Status.RETURNED

    @property
    def is_closed(self) -> bool:
        return self.status in FINAL


def track_dossier(code: str, secret: str | None = None, *, client: str) -> Tracking:
    """What may be shown about dossier `code` to `client` (an address, for rate limits),
    given the applicant's `secret` digits or not; TrackingError when nothing may be."""
    secret = clean_secret(secret)
    code = normalise_code(code)
    if secret is None:
        _count(_lookup_limits(client))
        return _public(code)
    guesses = _guess_limits(client, code)
    _count(_lookup_limits(client) + guesses, guesses=guesses)
    dossier = _find(code)
    if not _secret_matches(dossier, secret):
        raise TrackingError(
            "not_found", _("No dossier matches this code and these digits"), status=404
        )
    throttle.undo_hit(*(limit.key for limit in guesses))
    return _view(_with_progress(dossier, STEP_COLUMNS), with_details=True)


def clean_secret(secret: str | None) -> str | None:
    """None for no secret; the 4 digits; TrackingError for anything else."""
    if secret is None or not secret.strip():
        return None
    secret = secret.strip()
    if not SECRET_PATTERN.fullmatch(secret):
        raise TrackingError(
            "invalid_secret",
            _("Enter the last 4 digits of the applicant's phone number or ID number."),
            status=422,
        )
    return secret


def normalise_code(code: str) -> str:
    """Codes are printed in capitals; people type them in any case and with spaces."""
    return "".join(code.split()).upper()


def _public(code: str) -> Tracking:
    dossier = _find(code)
    if dossier is None:
        raise TrackingError("not_found", _("No dossier with this code"), status=404)
    return _view(_with_progress(dossier, ("state",)), with_details=False)


# --- The read: the dossier's row with its names, its steps, its public milestones -----------


class DossierRow(NamedTuple):
    id: int
    code: str
    status: int
    received_at: datetime | None
    due_at: datetime | None
    apology_count: int
    applicant_name: str
    applicant_phone: str
    applicant_id_number: str
    procedure_code: str
    procedure_name: str
    receiving_agency: str
    receiving_address: str
    competent_agency: str
    reception_point: str | None
    reception_address: str | None
    apology_issued_at: datetime | None
    apology_previous_due_at: datetime | None
    apology_new_due_at: datetime | None


DOSSIER_COLUMNS = (
    "id", "code", "status", "received_at", "due_at", "apology_count", "applicant_name",
    "applicant_phone", "applicant_id_number", "procedure__code", "procedure_version__name",
    "receiving_agency__name", "receiving_agency__address", "competent_agency__name",
    "reception_point__name", "reception_point__address", "apology__created_at",
    "apology__previous_due_at", "apology__new_due_at",
)  # fmt: skip


class StepRow(NamedTuple):
    state: str
    name: str
    agency: str
    department: str | None


class Found(NamedTuple):
    """A dossier with its steps in order and its milestones (action, moment), oldest first."""

    dossier: DossierRow
    steps: list[StepRow]
    events: list[tuple[str, datetime]]


def _find(code: str) -> DossierRow | None:
    """The dossier's row, joined with the names it shows, only the columns shown: one read,
    the same for a wrong code and for wrong digits."""
    if not CODE_PATTERN.fullmatch(code):
        return None
    rows = Dossier.objects.filter(code=code).order_by().values_list(*DOSSIER_COLUMNS)[:1]
    return DossierRow._make(rows[0]) if rows else None


def _with_progress(dossier: DossierRow, step_columns: tuple[str, ...]) -> Found:
    """The dossier with its steps and its public milestones (two more reads); of the steps,
    only their states when no details are shown (no join)."""
    steps = DossierStep.objects.filter(dossier_id=dossier.id).order_by("order", "id")
    padding = (None,) * (len(STEP_COLUMNS) - len(step_columns))
    events = DossierEvent.objects.filter(dossier_id=dossier.id, action__in=MILESTONE_ACTIONS)
    return Found(
        dossier,
        [StepRow._make((*row, *padding)) for row in steps.values_list(*step_columns)],
        list(events.order_by("created_at", "id").values_list("action", "created_at")),
    )


STEP_COLUMNS = ("state", "name", "agency__name", "department__name")


def last_digits(value: str) -> str:
    digits = "".join(ch for ch in value if ch in "0123456789")
    return digits[-4:] if len(digits) >= 4 else ""


def _secret_matches(dossier: DossierRow | None, secret: str) -> bool:
    phone = last_digits(dossier.applicant_phone) if dossier else ""
    id_number = last_digits(dossier.applicant_id_number) if dossier else ""
    # Both comparisons always run, in constant time, against placeholders when unknown.
    by_phone = hmac.compare_digest(secret, phone or PLACEHOLDER_DIGITS)
    by_id = hmac.compare_digest(secret, id_number or PLACEHOLDER_DIGITS)
    return dossier is not None and (by_phone | by_id)


# --- Rate limits ------------------------------------------------------------------------------


def _lookup_limits(client: str) -> list[throttle.Limit]:
    limit = settings.MOTCUA_TRACKING_IP_LIMIT
    if not limit:  # left to the reverse proxy (settings.py)
        return []
    return [throttle.Limit(f"tracking:ip:{client}", limit, settings.MOTCUA_TRACKING_IP_WINDOW)]


def _guess_limits(client: str, code: str) -> list[throttle.Limit]:
    """Wrong digits per address and code, and per address: never per code alone, or anyone
    could hide a dossier's details from its owner by typing wrong digits."""
    window = settings.MOTCUA_TRACKING_SECRET_WINDOW
    return [
        throttle.Limit(
            f"tracking:wrong:{client} {code}", settings.MOTCUA_TRACKING_SECRET_LIMIT, window
        ),
        throttle.Limit(
            f"tracking:wrong:{client}", settings.MOTCUA_TRACKING_SECRET_ADDRESS_LIMIT, window
        ),
    ]


def _count(limits: list[throttle.Limit], *, guesses: Sequence[throttle.Limit] = ()) -> None:
    """Count the attempt under every limit; refused if any is exceeded. A refused guess was
    not checked, so it is given back to the wrong-digit budgets."""
    if not limits:
        return
    exceeded = throttle.hit_all(limits)
    if exceeded:
        if guesses:
            throttle.undo_hit(*(limit.key for limit in guesses))
        raise _rate_limited(max(throttle.seconds_until_reset(limit.key) for limit in exceeded))


def _rate_limited(seconds: int) -> TrackingError:
    minutes = -(-seconds // 60)
    message = ngettext(
        "Too many lookups. Please try again in %(minutes)d minute.",
        "Too many lookups. Please try again in %(minutes)d minutes.",
        minutes,
    ) % {"minutes": minutes}
    return TrackingError("rate_limited", message, status=429, retry_after=seconds)


# --- The view of a dossier ------------------------------------------------------------------


def _view(found: Found, *, with_details: bool) -> Tracking:
    dossier, steps = found.dossier, found.steps
    return Tracking(
        code=dossier.code,
        procedure_code=dossier.procedure_code,
        procedure_name=dossier.procedure_name,
        status=dossier.status,
        status_label=_labels(get_language()).statuses[dossier.status],
        received_at=dossier.received_at,
        steps_done=sum(1 for step in steps if step.state == DossierStep.State.DONE),
        steps_total=len(steps),
        milestones=_milestones(found.events),
        details=_details(dossier, steps) if with_details else None,
    )


def _milestones(events: list[tuple[str, datetime]]) -> list[Milestone]:
    labels = _labels(get_language()).milestones
    return [Milestone(MILESTONES[action][0], labels[action], at) for action, at in events]


@dataclass(frozen=True)
class Labels:
    statuses: dict[int, str]
    milestones: dict[str, str]


@lru_cache(maxsize=8)
def _labels(language: str | None) -> Labels:
    """The labels in the active `language`, translated once per process rather than on
    every lookup (lazy translations cost a few microseconds each)."""
    return Labels(
        statuses={status.value: str(status.label) for status in Status},
        milestones={str(action): str(label) for action, (_kind, label) in MILESTONES.items()},
    )


def _details(dossier: DossierRow, steps: list[StepRow]) -> Details:
    active = next((s for s in steps if s.state == DossierStep.State.ACTIVE), None)
    ready = dossier.status == Status.RESOLVED
    return Details(
        applicant=mask_name(dossier.applicant_name),
        current_step=active.name if active else None,
        handled_by=_handler(dossier, active),
        appointment_at=dossier.due_at,
        apology=_apology(dossier),
        result_ready=ready,
        collect_at=_collection_place(dossier) if ready else None,
    )


def _handler(dossier: DossierRow, active: StepRow | None) -> Handler | None:
    """Who has the dossier now: the active step's agency and department; the competent
    agency while processing between steps; otherwise the one-stop section that received it
    (waiting for reception, a supplement or a payment). Nobody once the result is ready:
    the collection place says where it is."""
    if active is not None:
        return Handler(active.agency, active.department)
    if dossier.status in FINAL or dossier.status == Status.RESOLVED:
        return None
    if dossier.status == Status.PROCESSING:
        return Handler(dossier.competent_agency)
    return Handler(dossier.receiving_agency)


def _apology(dossier: DossierRow) -> ApologyNotice | None:
    if not dossier.apology_count or dossier.apology_issued_at is None:
        return None
    return ApologyNotice(
        dossier.apology_issued_at, dossier.apology_previous_due_at, dossier.apology_new_due_at
    )


def _collection_place(dossier: DossierRow) -> str:
    if dossier.reception_point:
        parts = (dossier.reception_point, dossier.reception_address)
    else:
        parts = (dossier.receiving_agency, dossier.receiving_address)
    return ", ".join(part for part in parts if part)


def mask_name(name: str) -> str:
    """'Nguyễn Văn An' -> 'Nguyễn V** A*': the family name, then initials. A single word
    keeps only its initial."""
    words = unicodedata.normalize("NFC", name).split()
    if not words:
        return ""
    masked = [word[0] + "*" * (len(word) - 1) for word in words]
    return " ".join([words[0], *masked[1:]] if len(words) > 1 else masked)
