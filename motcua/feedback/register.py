"""The register of feedback and complaints (phản ánh, kiến nghị) and its state machine.

Decree 20/2008/NĐ-CP: a written item is in Vietnamese and gives the sender's name, address
and phone (art. 7; an account is not needed); it is received, entered in the register and
classified (art. 9); items outside the agency's remit are forwarded to the competent one
within 5 working days; the result is published (art. 19). QĐ 766/QĐ-TTg 5.1-5.3 measure
the classification, the deadlines (timing.py) and the sender's opinion of the answer.

    received ─► classified ─┬► refused
         │                  ├► forwarded (to the competent agency) ─┐
         │                  ├► supplement asked (once) ─► handling ◄┘
         │                  └► handling ─► answered ─► awaiting publication ─► published
         └ (refuse, forward, supplement straight from received)          ▲ send back

Every change is one function here: locks the item, checks the state the user saw and the
permission (permissions.may), changes it, records an audit event with its actor, and
enqueues the sender's notice after commit where there is one (notices.py).
"""

import secrets
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.audit.services import record_event
from motcua.dossiers import attachments as files
from motcua.dossiers.errors import DossierError
from motcua.dossiers.models import Dossier
from motcua.organisations.models import Agency
from motcua.outbox.services import enqueue
from motcua.workdays.loader import get_calendar

from . import permissions, timing
from .errors import FeedbackError
from .models import Feedback, FeedbackFile
from .redaction import personal_values, redact

S = Feedback.State
NOTICE_TOPIC = "feedback.notice"
BODY_LIMIT = 5000
MAX_FILES = 5
PHONE_DIGITS = (9, 11)

# action -> the states it is offered in, and the state it leads to.
TRANSITIONS: dict[str, tuple[tuple[str, ...], str]] = {
    "classify": ((S.RECEIVED, S.CLASSIFIED), S.CLASSIFIED),
    "refuse": ((S.RECEIVED, S.CLASSIFIED, S.FORWARDED), S.REFUSED),
    "forward": ((S.RECEIVED, S.CLASSIFIED), S.FORWARDED),
    "ask_supplement": ((S.RECEIVED, S.CLASSIFIED, S.FORWARDED, S.HANDLING), S.SUPPLEMENT_REQUESTED),
    "receive_supplement": ((S.SUPPLEMENT_REQUESTED,), S.HANDLING),
    "start_handling": ((S.CLASSIFIED, S.FORWARDED), S.HANDLING),
    "answer": ((S.CLASSIFIED, S.FORWARDED, S.HANDLING), S.ANSWERED),
    "send_back": ((S.ANSWERED,), S.HANDLING),
    "approve": ((S.ANSWERED,), S.AWAITING_PUBLICATION),
    "publish": ((S.AWAITING_PUBLICATION,), S.PUBLISHED),
}


@dataclass
class Sender:
    name: str
    address: str
    phone: str
    email: str = ""
    user: Any = None


@dataclass
class Submission:
    """A new item as sent or entered."""

    source: str
    agency: Agency
    sender: Sender
    subject: str
    title: str
    body: str
    dossier: Dossier | None = None
    follow_up_of: Feedback | None = None
    received_at: datetime | None = None  # a letter: the date it arrived
    uploads: list[UploadedFile] = field(default_factory=list)
    token: str = ""


def new_token() -> str:
    return secrets.token_urlsafe(24)


def plain(value: str, name: str) -> str:
    """`value` if it holds no control character (NUL, which PostgreSQL refuses, and the
    like; tabs and line breaks are text) nor half of a surrogate pair; refused otherwise
    (the API takes text without the forms' own check)."""
    for char in value:
        if char not in "\t\n\r" and unicodedata.category(char) in ("Cc", "Cs"):
            raise FeedbackError(
                "invalid_characters",
                _("This text holds characters that cannot be stored: remove them."),
                field=name,
            )
    return value


def _required(value: str, code: str, message, name: str, limit: int) -> str:
    value = plain(value or "", name)
    value = " ".join(value.split()) if name != "body" else value.strip()
    if not value:
        raise FeedbackError(code, message, field=name)
    if len(value) > limit:
        raise FeedbackError("too_long", _("At most %(n)s characters.") % {"n": limit}, field=name)
    return value


def clean_phone(phone: str) -> str:
    digits = "".join(c for c in phone or "" if c.isdigit())
    if phone.strip().startswith("+84"):
        digits = "0" + digits[2:]
    if not digits.startswith("0") or not 10 <= len(digits) <= 11:
        raise FeedbackError("invalid_phone", _("Enter a Vietnamese phone number."), field="phone")
    return digits


