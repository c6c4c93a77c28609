"""Appraised scores of the nine indicators (Circular 01/2018/TT-VPCP: the unit scores itself,
the body above it appraises; the report has a self-score column and an appraised column).

Who appraises: a supervisor (SUPERVISE) of an agency strictly above the unit (a unit never
appraises itself). What: per unit, period (its first and last days, once the period has
ended) and indicator, a score from 0 to 2 with one decimal, and a note. Every creation,
change and removal is an audit event with its actor; sending the same scores again changes
nothing (a double submit applies once). Appraisals of one unit are serialised by locking
the unit's row.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from motcua.audit.services import record_event
from motcua.organisations.models import Agency, Membership
from motcua.organisations.permissions import is_system_admin
from motcua.organisations.roles import Capability, role_grants

from . import scoring as s
from .models import Appraisal
from .scope import Period

NUMBERS = range(1, 10)


def appraisable_ids(user) -> set[int] | None:
    """Agencies `user` may appraise: every agency below one where they hold SUPERVISE, not
    that agency itself (None: all, for a system administrator)."""
    if not user.is_authenticated or not user.is_active:
        return set()
    if user.is_superuser or is_system_admin(user):
        return None
    rows = Membership.objects.active().filter(user=user).values_list("agency_id", "role")
    above = {a for a, role in rows if role_grants(role, Capability.SUPERVISE)}
    found: set[int] = set()
    frontier = above
    while frontier:
        frontier = (
            set(Agency.objects.filter(parent_id__in=frontier).values_list("id", flat=True)) - found
        )
        found |= frontier
    return found


def may_appraise(user, agency_id: int) -> bool:
    ids = appraisable_ids(user)
    return ids is None or agency_id in ids


@dataclass
class Appraised:
    """The appraised scores of a unit for a period (indicator -> score, note)."""

    scores: dict[int, Decimal]
    notes: dict[int, str]

    @property
    def total(self) -> Decimal | None:
        """The appraised total: only when all nine indicators are appraised."""
        return s.total(self.scores.get(n) for n in NUMBERS)

    @property
    def grade(self) -> s.UnitGrade | None:
        return s.unit_grade(self.total)


def appraised(period: Period, agency_ids) -> dict[int, Appraised]:
    """agency id -> its appraised scores for exactly `period` (one query)."""
    rows = Appraisal.objects.filter(
        agency_id__in=list(agency_ids), first=period.first, last=period.last
    ).values_list("agency_id", "indicator", "score", "note")
    found: dict[int, Appraised] = {}
    for agency_id, number, score, note in rows:
        entry = found.setdefault(agency_id, Appraised({}, {}))
        entry.scores[number] = score
        entry.notes[number] = note
    return found


@dataclass(frozen=True)
class Change:
    indicator: int
    action: str  # appraisal.set, appraisal.changed, appraisal.cleared


@transaction.atomic
def save_scores(
    agency: Agency, period: Period, scores: dict[int, tuple[Decimal | None, str]], *, actor
) -> list[Change]:
    """Write the appraised `scores` (indicator -> (score or None to clear, note)) of
    `agency` for `period`; returns what changed (nothing for the same scores again)."""
    Agency.objects.select_for_update().filter(pk=agency.pk).first()
    existing = {
        a.indicator: a
        for a in Appraisal.objects.select_for_update().filter(
            agency=agency, first=period.first, last=period.last
        )
    }
    now = timezone.now()
    changes = []
    for number, (score, note) in sorted(scores.items()):
        old = existing.get(number)
        data = {"indicator": number, "first": str(period.first), "last": str(period.last)}
        if score is None:
            if old is None:
                continue
            record_event("appraisal.cleared", old, actor=actor, was=str(old.score), **data)
            old.delete()
            changes.append(Change(number, "appraisal.cleared"))
            continue
        if old is None:
            row = Appraisal.objects.create(
                agency=agency,
                first=period.first,
                last=period.last,
                indicator=number,
                score=score,
                note=note,
                appraised_by=actor,
                appraised_at=now,
            )
            record_event("appraisal.set", row, actor=actor, score=str(score), note=note, **data)
            changes.append(Change(number, "appraisal.set"))
        elif old.score != score or old.note != note:
            was, old.score, old.note = str(old.score), score, note
            old.appraised_by, old.appraised_at = actor, now
            old.save(update_fields=["score", "note", "appraised_by", "appraised_at"])
            record_event(
                "appraisal.changed", old, actor=actor, score=str(score), was=was, note=note, **data
            )
            changes.append(Change(number, "appraisal.changed"))
    return changes
