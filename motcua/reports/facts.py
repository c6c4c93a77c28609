"""What one dossier contributes to the statistics: its key and its dated points.

The definitions are in figures.py. Every figure of Biểu 06 is either a count of events in
the period (received, resolved, withdrawn…) or a count of dossiers in a state at an instant
(open, overdue, waiting for a supplement). Both are sums of dated points: a state at day X
is (points that opened it before X) − (points that closed it before X). A dossier's points:

* ``recv_online`` / ``recv_other`` on the day received (opens "open");
* on the day ended, one of ``early``, ``on_time``, ``late`` (judged by the on-time rule,
  dossiers.timeleft.judge: by the appointment's local day by default), ``withdrawn``,
  ``stopped``, ``refused`` (closes "open");
* ``recv_post`` as well on the day received, when received by post;
* with an appointment, ``due_passed`` on the day after max(appointment day, received day)
  (opens "overdue"; rule "hour": on max(appointment day, received day) itself), and if
  ended, ``cleared`` on max(that day, the day ended) (closes it): at the end of day T the
  dossier is overdue iff it was due before T (rule "hour": by the end of T) and is still
  open (timeleft.overdue_at_end_of);
* per supplement request made after receipt, ``supp_start`` on its day and ``supp_end`` on
  the day it was answered or the dossier ended, whichever came first;
* ``apologised``, ``returned_post``, ``not_received`` on the day they happened.

Pure module: `compute()` takes plain values, so the bulk rebuild and the live path share it.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone

from motcua.dossiers.timeleft import OnTimeRule, judge, on_time_rule

POSTAL, ONLINE = "postal", "online"
WITHDRAWN, STOPPED, NOT_RECEIVED = 7, 8, 3
REFUSED = "refused"

# Point -> (stock it moves, +1 opens / -1 closes); flows without a stock move nothing.
OPEN, OVERDUE, WAITING = "open", "overdue", "waiting"
STOCKS = (OPEN, OVERDUE, WAITING)
ENDINGS = ("early", "on_time", "late", "withdrawn", "stopped", "refused")
EFFECT: dict[str, tuple[str, int]] = {
    "recv_online": (OPEN, 1),
    "recv_other": (OPEN, 1),
    **dict.fromkeys(ENDINGS, (OPEN, -1)),
    "due_passed": (OVERDUE, 1),
    "cleared": (OVERDUE, -1),
    "supp_start": (WAITING, 1),
    "supp_end": (WAITING, -1),
}
COLUMNS = (
    "recv_online",
    "recv_other",
    *ENDINGS,
    "due_passed",
    "cleared",
    "supp_start",
    "supp_end",
    "not_received",
    "apologised",
    "returned_post",
    "recv_post",
)


@dataclass(frozen=True)
class Facts:
    """The inputs, as plain values (datetimes aware)."""

    receiving_agency_id: int
    competent_agency_id: int
    department_id: int | None
    procedure_id: int
    channel: str
    status: int
    outcome: str
    received_at: datetime | None
    finished_at: datetime | None
    judged_due_at: datetime | None
    returned_at: datetime | None = None
    returned_method: str = ""
    apologised_at: datetime | None = None
    # (requested_at, answered_at or None) of every supplement request
    supplements: tuple[tuple[datetime, datetime | None], ...] = ()


def _day(moment: datetime, tz: ZoneInfo) -> date:
    return timezone.localtime(moment, tz).date()


def ending(facts: Facts, tz: ZoneInfo, rule: str | None = None) -> str:
    """How a received dossier ended: withdrawn, stopped, refused, or its result judged by
    the on-time rule (timeleft.judge); a result without an appointment is on time."""
    if facts.status == WITHDRAWN:
        return "withdrawn"
    if facts.status == STOPPED:
        return "stopped"
    if facts.outcome == REFUSED:
        return "refused"
    due, finished = facts.judged_due_at, facts.finished_at
    if due is None or finished is None:
        return "on_time"
    return str(judge(finished, due, tz, rule).value)


def compute(facts: Facts, tz: ZoneInfo, rule: str | None = None) -> dict:
    """{"k": [receiving, competent, department or 0, procedure], "p": [[point, day], …]}."""
    key = [
        facts.receiving_agency_id,
        facts.competent_agency_id,
        facts.department_id or 0,
        facts.procedure_id,
    ]
    points = []
    if facts.received_at is None:
        if facts.status == NOT_RECEIVED and facts.finished_at is not None:
            points.append(("not_received", _day(facts.finished_at, tz)))
    else:
        points = _received_points(facts, tz, rule or on_time_rule())
    if not points:
        return {}
    return {"k": key, "p": sorted([name, day.isoformat()] for name, day in points)}


def _received_points(facts: Facts, tz: ZoneInfo, rule: str) -> list[tuple[str, date]]:
    received = _day(facts.received_at, tz)
    ended = _day(facts.finished_at, tz) if facts.finished_at else None
    points = [("recv_online" if facts.channel == ONLINE else "recv_other", received)]
    if facts.channel == POSTAL:
        points.append(("recv_post", received))
    if ended:
        points.append((ending(facts, tz, rule), ended))
    if facts.judged_due_at is not None:
        # The first day at whose end the dossier, still open, is overdue.
        lag = timedelta(days=0 if rule == OnTimeRule.HOUR else 1)
        passed = max(_day(facts.judged_due_at, tz), received) + lag
        points.append(("due_passed", passed))
        if ended:
            points.append(("cleared", max(passed, ended)))
    for requested_at, answered_at in facts.supplements:
        if requested_at < facts.received_at:
            continue  # guidance at reception, before the dossier was received
        points.append(("supp_start", _day(requested_at, tz)))
        ends = [_day(answered_at, tz)] if answered_at else []
        ends += [ended] if ended else []
        if ends:
            points.append(("supp_end", min(ends)))
    if facts.apologised_at:
        points.append(("apologised", _day(facts.apologised_at, tz)))
    if facts.returned_method == POSTAL and facts.returned_at:
        points.append(("returned_post", _day(facts.returned_at, tz)))
    return points