def _clean(sub: Submission) -> dict:
    """Decree 20/2008 art. 7: name, address and phone are required."""
    sender = sub.sender
    values = {
        "sender_name": _required(
            sender.name, "name_required", _("Enter your full name."), "name", 200
        ),
        "sender_address": _required(
            sender.address, "address_required", _("Enter your address."), "address", 500
        ),
        "sender_phone": clean_phone(sender.phone),
        "sender_email": plain((sender.email or "").strip().lower()[:254], "email"),
        "title": _required(sub.title, "title_required", _("Enter a title."), "title", 200),
        "body": _required(
            sub.body, "body_required", _("Write what it is about."), "body", BODY_LIMIT
        ),
    }
    if sub.subject not in Feedback.Subject.values:
        raise FeedbackError("subject_required", _("Choose what it is about."), field="subject")
    if sub.source not in Feedback.Source.values:
        raise FeedbackError("invalid_source", _("Unknown way of receiving."), field="source")
    if len(sub.uploads) > MAX_FILES:
        raise FeedbackError(
            "too_many_files", _("At most %(n)s files.") % {"n": MAX_FILES}, field="attachments"
        )
    return values


def _prepared_files(uploads: list[UploadedFile]) -> list[tuple[FeedbackFile, UploadedFile]]:
    """Each file checked by its content (PDF, JPEG, PNG, TIFF) and size before anything is
    written, as the dossiers' attachments are."""
    prepared = []
    for upload in uploads:
        try:
            files.check_size(upload)
            sha256, head = files.digest(upload)
            kind = files.sniff(head)
        except DossierError as error:
            raise FeedbackError(
                error.code, error.message, status=error.status, field="attachments"
            ) from None
        row = FeedbackFile(
            original_name=(upload.name or "file")[:255],
            content_type=kind.content_type,
            size=upload.size or 0,
            sha256=sha256,
        )
        row._extension = kind.extension  # type: ignore[attr-defined]
        prepared.append((row, upload))
    return prepared


def _store_files(item: Feedback, prepared) -> None:
    written = []
    try:
        for row, upload in prepared:
            row.feedback = item
            row.file.save(f"{row.sha256}{row._extension}", upload, save=False)
            written.append(row)
        with transaction.atomic():
            FeedbackFile.objects.bulk_create([row for row, _upload in prepared])
    except BaseException:
        for row in written:
            row.file.storage.delete(row.file.name)
        raise


@transaction.atomic
def receive_feedback(sub: Submission, *, actor=None) -> tuple[Feedback, bool]:
    """Enter a new item in the register; (item, created). The same form sent twice (its
    token) gives back the first item."""
    if sub.token:
        found = Feedback.objects.filter(token=sub.token).first()
        if found is not None:
            return found, False
    values = _clean(sub)
    prepared = _prepared_files(sub.uploads)
    now = timezone.now()
    received_at = min(sub.received_at or now, now)
    calendar = get_calendar()
    due = timing.deadlines_from(calendar, received_at)
    item = Feedback(
        **values,
        source=sub.source,
        agency=sub.agency,
        handling_agency=sub.agency,
        sender_user=sub.sender.user if getattr(sub.sender.user, "pk", None) else None,
        subject=sub.subject,
        dossier=sub.dossier,
        follow_up_of=sub.follow_up_of,
        received_at=received_at,
        clock_started_at=received_at,
        forward_due_at=timing.forward_due(calendar, received_at),
        refuse_due_at=due.refuse,
        supplement_due_at=due.supplement,
        handle_due_at=due.handle,
        entered_by=actor if getattr(actor, "pk", None) else None,
        token=sub.token or None,
    )
    try:
        with transaction.atomic():
            item.save()
    except IntegrityError:  # the same token at the same moment
        return Feedback.objects.get(token=sub.token), False
    item.reference = f"PAKN-{timezone.localtime(received_at).year}-{item.pk:06d}"
    item.save(update_fields=["reference"])
    if prepared:
        _store_files(item, prepared)
    record_event(
        "feedback.received",
        item,
        actor=actor,
        source=item.source,
        agency=item.agency_id,
        subject=item.subject,
        dossier=getattr(sub.dossier, "code", ""),
        files=len(prepared),
    )
    return item, True


# --- Transitions ----------------------------------------------------------------------------


