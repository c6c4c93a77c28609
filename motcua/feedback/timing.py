"""The deadlines of a feedback item and whether it kept them (QĐ 766/QĐ-TTg figure 5.2;
Decree 20/2008/NĐ-CP art. 9). Pure: working days come from the calendar passed in (the
workdays engine's), the number of days from conf.

Each limit counts whole working days from the day after its start (Civil Code 2015 art.
147, as the dossiers' limits) and ends at the close of business of the last one:

* refuse within 2, ask a supplement (once) within 5, handle within 15 working days from
  the later of the sending and the forwarding date; a supplement given by the sender is a
  later sending: the 15 days count again from it;
* forward to the competent agency within 5 working days of receipt;
* publish within 2 working days of entering "awaiting publication" (the approval).
"""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from . import conf

OPEN_HANDLING = ("received", "classified", "forwarded", "handling", "answered")


@dataclass(frozen=True)
class Deadlines:
    refuse: datetime
    supplement: datetime
    handle: datetime


def deadlines_from(calendar, start: datetime) -> Deadlines:
    """The limits counted from `start` (the sending, forwarding or supplement date)."""

    def due(step: str) -> datetime:
        return calendar.add_working_days(start, conf.deadline_days(step))

    return Deadlines(due("refuse"), due("supplement"), due("handle"))


def forward_due(calendar, received_at: datetime) -> datetime:
    return calendar.add_working_days(received_at, conf.deadline_days("forward"))


def publish_due(calendar, approved_at: datetime) -> datetime:
    return calendar.add_working_days(approved_at, conf.deadline_days("publish"))


def current_due(item: Any) -> datetime | None:
    """The deadline running now: handling until the answer is approved, then publication;
    none while the sender is asked for a supplement or once the item is closed."""
    if item.state in OPEN_HANDLING:
        return item.handle_due_at
    if item.state == "awaiting_publication":
        return item.publish_due_at
    return None


def is_overdue(item: Any, now: datetime) -> bool:
    due = current_due(item)
    return due is not None and now > due


def _late(done: datetime | None, due: datetime | None) -> bool:
    return done is not None and due is not None and done > due


def missed(item: Any, now: datetime) -> list[str]:
    """The limits `item` missed by `now` (empty: on time so far)."""
    checks = {
        "refuse": _late(item.refused_at, item.refuse_due_at),
        "supplement": _late(item.supplement_requested_at, item.supplement_due_at),
        "forward": _late(item.forwarded_at, item.forward_due_at),
        "handle": _late(item.approved_at, item.handle_due_at)
        or (item.state in OPEN_HANDLING and now > item.handle_due_at),
        "publish": _late(item.published_at, item.publish_due_at)
        or (item.state == "awaiting_publication" and now > item.publish_due_at),
    }
    return [step for step, late in checks.items() if late]


def is_on_time(item: Any, now: datetime) -> bool:
    return not missed(item, now)
