"""What a report covers: a period of whole days and a scope of agencies, department,
field, procedure and administrative level (Biểu 06/VPCP/KSTT, domain.md §8).

Pure module; the views resolve who may see which
agencies (organisations.permissions) and pass the ids here.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.organisations.models import Agency

K = Agency.Kind


class Level(models.TextChoices):
    """Administrative level of the agency that resolves the dossier (cấp giải quyết)."""

    MINISTRY = "ministry", _("Ministry level")
    PROVINCE = "province", _("Province level")
    COMMUNE = "commune", _("Commune level")


LEVEL_OF_KIND: dict[str, str] = {
    K.MINISTRY_UNIT: Level.MINISTRY,
    K.PROVINCIAL_COMMITTEE: Level.PROVINCE,
    K.PROVINCIAL_SERVICE_CENTRE: Level.PROVINCE,
    K.PROVINCIAL_DEPARTMENT: Level.PROVINCE,
    K.COMMUNE_COMMITTEE: Level.COMMUNE,
    K.COMMUNE_SERVICE_CENTRE: Level.COMMUNE,
    # Vertical agencies resolve at the level of their office; the provincial office is the
    # common case (a commune police post is recorded as a commune agency by its admin).
    K.POLICE: Level.PROVINCE,
    K.TAX: Level.PROVINCE,
    K.SOCIAL_INSURANCE: Level.PROVINCE,
    K.OTHER_VERTICAL: Level.PROVINCE,
}


class GroupBy(models.TextChoices):
    NONE = "", _("No grouping")
    AGENCY = "agency", _("Resolving agency")
    RECEIVING_AGENCY = "receiving_agency", _("Receiving agency")
    DEPARTMENT = "department", _("Department")
    FIELD = "field", _("Field")
    PROCEDURE = "procedure", _("Procedure")
    LEVEL = "level", _("Level")
    MONTH = "month", _("Month")


@dataclass(frozen=True)
class Period:
    """Whole local days, both ends included."""

    first: date
    last: date

    def __post_init__(self):
        if self.last < self.first:
            raise ValueError("the period ends before it starts")

    @property
    def after(self) -> date:
        return self.last + timedelta(days=1)

    def months(self) -> list["Period"]:
        """The period cut at month boundaries (for trends)."""
        parts, start = [], self.first
        while start <= self.last:
            end = min(self.last, month_end(start))
            parts.append(Period(start, end))
            start = end + timedelta(days=1)
        return parts


def month_start(day: date) -> date:
    return day.replace(day=1)


def next_month(day: date) -> date:
    return date(day.year + day.month // 12, day.month % 12 + 1, 1)


def month_end(day: date) -> date:
    return next_month(day) - timedelta(days=1)


def quarter(year: int, number: int) -> Period:
    first = date(year, 3 * number - 2, 1)
    return Period(first, month_end(date(year, 3 * number, 1)))


@dataclass(frozen=True)
class Scope:
    """Which dossiers: `agency_ids` None = every agency; otherwise dossiers received by
    or resolved at one of them (an inter-agency dossier is one dossier, counted once)."""

    agency_ids: frozenset[int] | None = None
    department_id: int | None = None
    field_id: int | None = None
    procedure_id: int | None = None
    level: str | None = None

    def restricted_to(self, allowed: set[int] | None) -> "Scope":
        """This scope within the agencies a user may see (None = all)."""
        if allowed is None:
            return self
        ids = allowed if self.agency_ids is None else set(self.agency_ids) & set(allowed)
        return Scope(
            frozenset(ids), self.department_id, self.field_id, self.procedure_id, self.level
        )


def level_of(kind: str) -> str:
    """The level of an agency of this kind (province for kinds not listed)."""
    return LEVEL_OF_KIND.get(kind, Level.PROVINCE)


def kinds_of(level: str) -> list[str]:
    """The agency kinds at this level."""
    return [kind for kind, value in LEVEL_OF_KIND.items() if value == level]