def _locked(
    item: Feedback, action: str, actor, seen_state: str | None, *, by_sender: bool = False
) -> Feedback:
    item = (
        Feedback.objects.select_for_update(of=("self",)).select_related("dossier").get(pk=item.pk)
    )
    if seen_state is not None and item.state != seen_state:
        raise FeedbackError(
            "state_changed",
            _("This item was changed meanwhile: it is now “%(state)s”.")
            % {"state": item.get_state_display()},
            status=409,
        )
    allowed, _target = TRANSITIONS[action]
    if item.state not in allowed:
        raise FeedbackError(
            "not_allowed_now",
            _("This cannot be done while the item is “%(state)s”.")
            % {"state": item.get_state_display()},
            status=409,
        )
    if by_sender:
        if actor is None or item.sender_user_id != actor.pk:
            raise FeedbackError("forbidden", _("You may not do this for this item."), status=403)
    elif actor is not None and not permissions.may(actor, action, item):
        raise FeedbackError("forbidden", _("You may not do this for this item."), status=403)
    return item


def _move(item: Feedback, action: str, actor, fields: dict, **data) -> Feedback:
    before = item.state
    item.state = TRANSITIONS[action][1]
    item.updated_at = timezone.now()
    for name, value in fields.items():
        setattr(item, name, value)
    item.save(update_fields=["state", "updated_at", *fields])
    record_event(f"feedback.{action}", item, actor=actor, before=before, after=item.state, **data)
    return item


def _text(value: str, code: str, message, name: str) -> str:
    return _required(value, code, message, name, BODY_LIMIT)


@transaction.atomic
def classify_feedback(item, *, actor, classification: str, officer=None, seen_state=None):
    """Classify the item (QĐ 766 5.1: policy, procedure, staff behaviour, other) and name
    the officer it concerns, if any."""
    item = _locked(item, "classify", actor, seen_state)
    if classification not in Feedback.Classification.values:
        raise FeedbackError(
            "classification_required", _("Choose a classification."), field="classification"
        )
    fields = {
        "classification": classification,
        "officer": officer,
        "classified_at": item.classified_at or timezone.now(),
    }
    return _move(
        item,
        "classify",
        actor,
        fields,
        classification=classification,
        officer=getattr(officer, "pk", None),
    )


@transaction.atomic
def refuse_feedback(item, *, actor, reason: str, seen_state=None):
    """Refuse the item (not a feedback under Decree 20/2008 art. 3, anonymous, already
    answered…) with the reason, within 2 working days; the sender is told."""
    item = _locked(item, "refuse", actor, seen_state)
    reason = _text(reason, "reason_required", _("Give the reason."), "reason")
    item = _move(item, "refuse", actor, {"refusal_reason": reason, "refused_at": timezone.now()})
    enqueue(NOTICE_TOPIC, {"feedback": item.pk, "kind": "refused"}, key=f"{NOTICE_TOPIC}:{item.pk}")
    return item


def _require_classified(item: Feedback) -> None:
    if not item.classification:
        raise FeedbackError(
            "classify_first", _("Classify the item first."), status=409, field="classification"
        )


@transaction.atomic
def forward_feedback(item, *, actor, agency: Agency, note: str = "", seen_state=None):
    """Forward the item to the competent agency (Decree 20/2008 art. 9: within 5 working
    days). Its limits count again from the forwarding date (QĐ 766 5.2)."""
    item = _locked(item, "forward", actor, seen_state)
    _require_classified(item)
    if agency.pk == item.handling_agency_id or not agency.is_active:
        raise FeedbackError("invalid_agency", _("Choose another agency."), field="agency")
    now = timezone.now()
    due = timing.deadlines_from(get_calendar(), now)
    fields = {
        "handling_agency": agency,
        "forwarded_at": now,
        "clock_started_at": now,
        "refuse_due_at": due.refuse,
        "supplement_due_at": due.supplement,
        "handle_due_at": due.handle,
    }
    return _move(item, "forward", actor, fields, to=agency.pk, note=note.strip()[:1000])


@transaction.atomic
def ask_supplement(item, *, actor, note: str, seen_state=None):
    """Ask the sender, once, for what is missing (QĐ 766 5.2: the first request within 5
    working days)."""
    item = _locked(item, "ask_supplement", actor, seen_state)
    if item.supplement_requested_at is not None:
        raise FeedbackError(
            "supplement_once", _("A supplement was already asked once."), status=409
        )
    note = _text(note, "note_required", _("Say what is missing."), "note")
    fields = {"supplement_note": note, "supplement_requested_at": timezone.now()}
    return _move(item, "ask_supplement", actor, fields)


@transaction.atomic
def receive_supplement(item, *, actor, text: str, seen_state=None, by_sender: bool = False):
    """The sender's supplement (by phone or letter, entered by staff; or online by the
    signed-in sender, `by_sender`): a later sending, from which the 15 working days to
    handle count again."""
    item = _locked(item, "receive_supplement", actor, seen_state, by_sender=by_sender)
    text = _text(text, "text_required", _("Enter the supplement."), "text")
    now = timezone.now()
    due = timing.deadlines_from(get_calendar(), now)
    fields = {
        "supplement_text": text,
        "supplement_received_at": now,
        "clock_started_at": now,
        "handle_due_at": due.handle,
    }
    return _move(item, "receive_supplement", actor, fields)


