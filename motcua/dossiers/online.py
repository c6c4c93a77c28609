"""What the applicant does online on their own dossier (issue 15 §3; capabilities.md §2.3-2.4).

* **Send a supplement** while the dossier waits for one (status 5, asked at reception or
  after appraisal): the missing items only, each with its files, and a note. The files are
  the dossier's scans at once, marked as the applicant's; the back office sees the reply
  highlighted on the dossier (OpenCPS #1137: changes should be visible). The clock does not
  move here: it runs again once, by the request's policy, when a clerk receives the
  supplement (supplements.receive_supplement; intake.receive_submitted before receipt), so
  several replies to one request never restart it twice.
* **Ask to withdraw** (status 7 follows when an officer of the receiving agency confirms it,
  closing.withdraw, as the policy table says: the applicant asks, the clerk records).

Only the person whose verified identity number the dossier carries may do either
(permissions.account_dossiers); anyone else gets a 404, as for reading it.
"""

from dataclasses import dataclass
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from . import attachments as files
from .errors import DossierError
from .events import record
from .flow import lock
from .models import Attachment, Dossier, DossierComponent, DossierEvent
from .permissions import get_account_dossier
from .status import Action, transition

SUPPLEMENT_REQUESTS = (Action.REQUEST_SUPPLEMENT, Action.REQUEST_SUPPLEMENT_AT_RECEPTION)
MAX_NOTE = 2000


@dataclass(frozen=True)
class Item:
    """One thing the agency asked for: its name, the reason, the checklist document."""

    index: int
    name: str
    reason: str
    component_id: int | None


def supplement_request(dossier: Dossier) -> DossierEvent | None:
    """The latest request to supplement (at reception or after appraisal), if any."""
    return (
        dossier.events.filter(action__in=SUPPLEMENT_REQUESTS).order_by("-created_at", "-pk").first()
    )


def requested_items(event: DossierEvent | None) -> list[Item]:
    if event is None:
        return []
    raw = event.data.get("items") or event.data.get("missing") or []
    return [
        Item(i, str(r.get("name", "")), str(r.get("reason", "")), r.get("component_id"))
        for i, r in enumerate(raw)
    ]


def replies(dossier: Dossier, since: DossierEvent | None) -> list[DossierEvent]:
    """The applicant's online replies to the request `since` (oldest first)."""
    if since is None:
        return []
    return list(
        dossier.events.filter(action=Action.SEND_SUPPLEMENT_ONLINE, pk__gt=since.pk).order_by("pk")
    )


def _mine(code: str, account) -> Dossier:
    found = get_account_dossier(account, code)
    return lock(found)


def _component_for(dossier: Dossier, item: Item) -> DossierComponent | None:
    """The dossier's line for the checklist document the item names (added if the dossier
    did not hold it yet: it holds it now, digitised)."""
    if item.component_id is None:
        return None
    line = dossier.components.filter(component_id=item.component_id).first()
    if line is None:
        line = DossierComponent.objects.create(
            dossier=dossier,
            component_id=item.component_id,
            name=item.name[:2000],
            is_digitised=True,
        )
    elif not line.is_digitised:
        line.is_digitised = True
        line.save(update_fields=["is_digitised"])
    return line


@transaction.atomic
def send_supplement(
    code: str, *, account, note: str, uploads: dict[int, list[UploadedFile]]
) -> DossierEvent:
    """The applicant's reply to the supplement request: files per requested item (by its
    index) and a note; at least one of them. Everything is checked before anything is
    written; a failure changes nothing."""
    dossier = _mine(code, account)
    transition(dossier.status, Action.SEND_SUPPLEMENT_ONLINE)
    request = supplement_request(dossier)
    items = {item.index: item for item in requested_items(request)}
    note = note.strip()
    if len(note) > MAX_NOTE:
        raise DossierError("note_too_long", _("The note can be at most %d characters.") % MAX_NOTE)
    if not note and not any(uploads.values()):
        raise DossierError(
            "supplement_empty", _("Attach the documents asked for, or write a note."), status=422
        )
    if set(uploads) - set(items):
        raise DossierError("unknown_item", _("That item was not asked for."), status=422)
    prepared = []
    for index, chosen in sorted(uploads.items()):
        line = _component_for(dossier, items[index]) if chosen else None
        for upload in chosen:
            prepared.append(
                files.prepare(
                    dossier,
                    actor=account.user,
                    upload=upload,
                    kind=Attachment.Kind.SCAN,
                    component=line,
                )
            )
    rows = [attachment for attachment, _upload in prepared]
    files.store(prepared, lambda: Attachment.objects.bulk_create(rows))
    return record(
        dossier,
        Action.SEND_SUPPLEMENT_ONLINE,
        actor=account.user,
        from_status=dossier.status,
        note=note,
        answers=request.pk if request else None,
        attachments=[a.pk for a in rows],
        names=[a.original_name for a in rows],
        items=sorted({items[i].name for i, chosen in uploads.items() if chosen}),
    )


def pending_withdrawal(dossier: Dossier) -> DossierEvent | None:
    """The applicant's request to withdraw while the dossier is open (the officer's
    confirmation, closing.withdraw, closes it)."""
    if dossier.is_closed:
        return None
    return dossier.events.filter(action=Action.ASK_WITHDRAWAL).order_by("-pk").first()


@transaction.atomic
def ask_withdrawal(code: str, *, account, reason: str) -> DossierEvent:
    """Ask the receiving agency to withdraw the dossier; asking again while a request waits
    answers the first one (a double click records one request)."""
    dossier = _mine(code, account)
    transition(dossier.status, Action.ASK_WITHDRAWAL)
    reason = reason.strip()
    if not reason:
        raise DossierError("reason_required", _("Say why you withdraw the dossier."), status=422)
    if len(reason) > MAX_NOTE:
        raise DossierError("note_too_long", _("The note can be at most %d characters.") % MAX_NOTE)
    waiting = pending_withdrawal(dossier)
    if waiting is not None:
        return waiting
    return record(
        dossier, Action.ASK_WITHDRAWAL, actor=account.user, from_status=dossier.status, note=reason
    )


def describe(event: DossierEvent) -> dict[str, Any]:
    """An applicant's online reply as the back office shows it."""
    ids = event.data.get("attachments", [])
    return {
        "event": event,
        "attachments": list(Attachment.objects.filter(pk__in=ids).order_by("pk")),
        "items": event.data.get("items", []),
    }
