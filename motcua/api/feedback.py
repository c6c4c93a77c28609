"""Feedback API: the register of feedback and complaints (phản ánh, kiến nghị) and the
ratings' aggregates for staff, and the signed-in citizen's own items (docs/feedback.md).

* Staff (a token or a staff session): `GET /feedback/items` and `/feedback/items/{reference}`
  read the items of the agencies where they may read them, exactly as the back office's
  register (`feedback.permissions.visible_feedback`): anyone else gets 403 for the list and
  404 for an item. The list carries no personal data; an item gives its sender's name,
  address, phone and e-mail, as the item page does to the same people.
  `GET /feedback/ratings` gives the satisfaction figures per unit, officer, counter,
  procedure or month to report readers and supervisors, over their agencies.
* A signed-in citizen (the national sign-in's session): `GET /feedback/mine`,
  `GET /feedback/mine/{reference}` (their own items only: another's is 404) and
  `POST /feedback/mine` (send one; `Idempotency-Key` makes a retry answer the first item).
  A staff token or session gets 403 there.
"""

from datetime import date, datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import Query, Router, Status
from ninja.errors import ValidationError

from motcua.audit.models import AuditEvent
from motcua.catalogue.models import Procedure
from motcua.feedback import permissions, register, satisfaction, senders, timing
from motcua.feedback.errors import FeedbackError
from motcua.feedback.models import Feedback, Level
from motcua.organisations import permissions as org_permissions
from motcua.organisations.models import Agency

from .auth import STAFF_AUTH
from .errors import error_body
from .idempotency import IdempotencyKey, created
from .schemas.feedback import (
    FeedbackDetailOut,
    FeedbackFilters,
    FeedbackIn,
    FeedbackPageOut,
    MyFeedbackOut,
    MyFeedbackPageOut,
    RatingFilters,
    RatingSummaryOut,
)
from .schemas.paging import PageFilters, page_of
from .schemas.responses import answers

router = Router(tags=["feedback"], auth=STAFF_AUTH)
MAX_DAYS = 3653
LEVEL_KEYS = {
    Level.VERY_SATISFIED: "very_satisfied",
    Level.SATISFIED: "satisfied",
    Level.ACCEPTABLE: "acceptable",
    Level.DISSATISFIED: "dissatisfied",
}


def _forbidden(message: str) -> Status:
    return Status(403, error_body("forbidden", message))


def _invalid(param: str, message: str, kind: str) -> ValidationError:
    return ValidationError([{"loc": ["query", param], "msg": message, "type": kind}])


def _start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min), timezone.get_default_timezone())


def _feedback_error(error: FeedbackError) -> Status:
    return Status(error.status, error_body(error.code, error.message))


# --- Staff: the register ----------------------------------------------------------------------


def _deadlines(item: Feedback, now: datetime) -> dict:
    return {
        "forward_by": item.forward_due_at,
        "refuse_by": item.refuse_due_at,
        "supplement_by": item.supplement_due_at,
        "handle_by": item.handle_due_at,
        "publish_by": item.publish_due_at,
        "running": timing.current_due(item),
        "overdue": timing.is_overdue(item, now),
        "missed": timing.missed(item, now),
    }


def _item(item: Feedback, now: datetime) -> dict:
    return {
        "reference": item.reference,
        "state": item.state,
        "source": item.source,
        "subject": item.subject,
        "classification": item.classification or None,
        "title": item.title,
        "receiving_agency": item.agency.code,
        "handling_agency": item.handling_agency.code,
        "received_at": item.received_at,
        "answered_at": item.answered_at,
        "approved_at": item.approved_at,
        "published_at": item.published_at,
        "refused_at": item.refused_at,
        "verdict": item.verdict or None,
        "sender_liked": item.sender_liked,
        "deadlines": _deadlines(item, now),
    }


def _username(user) -> str | None:
    return user.get_username() if user is not None else None