@transaction.atomic
def start_handling(item, *, actor, seen_state=None):
    item = _locked(item, "start_handling", actor, seen_state)
    _require_classified(item)
    return _move(item, "start_handling", actor, {"handler": actor})


@transaction.atomic
def answer_feedback(item, *, actor, answer: str, verdict: str = "", seen_state=None):
    """The handling officer's answer, for the leader's approval. An item about a procedure
    or a dossier needs the verdict: founded, partly founded or not founded (Circular
    01/2018 indicator 7 counts a founded complaint in the period of its answer)."""
    item = _locked(item, "answer", actor, seen_state)
    _require_classified(item)
    answer = _text(answer, "answer_required", _("Write the answer."), "answer")
    verdict = (verdict or "").strip()
    if verdict and verdict not in Feedback.Verdict.values:
        raise FeedbackError("verdict_invalid", _("Choose one of the verdicts."), field="verdict")
    if not verdict and item.needs_verdict:
        raise FeedbackError(
            "verdict_required",
            _("Say whether the feedback was founded: it is about a procedure or a dossier."),
            field="verdict",
        )
    fields = {
        "answer": answer,
        "answered_at": timezone.now(),
        "handler": item.handler or actor,
        "verdict": verdict,
    }
    return _move(item, "answer", actor, fields, verdict=verdict)


@transaction.atomic
def send_back(item, *, actor, note: str, seen_state=None):
    item = _locked(item, "send_back", actor, seen_state)
    note = _text(note, "note_required", _("Say what to change."), "note")
    return _move(item, "send_back", actor, {}, note=note[:1000])


@transaction.atomic
def approve_answer(item, *, actor, seen_state=None):
    """The leader approves the answer: the item is handled (QĐ 766 5.2: "awaiting
    publication" within 15 working days) and is to be published within 2."""
    item = _locked(item, "approve", actor, seen_state)
    now = timezone.now()
    fields = {"approved_at": now, "publish_due_at": timing.publish_due(get_calendar(), now)}
    return _move(item, "approve", actor, fields)


def proposed_publication(item: Feedback) -> dict[str, str]:
    """The published texts as first proposed: the item's own, redacted (redaction.py)."""
    known = personal_values(item)
    return {
        "public_title": redact(item.title, known=known),
        "public_body": redact(item.body, known=known),
        "public_answer": redact(item.answer, known=known),
    }


@transaction.atomic
def publish_answer(item, *, actor, title: str, body: str, answer: str, seen_state=None):
    """Publish the question and the answer on the portal without personal data (what is
    typed is redacted again), and tell the sender (Decree 20/2008 art. 19)."""
    item = _locked(item, "publish", actor, seen_state)
    known = personal_values(item)
    fields = {
        "public_title": redact(
            _required(title, "title_required", _("Enter a title."), "title", 200), known=known
        ),
        "public_body": redact(
            _text(body, "body_required", _("Write what it is about."), "body"), known=known
        ),
        "public_answer": redact(
            _text(answer, "answer_required", _("Write the answer."), "answer"), known=known
        ),
        "published_at": timezone.now(),
    }
    item = _move(item, "publish", actor, fields)
    enqueue(
        NOTICE_TOPIC, {"feedback": item.pk, "kind": "answered"}, key=f"{NOTICE_TOPIC}:{item.pk}"
    )
    return item


@transaction.atomic
def react_to_answer(item: Feedback, *, liked: bool, actor=None) -> Feedback:
    """The sender likes or dislikes the published answer (QĐ 766 5.3); they may change their
    mind, the last opinion counts. Idempotent."""
    item = Feedback.objects.select_for_update().get(pk=item.pk)
    if item.state != S.PUBLISHED:
        raise FeedbackError("not_published", _("The answer is not published yet."), status=409)
    if item.sender_liked is liked:
        return item
    before = item.sender_liked
    item.sender_liked, item.reacted_at = liked, timezone.now()
    item.save(update_fields=["sender_liked", "reacted_at"])
    record_event("feedback.reacted", item, actor=actor, before=before, after=liked)
    return item


def offered_actions(user, item: Feedback) -> list[str]:
    """The actions `user` may take on `item` now (the page's forms)."""
    found = [a for a, (states, _t) in TRANSITIONS.items() if item.state in states]
    if item.supplement_requested_at is not None and "ask_supplement" in found:
        found.remove("ask_supplement")
    return [a for a in found if permissions.may(user, a, item)]
