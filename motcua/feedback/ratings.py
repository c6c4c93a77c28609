"""Ratings: one per dossier and channel, editable for a policy window
(conf.rating_edit_hours), every change audited.

Decree 61/2018 arts. 28-31: the applicant's satisfaction is gathered by questionnaires, at
the counter by electronic rating devices and online; art. 31.1 lists the criteria. Online
(portal, a link in a notice) a dossier is rated once it has its result or was returned:
there is a service to judge. A counter device rates the dossier it is serving now (its
token says which: devices.py); staff enter paper questionnaires.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.audit.services import record_event
from motcua.dossiers.models import Dossier
from motcua.dossiers.status import Status

from . import conf
from .errors import FeedbackError
from .models import Channel, Criterion, Level, Rating

WITH_RESULT = (Status.RESOLVED, Status.RETURNED)
ONLINE = (Channel.PORTAL, Channel.NOTICE_LINK)
COMMENT_LIMIT = 2000
SCORED_FIELDS = ("level", "liked", "criteria", "comment")


@dataclass(frozen=True)
class Given:
    """What the applicant gave: the overall level (1-4), a thumb, criterion scores (1-4
    per Criterion), a comment."""

    level: int
    liked: bool | None = None
    criteria: dict[str, int] | None = None
    comment: str = ""

    def cleaned(self) -> dict[str, Any]:
        if self.level not in Level.values:
            raise FeedbackError("invalid_level", _("Choose one of the four levels."), field="level")
        criteria = {}
        for key, value in (self.criteria or {}).items():
            if key not in Criterion.values or value not in Level.values:
                raise FeedbackError(
                    "invalid_criterion", _("A criterion score is not valid."), field="criteria"
                )
            criteria[key] = int(value)
        comment = (self.comment or "").strip()
        if len(comment) > COMMENT_LIMIT:
            raise FeedbackError(
                "comment_too_long",
                _("The comment can be at most %(n)s characters.") % {"n": COMMENT_LIMIT},
                field="comment",
            )
        return {
            "level": int(self.level),
            "liked": self.liked,
            "criteria": criteria,
            "comment": comment,
        }


def may_rate_online(dossier: Dossier) -> bool:
    return dossier.status in WITH_RESULT


def _check_ratable(dossier: Dossier, channel: str) -> None:
    if channel not in Channel.values:
        raise FeedbackError("invalid_channel", _("Unknown rating channel."))
    if channel in ONLINE and not may_rate_online(dossier):
        raise FeedbackError(
            "not_ratable",
            _("A dossier can be rated online once it has its result."),
            status=409,
        )


def _changes(rating: Rating, values: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in values.items() if getattr(rating, k) != v}


@transaction.atomic
def record_rating(
    *,
    dossier: Dossier,
    channel: str,
    given: Given,
    actor=None,
    officer=None,
    counter_code: str = "",
    ticket_number: str = "",
    now: datetime | None = None,
) -> tuple[Rating, bool]:
    """Record the rating of `dossier` on `channel`; (rating, changed). Idempotent: the same
    rating sent again changes nothing. A different one replaces it within the edit window
    (conf.rating_edit_hours) and is refused after it (`rating_closed`). `actor`: who
    entered it (staff for paper, the signed-in citizen, None for a device or a link)."""
    _check_ratable(dossier, channel)
    values = given.cleaned()
    now = now or timezone.now()
    found = Rating.objects.select_for_update().filter(dossier=dossier, channel=channel).first()
    if found is None:
        created = _create(
            dossier, channel, values, actor, officer, counter_code, ticket_number, now
        )
        if created is not None:
            return created, True
        found = Rating.objects.select_for_update().get(dossier=dossier, channel=channel)
    return _change(found, values, actor, now)


def _create(dossier, channel, values, actor, officer, counter_code, ticket_number, now):
    rating = Rating(
        dossier=dossier,
        channel=channel,
        officer=officer,
        procedure_version_id=dossier.procedure_version_id,
        counter_code=(counter_code or "")[:32],
        ticket_number=(ticket_number or "")[:32],
        entered_by=actor if getattr(actor, "pk", None) else None,
        created_at=now,
        updated_at=now,
        editable_until=now + timedelta(hours=conf.rating_edit_hours()),
        **values,
    )
    try:
        with transaction.atomic():  # the same rating sent twice at once: one row
            rating.save()
    except IntegrityError:
        return None
    record_event(
        "rating.recorded",
        rating,
        actor=actor,
        dossier=dossier.code,
        channel=channel,
        level=values["level"],
        liked=values["liked"],
        counter=rating.counter_code,
    )
    return rating


def _change(rating: Rating, values: dict[str, Any], actor, now: datetime) -> tuple[Rating, bool]:
    changes = _changes(rating, values)
    if not changes:
        return rating, False
    if now > rating.editable_until:
        raise FeedbackError(
            "rating_closed",
            _("This rating was given more than %(h)s hours ago and can no longer be changed.")
            % {"h": conf.rating_edit_hours()},
            status=409,
        )
    before = {k: getattr(rating, k) for k in changes}
    for key, value in changes.items():
        setattr(rating, key, value)
    rating.updated_at = now
    rating.save(update_fields=[*changes, "updated_at"])
    record_event(
        "rating.changed",
        rating,
        actor=actor,
        dossier=rating.dossier.code,
        before=before,
        after=changes,
    )
    return rating, True


def rating_of(dossier: Dossier, channel: str) -> Rating | None:
    return Rating.objects.filter(dossier=dossier, channel=channel).first()