def _history(item: Feedback) -> list[dict]:
    events = AuditEvent.objects.filter(target_type="feedback.feedback", target_id=str(item.pk))
    rows = events.select_related("actor").order_by("created_at", "pk")
    return [{"action": e.action, "at": e.created_at, "actor": _username(e.actor)} for e in rows]


def _visible_agency(user, code: str) -> int:
    """The id of agency `code` if the user may read its items; 404 otherwise."""
    allowed = org_permissions.agency_ids_for_any(user, permissions.READ)
    pk = Agency.objects.filter(code=code).values_list("pk", flat=True).first()
    if pk is None or (allowed is not None and pk not in allowed):
        raise Http404
    return pk


@router.get(
    "/items",
    response=answers(FeedbackPageOut, (401, 403, 404, 422)),
    summary="Feedback and complaints in the register",
)
def list_items(request: HttpRequest, filters: Query[FeedbackFilters], paging: Query[PageFilters]):
    """The items received or handled by the agencies where the caller may read them (the
    register page's scope), newest first, with their state and deadlines; no personal data.
    Filters: state, overdue (past the deadline running now), received from/to (local days),
    agency (an agency code: 404 when the caller may not read its items). Needs a role that
    reads dossiers or supervises (403)."""
    user = request.user
    if not permissions.may_read_any(user):
        return _forbidden(_("You may not read the feedback register."))
    found = permissions.visible_feedback(user)
    if filters.state:
        found = found.filter(state=filters.state)
    if filters.received_from:
        found = found.filter(received_at__gte=_start(filters.received_from))
    if filters.received_to:
        found = found.filter(received_at__lt=_start(filters.received_to + timedelta(days=1)))
    if filters.agency:
        pk = _visible_agency(user, filters.agency)
        found = found.filter(Q(agency_id=pk) | Q(handling_agency_id=pk))
    now = timezone.now()
    if filters.overdue is not None:
        # timing.is_overdue in SQL: the deadline running now has passed.
        late = Q(state__in=timing.OPEN_HANDLING, handle_due_at__lt=now) | Q(
            state=Feedback.State.AWAITING_PUBLICATION, publish_due_at__lt=now
        )
        found = found.filter(late) if filters.overdue else found.exclude(late)
    page = page_of(found.order_by("-received_at", "-pk"), paging)
    page["results"] = [_item(item, now) for item in page["results"]]
    return Status(200, page)


@router.get(
    "/items/{reference}",
    response=answers(FeedbackDetailOut, (401, 404, 422)),
    summary="One item of the register, with its sender and history",
)
def get_item(request: HttpRequest, reference: str):
    """The item if the caller may read it (404 otherwise, whether or not it exists): its
    content, the sender's name, address, phone and e-mail (Decree 20/2008 art. 7; the staff
    of the receiving and handling agencies and their supervisors see them, as on the item
    page), the answer, the published texts and the audit history."""
    user = request.user
    item = (
        permissions.visible_feedback(user)
        .select_related("dossier", "follow_up_of", "officer", "handler")
        .filter(reference=reference)
        .first()
    )
    if item is None:
        raise Http404
    body = _item(item, timezone.now())
    body.update(
        body=item.body,
        dossier=item.dossier.code if item.dossier else None,
        follow_up_of=item.follow_up_of.reference if item.follow_up_of else None,
        sender={
            "name": item.sender_name,
            "address": item.sender_address,
            "phone": item.sender_phone,
            "email": item.sender_email,
        },
        officer=_username(item.officer),
        handler=_username(item.handler),
        refusal_reason=item.refusal_reason,
        supplement_note=item.supplement_note,
        supplement_text=item.supplement_text,
        answer=item.answer,
        public_title=item.public_title,
        public_body=item.public_body,
        public_answer=item.public_answer,
        history=_history(item),
    )
    return Status(200, body)


# --- Staff: ratings -----------------------------------------------------------------------------


