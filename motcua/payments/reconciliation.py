"""VietQR transfers confirmed from the bank's statement: a cashier imports the statement of
a collecting agency's account (CSV or Excel, statements.py); each credit is matched to a
payment request on its payment reference (references.read_reference finds it in the text
and refuses a typo), then checked on its amount and its date; a match confirms the payment
and issues the receipt (collection.confirm_attempt) in the same transaction. What does not
match waits on the manual screen with the due requests of the same amount and date as
candidates. Nothing is matched twice: a line confirms at most one attempt (a one-to-one),
a request has at most one confirmed attempt, and the same credit in two overlapping
statements is one line (its fingerprint).
"""

import hashlib
import re
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from motcua.audit.services import record_event
from motcua.organisations import permissions as org_permissions
from motcua.organisations.models import Agency

from . import conf, statements
from .collection import confirm_attempt, series_for
from .conf import RECEIPT_ZONE
from .errors import PaymentError
from .models import BankStatement, PaymentAttempt, PaymentRequest, StatementLine
from .permissions import COLLECT
from .references import WIDTH, read_reference

LineState = StatementLine.State
# Why a line was not matched by itself (StatementLine.problem).
NO_REFERENCE = "no_reference"
UNKNOWN_REFERENCE = "unknown_reference"
OTHER_AGENCY = "other_agency"
NOT_DUE = "not_due"
AMOUNT_DIFFERS = "amount_differs"
BEFORE_REQUEST = "before_request"
PROBLEMS = {
    NO_REFERENCE: gettext_lazy("no payment reference in the text"),
    UNKNOWN_REFERENCE: gettext_lazy("the reference is not a payment request"),
    OTHER_AGENCY: gettext_lazy("the request is collected by another agency"),
    NOT_DUE: gettext_lazy("the request is no longer due (paid, waived or cancelled)"),
    AMOUNT_DIFFERS: gettext_lazy("the amount differs from what is due"),
    BEFORE_REQUEST: gettext_lazy("the transfer is dated before the request"),
}


@dataclass
class Imported:
    statement: BankStatement
    matched: list[StatementLine] = field(default_factory=list)
    unmatched: list[StatementLine] = field(default_factory=list)
    known: int = 0  # credits already imported from an earlier statement


def check_reconcile(user, agency: Agency) -> None:
    if not org_permissions.can(user, COLLECT, agency.pk):
        raise PaymentError(
            "forbidden",
            _("Only a clerk of the collecting agency reconciles its account."),
            status=403,
        )


def import_statement(*, agency: Agency, name: str, content: bytes, actor) -> Imported:
    """Read and store the statement, then match its new credits one by one (each in its own
    transaction: a refused match leaves the others)."""
    check_reconcile(actor, agency)
    try:
        credits = statements.read(name, content)
    except statements.StatementError as error:
        raise PaymentError("bad_statement", error.message) from error
    result = _store(agency, name, content, credits, actor)
    for line in result.unmatched[:]:
        matched = auto_match(line, actor=actor)
        if matched.state == LineState.MATCHED:
            result.unmatched.remove(line)
            result.matched.append(matched)
    return result


@transaction.atomic
def _store(agency, name: str, content: bytes, credits, actor) -> Imported:
    digest = hashlib.sha256(content).hexdigest()
    if BankStatement.objects.filter(agency=agency, digest=digest).exists():
        raise PaymentError(
            "statement_known", _("This statement file was imported already."), status=409
        )
    statement = BankStatement.objects.create(
        agency=agency, file_name=name[:255], digest=digest, imported_by=actor
    )
    result = Imported(statement)
    seen: dict[tuple, int] = {}
    for credit in credits:
        key = (credit.booked_on, credit.amount, credit.text, credit.reference)
        seen[key] = seen.get(key, 0) + 1
        fingerprint = _fingerprint(agency, key, seen[key])
        line, created = StatementLine.objects.get_or_create(
            fingerprint=fingerprint,
            defaults={
                "statement": statement,
                "row": credit.row,
                "booked_on": credit.booked_on,
                "amount": credit.amount,
                "description": credit.text,
                "bank_reference": credit.reference,
            },
        )
        if created:
            result.unmatched.append(line)
        else:
            result.known += 1
    record_event(
        "bank_statement.imported",
        statement,
        actor=actor,
        lines=len(result.unmatched),
        known=result.known,
    )
    return result


def _fingerprint(agency: Agency, key: tuple, occurrence: int) -> str:
    text = "|".join(str(part) for part in (agency.pk, *key, occurrence))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def find_reference(text: str) -> int | None:
    """The payment request id a statement's text names, or None. Banks keep, drop or
    rewrite the spaces and dashes of a purpose, so every run of letters and digits after the
    prefix is tried, from the shortest a reference can be; one id must stand out."""
    prefix = conf.reference_prefix()
    squeezed = re.sub(r"[^0-9A-Z ]", "", text.upper())
    found = set()
    for start in [m.start() for m in re.finditer(prefix, squeezed)]:
        run = squeezed[start:].split(" ")[0]
        joined = squeezed[start:].replace(" ", "")
        for candidate in (run, joined):
            # 12 base-32 characters and a check: ids far beyond any database's.
            for end in range(len(prefix) + WIDTH + 1, min(len(candidate), len(prefix) + 13) + 1):
                number = read_reference(candidate[:end], prefix)
                if number is not None and number < 2**62:
                    found.add(number)
    existing = set(PaymentRequest.objects.filter(pk__in=found).values_list("pk", flat=True))
    return existing.pop() if len(existing) == 1 else None


