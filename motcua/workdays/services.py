"""Changes to the working-day calendar. Every change goes through here and is audited.

Labour Code 2019 art. 112.3: the Prime Minister fixes the exact Tết and National Day days
each year, and working days are swapped by annual notice (domain.md §6.3); the override
table records such notices, and local decisions, on top of the holidays package.
"""

import uuid
from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from motcua.audit.services import record_event
from motcua.organisations.permissions import can
from motcua.organisations.roles import Capability
from motcua.outbox.services import enqueue

from .errors import WorkdaysError
from .models import CalendarOverride

FIRST_YEAR = 1990
LAST_YEAR = 2100

# The outbox topic of a committed change of the calendar, payload {"day": ISO date}. Apps
# that keep deadlines consume it (the dossiers app moves open deadlines), so that this app
# never imports them; the message is written in the change's transaction, so no change is
# left without its recomputation, and a failed one is retried (outbox).
CALENDAR_CHANGED = "workdays.calendar_changed"


def _changed(day: date) -> None:
    enqueue(CALENDAR_CHANGED, {"day": day}, key=f"{CALENDAR_CHANGED}:{day}:{uuid.uuid4().hex}")


def _check_actor(actor) -> None:
    if actor is not None and not can(actor, Capability.MANAGE_CALENDAR):
        raise WorkdaysError(
            "permission_denied", _("You may not change the working-day calendar."), status=403
        )


def check_override_values(day: date, kind: str, name: str) -> None:
    """WorkdaysError unless the values make a valid override (forms validate with it)."""
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        message = _("The date must fall between %(first)s and %(last)s.")
        raise WorkdaysError("date_out_of_range", message % {"first": FIRST_YEAR, "last": LAST_YEAR})
    if kind not in CalendarOverride.Kind.values:
        raise WorkdaysError("invalid_kind", _("The kind must be a day off or a working day."))
    if not name.strip():
        raise WorkdaysError("name_required", _("Give the override a name."))


def _snapshot(override: CalendarOverride) -> dict[str, str]:
    return {"date": override.date.isoformat(), "kind": override.kind, "name": override.name}


@transaction.atomic
def set_override(day: date, *, kind: str, name: str, actor, note: str = "") -> CalendarOverride:
    """Make `day` a day off or a working day, whatever the holidays package says (Labour
    Code 2019 art. 112.3: yearly notices fix the Tết and swapped days). Creates the date's
    override or replaces it. Requires MANAGE_CALENDAR (actor None = the system)."""
    _check_actor(actor)
    check_override_values(day, kind, name)
    override = CalendarOverride.objects.select_for_update().filter(date=day).first()
    previous = _snapshot(override) if override else None
    if override is None:
        override = CalendarOverride(date=day)
    override.kind, override.name, override.note = kind, name.strip(), note
    override.updated_by = actor if getattr(actor, "pk", None) else None
    override.save()
    action = "calendar_override.changed" if previous else "calendar_override.added"
    record_event(action, override, actor=actor, previous=previous, **_snapshot(override))
    _changed(day)
    return override


@transaction.atomic
def remove_override(day: date, *, actor) -> None:
    """Drop the override of `day`: the date follows the holidays package again.
    Requires MANAGE_CALENDAR (actor None = the system)."""
    _check_actor(actor)
    override = CalendarOverride.objects.select_for_update().filter(date=day).first()
    if override is None:
        raise WorkdaysError("override_not_found", _("This date has no override."), status=404)
    record_event("calendar_override.removed", override, actor=actor, **_snapshot(override))
    override.delete()
    _changed(day)