def _row_keys(by: str, keys: set) -> dict:
    """The public key of each group: agency or procedure code, user name, month."""
    keys = {k for k in keys if k is not None}
    if by == satisfaction.By.UNIT:
        return dict(Agency.objects.filter(pk__in=keys).values_list("pk", "code"))
    if by == satisfaction.By.PROCEDURE:
        return dict(Procedure.objects.filter(pk__in=keys).values_list("pk", "code"))
    if by == satisfaction.By.OFFICER:
        users = get_user_model().objects.filter(pk__in=keys)
        return {u.pk: u.get_username() for u in users}
    if by == satisfaction.By.MONTH:
        return {k: timezone.localtime(k).strftime("%Y-%m") for k in keys}
    return {k: str(k) for k in keys}


def _rating_row(row: satisfaction.Row, key: str | None) -> dict:
    percent = row.satisfied_percent
    return {
        "key": key,
        "label": row.label,
        "ratings": row.total,
        "levels": {name: row.levels.get(level, 0) for level, name in LEVEL_KEYS.items()},
        "satisfied_percent": str(percent) if percent is not None else None,
        "likes": row.likes,
        "dislikes": row.dislikes,
    }


@router.get(
    "/ratings",
    response=answers(RatingSummaryOut, (401, 403, 404, 422)),
    summary="Satisfaction: ratings per unit, officer, counter, procedure or month",
)
def ratings(request: HttpRequest, filters: Query[RatingFilters]):
    """Ratings given from `from` to `to` (local days, both included) on dossiers received
    or resolved by the agencies where the caller reads reports or supervises, per
    `group_by`, optionally one channel or one agency (404 outside the caller's): the count
    per level of the four-level scale, the share satisfied (very satisfied + satisfied, the
    figure a centre announces each quarter), likes and dislikes; as the back office's
    satisfaction report. Needs the view-reports or supervise capability (403)."""
    user = request.user
    if not permissions.may_read_reports(user):
        return _forbidden(_("You may not view reports."))
    if filters.date_to < filters.date_from:
        raise _invalid("to", "The period ends before it starts", "period_reversed")
    if (filters.date_to - filters.date_from).days >= MAX_DAYS:
        raise _invalid("to", f"The period is longer than {MAX_DAYS} days", "period_too_long")
    allowed = permissions.report_agency_ids(user)
    ids = allowed
    if filters.agency:
        pk = Agency.objects.filter(code=filters.agency).values_list("pk", flat=True).first()
        if pk is None or (allowed is not None and pk not in allowed):
            raise Http404
        ids = {pk}
    after = filters.date_to + timedelta(days=1)
    found = satisfaction.ratings_in(filters.date_from, after, ids, filters.channel or "")
    by = str(filters.group_by)
    rows, total = satisfaction.build(found, by)
    keys = _row_keys(by, {row.key for row in rows})
    codes = None
    if ids is not None:
        codes = list(
            Agency.objects.filter(pk__in=ids).order_by("code").values_list("code", flat=True)
        )
    return Status(
        200,
        {
            "period": {"first": filters.date_from, "last": filters.date_to},
            "group_by": by,
            "channel": filters.channel or None,
            "agencies": codes,
            "rows": [_rating_row(row, keys.get(row.key)) for row in rows],
            "total": _rating_row(total, None),
        },
    )


# --- The signed-in citizen ------------------------------------------------------------------


def _citizen(request: HttpRequest):
    """The caller's citizen account, or None (a staff token or session)."""
    if getattr(request, "api_token", None) is not None:
        return None
    return senders.account_of(request)