def problem_with(line: StatementLine, request: PaymentRequest | None, agency_id: int) -> str:
    """Why `line` cannot confirm `request`, or "" when it can."""
    if request is None:
        return UNKNOWN_REFERENCE
    if request.collecting_agency_id != agency_id:
        return OTHER_AGENCY
    if request.state != PaymentRequest.State.DUE:
        return NOT_DUE
    if line.amount != request.total:
        return AMOUNT_DIFFERS
    if line.booked_on < timezone.localtime(request.created_at, RECEIPT_ZONE).date():
        return BEFORE_REQUEST
    return ""


def auto_match(line: StatementLine, *, actor) -> StatementLine:
    """Match `line` on its reference, then amount and date; else record why not."""
    agency_id = line.statement.agency_id
    request_id = find_reference(f"{line.description} {line.bank_reference}")
    if request_id is None:
        return _not_matched(line, NO_REFERENCE)
    request = PaymentRequest.objects.filter(pk=request_id).first()
    problem = problem_with(line, request, agency_id)
    if problem or request is None:
        return _not_matched(line, problem)
    try:
        return match_line(line, request, actor=actor, how="auto")
    except PaymentError as error:
        return _not_matched(line, error.code[:32])


def _not_matched(line: StatementLine, problem: str) -> StatementLine:
    StatementLine.objects.filter(pk=line.pk).update(problem=problem)
    line.problem = problem
    return line


@transaction.atomic
def match_line(
    line: StatementLine, request: PaymentRequest, *, actor, how: str = "manual", note: str = ""
) -> StatementLine:
    """The credit `line` is the payment of `request`: a VietQR attempt confirmed (the receipt
    issued) and the line matched to it, in one transaction; refused when either is taken."""
    line = StatementLine.objects.select_for_update().select_related("statement").get(pk=line.pk)
    agency = line.statement.agency
    check_reconcile(actor, agency)
    if line.state != LineState.UNMATCHED:
        raise PaymentError(
            "line_taken", _("This line was matched or set aside already."), status=409
        )
    request = (
        PaymentRequest.objects.select_for_update()
        .select_related("dossier", "collecting_agency")
        .get(pk=request.pk)
    )
    problem = problem_with(line, request, agency.pk)
    if problem:
        raise PaymentError(problem, str(PROBLEMS[problem]), status=409)
    attempt = PaymentAttempt.objects.create(
        request=request,
        method=PaymentAttempt.Method.VIETQR,
        state=PaymentAttempt.State.CREATED,
        amount=line.amount,
        provider_reference=f"bank:{line.fingerprint[:48]}",
        note=note.strip()[:500],
        created_by=actor,
    )
    confirm_attempt(attempt, actor=actor, series=series_for(request), paid_on=line.booked_on)
    line.state, line.attempt, line.problem = LineState.MATCHED, attempt, ""
    line.matched_by, line.matched_at, line.note = actor, timezone.now(), note.strip()[:500]
    try:
        with transaction.atomic():
            line.save(
                update_fields=["state", "attempt", "problem", "matched_by", "matched_at", "note"]
            )
    except IntegrityError as error:  # another transaction matched it (the one-to-one)
        raise PaymentError("line_taken", _("This line was matched already."), status=409) from error
    record_event(
        "statement_line.matched",
        line,
        actor=actor,
        how=how,
        request=request.reference,
        dossier=request.dossier.code,
        amount=line.amount,
    )
    return line


@transaction.atomic
def set_aside(line: StatementLine, *, actor, reason: str) -> StatementLine:
    """Not a fee of ours (or settled otherwise, e.g. refunded by the bank): kept, with why."""
    line = StatementLine.objects.select_for_update().select_related("statement").get(pk=line.pk)
    check_reconcile(actor, line.statement.agency)
    if line.state != LineState.UNMATCHED:
        raise PaymentError(
            "line_taken", _("This line was matched or set aside already."), status=409
        )
    if not reason.strip():
        raise PaymentError("reason_required", _("Say why the line is set aside."))
    line.state, line.note = LineState.SET_ASIDE, reason.strip()[:500]
    line.matched_by, line.matched_at = actor, timezone.now()
    line.save(update_fields=["state", "note", "matched_by", "matched_at"])
    record_event("statement_line.set_aside", line, actor=actor, reason=line.note)
    return line


def candidates(line: StatementLine, limit: int = 20) -> list[PaymentRequest]:
    """Due requests of the line's agency for its amount, made on or before its date (and
    up to 30 days before), the closest first: for the cashier to choose from."""
    until = line.booked_on + timedelta(days=1)
    found = PaymentRequest.objects.filter(
        collecting_agency_id=line.statement.agency_id,
        state=PaymentRequest.State.DUE,
        total=line.amount,
        created_at__date__lt=until,
        created_at__date__gte=line.booked_on - timedelta(days=30),
    ).select_related("dossier")
    return list(found.order_by("-created_at")[:limit])


def request_by_reference_or_code(agency_id: int, text: str) -> PaymentRequest | None:
    """The due request a cashier typed: its payment reference or its dossier's code."""
    text = text.strip()
    number = read_reference(text, conf.reference_prefix())
    due = PaymentRequest.objects.filter(collecting_agency_id=agency_id)
    if number is not None:
        return due.filter(pk=number).first()
    return due.filter(dossier__code=text, state=PaymentRequest.State.DUE).order_by("pk").first()


def day_range(day: date):
    from datetime import datetime, time

    start = datetime.combine(day, time.min, tzinfo=RECEIPT_ZONE)
    return start, start + timedelta(days=1)
