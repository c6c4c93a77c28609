"""Asking other agencies for their opinion (lấy ý kiến): Decree 61/2018 art. 19.5.

The request states its content and a deadline; the answer goes into the system. A late
answer is still accepted and marked late (the decree escalates late answers to the head of
the one-stop section: queues.overdue_consultations lists them).
"""

from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.organisations.models import Agency
from motcua.workdays.loader import get_calendar

from . import attachments, policy
from .errors import DossierError
from .events import record
from .flow import lock, move, plan_of, require_active, require_text
from .models import Attachment, Consultation, Dossier
from .policy import Operation
from .status import Action


def _deadline(now: datetime, days: int | Decimal | None, at: datetime | None) -> datetime:
    if (days is None) == (at is None):
        raise DossierError(
            "deadline_required", _("Give the answer deadline in working days or as a date.")
        )
    if at is not None:
        if at <= now:
            raise DossierError("deadline_in_past", _("The answer deadline must be later."))
        return at
    if days <= 0:
        raise DossierError("deadline_in_past", _("The answer deadline must be later."))
    if Decimal(days) * 2 % 1:
        message = _("The answer deadline is counted in whole or half working days.")
        raise DossierError("invalid_deadline", message)
    return get_calendar().add_working_days(now, days)


@transaction.atomic
def request_consultation(
    dossier: Dossier,
    *,
    actor,
    to_agency: Agency,
    content: str,
    deadline_days: int | Decimal | None = None,
    deadline_at: datetime | None = None,
) -> Consultation:
    """Ask `to_agency` for its opinion on the step in progress, by a deadline given in
    working days (counted like a time limit: close of business of the last day) or as a
    moment (Decree 61/2018 art. 19.5). By the step's assignee, a holder of its role, or
    someone who may assign it."""
    dossier = lock(dossier)
    previous = move(dossier, Action.REQUEST_CONSULTATION)
    step = require_active(plan_of(dossier))
    policy.check(actor, Operation.CONSULT, dossier, step)
    content = require_text(content, "content_required", _("Say what the opinion is about."))
    now = timezone.now()
    consultation = Consultation.objects.create(
        dossier=dossier,
        step=step,
        to_agency=to_agency,
        content=content,
        requested_at=now,
        requested_by=actor,
        deadline_at=_deadline(now, deadline_days, deadline_at),
    )
    dossier.save(update_fields=["status", "updated_at"])
    record(
        dossier,
        Action.REQUEST_CONSULTATION,
        actor=actor,
        from_status=previous,
        step=step,
        note=content,
        at=now,
        consultation=consultation.pk,
        to_agency=to_agency.pk,
        to_agency_name=to_agency.name,
        deadline_at=consultation.deadline_at,
    )
    return consultation


# Files an answer may carry (each checked as any attachment: attachments.prepare).
MAX_ANSWER_FILES = 10


@transaction.atomic
def answer_consultation(
    consultation: Consultation, *, actor, answer: str, files: Sequence[UploadedFile] = ()
) -> Consultation:
    """Record the consulted agency's answer, with its files if any (an opinion is often a
    signed official letter, scanned or as a PDF) (Decree 61/2018 art. 19.5). By an officer
    of that agency (processing, assigning or approving there); once. Every file is checked
    before anything is written; the files belong to the consultation and to the dossier."""
    dossier = lock(Dossier(pk=consultation.dossier_id))  # the dossier first, as everywhere
    consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
    previous = move(dossier, Action.ANSWER_CONSULTATION)
    policy.check(actor, Operation.ANSWER_CONSULTATION, dossier, consultation=consultation)
    if consultation.answered_at is not None:
        raise DossierError("already_answered", _("This consultation has been answered."))
    text = require_text(answer, "answer_required", _("Write the answer."))
    if len(files) > MAX_ANSWER_FILES:
        message = _("An answer can carry at most %(count)s files.") % {"count": MAX_ANSWER_FILES}
        raise DossierError("too_many_files", message, status=422)
    prepared = [
        attachments.prepare(
            dossier,
            actor=actor,
            upload=upload,
            kind=Attachment.Kind.OPINION,
            consultation=consultation,
        )
        for upload in files
    ]
    now = timezone.now()
    consultation.answer = text
    consultation.answered_at, consultation.answered_by = now, actor

    def save_rows() -> None:
        consultation.save(update_fields=["answer", "answered_at", "answered_by"])
        for attachment, _upload in prepared:
            attachment.save()
        dossier.save(update_fields=["status", "updated_at"])
        record(
            dossier,
            Action.ANSWER_CONSULTATION,
            actor=actor,
            from_status=previous,
            step=consultation.step,
            note=consultation.answer,
            at=now,
            consultation=consultation.pk,
            late=now > consultation.deadline_at,
            files=[
                {"attachment": a.pk, "name": a.original_name, "size": a.size}
                for a, _upload in prepared
            ],
        )

    attachments.store(prepared, save_rows)
    return consultation