def _mine(item: Feedback) -> dict:
    published = item.state == Feedback.State.PUBLISHED
    return {
        "reference": item.reference,
        "state": item.state,
        "subject": item.subject,
        "title": item.title,
        "body": item.body,
        "dossier": item.dossier.code if item.dossier else None,
        "agency": item.handling_agency.name,
        "received_at": item.received_at,
        "handle_by": item.handle_due_at,
        "supplement_asked": item.supplement_note
        if item.state == Feedback.State.SUPPLEMENT_REQUESTED
        else "",
        "refusal_reason": item.refusal_reason if item.state == Feedback.State.REFUSED else "",
        "answer": item.answer if published else "",
        "published_at": item.published_at,
        "liked": item.sender_liked,
    }


def _own(request: HttpRequest):
    return Feedback.objects.filter(sender_user_id=request.user.pk).select_related(
        "dossier", "handling_agency"
    )


NOT_CITIZEN = gettext_lazy("Sign in as a citizen (the national sign-in) to use this.")


@router.get(
    "/mine",
    response=answers(MyFeedbackPageOut, (401, 403, 422)),
    summary="The signed-in citizen's own feedback",
)
def my_items(request: HttpRequest, paging: Query[PageFilters]):
    """The items the signed-in citizen sent (from the portal or this API), newest first,
    with their state, the handling deadline and, once published, the answer. Only with a
    citizen's session (403 for staff)."""
    if _citizen(request) is None:
        return _forbidden(str(NOT_CITIZEN))
    page = page_of(_own(request).order_by("-received_at", "-pk"), paging)
    page["results"] = [_mine(item) for item in page["results"]]
    return Status(200, page)


@router.get(
    "/mine/{reference}",
    response=answers(MyFeedbackOut, (401, 403, 404, 422)),
    summary="One of the signed-in citizen's own items",
)
def my_item(request: HttpRequest, reference: str):
    """One of the caller's own items; another person's, or none, is 404."""
    if _citizen(request) is None:
        return _forbidden(str(NOT_CITIZEN))
    item = _own(request).filter(reference=reference).first()
    if item is None:
        raise Http404
    return Status(200, _mine(item))


@router.post(
    "/mine",
    response=answers(MyFeedbackOut, (400, 401, 403, 404, 422), status=201),
    summary="Send feedback or a complaint as the signed-in citizen",
)
def send(request: HttpRequest, data: FeedbackIn, idempotency_key: IdempotencyKey = None):
    """Send feedback (Decree 20/2008 arts. 6-7): the name and phone default to the account's;
    a dossier named must be the citizen's own (400 `dossier_not_found`), the item sent again
    about one of their published ones. Goes to the agency named (404 if unknown), the
    dossier's receiving agency, or the one-stop centre. With `Idempotency-Key`, a retry
    answers the first item instead of sending again. Only with a citizen's session (403)."""
    account = _citizen(request)
    if account is None:
        return _forbidden(str(NOT_CITIZEN))
    phone = data.phone if data.phone is not None else account.phone
    name = data.name if data.name is not None else account.full_name
    try:
        dossier = senders.sender_dossier(data.dossier or "", account, phone)
        follow_up = senders.sender_follow_up(data.follow_up_of or "", account, phone)
    except FeedbackError as error:
        return _feedback_error(error)
    if dossier is not None:
        agency: Agency | None = dossier.receiving_agency
    elif data.agency:
        agency = senders.sending_agencies().filter(code=data.agency).first()
    else:
        agency = senders.default_agency()
    if agency is None:
        raise Http404
    submission = register.Submission(
        source=Feedback.Source.PORTAL,
        agency=agency,
        sender=register.Sender(name, data.address, phone, data.email or "", account.user),
        subject=data.subject,
        title=data.title,
        body=data.body,
        dossier=dossier,
        follow_up_of=follow_up,
    )

    def create() -> Feedback:
        item, _created = register.receive_feedback(submission, actor=account.user)
        return Feedback.objects.select_related("dossier", "handling_agency").get(pk=item.pk)

    try:
        return created(request, idempotency_key, create, render=_mine, schema=MyFeedbackOut)
    except FeedbackError as error:
        return _feedback_error(error)
