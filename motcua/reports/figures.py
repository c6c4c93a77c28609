"""The figures of Biểu 06/VPCP/KSTT (Circular 01/2020/TT-VPCP; domain.md §8) and the extra
counts a provincial office watches, in the order they are shown.

Definitions (one place; `naive.py` encodes them over the dossier rows, `facts.py` as dated
points for the running tallies; a test proves both agree):

* A dossier counts once it is **received** (`received_at` set): online submissions not yet
  received and dossiers refused at reception are not received (the latter are counted as
  *not received*). An inter-agency dossier is one dossier: a scope of agencies takes the
  dossiers received by **or** resolved at one of them, once.
* Days are local days (TIME_ZONE). For a period [first, last]:
  - **carried over**: received before `first`, not ended before `first`;
  - **received this period** online / in person or by post: received within the period;
  - **received** = carried over + received this period;
  - **received by post** (beside the form): received this period through the public postal
    service (channel "postal"), a part of "in person or by post";
  - **resolved**: ended within the period. A result is judged against the appointment by
    the **local calendar day** (dossiers.timeleft.judge; Civil Code 2015 art. 148, Circular
    01/2018/TT-VPCP art. 13, Biểu 06 as practised): *early* on an earlier day than the
    appointment's, *on time* on the appointment's day whatever the hour, *late* on a later
    day (MOTCUA_ON_TIME_RULE=hour: late after the appointment's moment). Refusals after
    appraisal, withdrawals and stops count as resolved on time (TH-SYS; Biểu II.06a);
  - **in progress**: received by `last` and not ended by it; *overdue* if the appointment
    day is before `last` (its day is over at the period's end; TH-SYS: "in time if the
    appointment date ≥ the period end"), otherwise *in time*; with the hour rule, overdue
    if the appointment is before the end of `last`. So received = resolved + in progress.
* The appointment judged is the current one; with an apology it is the appointment before
  the apology unless MOTCUA_APOLOGY_EXTENDS_DEADLINE is set (an apology is issued because
  the dossier is late; it does not make it on time).
* **Waiting for a supplement** at the end: a supplement request made after receipt, neither
  answered nor ended by `last`. **Withdrawn**, **stopped**, **refused** (after appraisal),
  **not received**, **apologised** and **returned by post** (the result sent through the
  public postal service, Dossier.returned_method "postal") are counted on the day they
  happened.
"""

from django.utils.translation import gettext_lazy as _

RECEIVED = "received"
CARRIED_OVER = "carried_over"
RECEIVED_ONLINE = "received_online"
RECEIVED_IN_PERSON = "received_in_person"
RECEIVED_BY_POST = "received_by_post"
RESOLVED = "resolved"
EARLY = "early"
ON_TIME = "on_time"
LATE = "late"
IN_PROGRESS = "in_progress"
IN_TIME = "in_time"
OVERDUE = "overdue"
WAITING_SUPPLEMENT = "waiting_supplement"
WITHDRAWN = "withdrawn"
STOPPED = "stopped"
REFUSED = "refused"
NOT_RECEIVED = "not_received"
APOLOGISED = "apologised"
RETURNED_BY_POST = "returned_by_post"

LABELS = {
    RECEIVED: _("Received, total"),
    CARRIED_OVER: _("Carried over from the previous period"),
    RECEIVED_ONLINE: _("Received online this period"),
    RECEIVED_IN_PERSON: _("Received in person or by post this period"),
    RECEIVED_BY_POST: _("Received by post this period"),
    RETURNED_BY_POST: _("Results returned by post"),
    RESOLVED: _("Resolved, total"),
    EARLY: _("Resolved early"),
    ON_TIME: _("Resolved on time"),
    LATE: _("Resolved late"),
    IN_PROGRESS: _("In progress, total"),
    IN_TIME: _("In progress, in time"),
    OVERDUE: _("In progress, overdue"),
    WAITING_SUPPLEMENT: _("Waiting for a supplement"),
    WITHDRAWN: _("Withdrawn"),
    STOPPED: _("Stopped"),
    REFUSED: _("Refused after appraisal"),
    NOT_RECEIVED: _("Not received (refused at reception)"),
    APOLOGISED: _("Apologised"),
}

ALL = list(LABELS)
# The official table's columns; the rest are shown beside it, received and returned by post
# first.
BIEU_06 = [
    RECEIVED,
    RECEIVED_ONLINE,
    RECEIVED_IN_PERSON,
    CARRIED_OVER,
    RESOLVED,
    EARLY,
    ON_TIME,
    LATE,
    IN_PROGRESS,
    IN_TIME,
    OVERDUE,
]
EXTRA = [f for f in ALL if f not in BIEU_06]


def complete(counts: dict[str, int]) -> dict[str, int]:
    """Derived figures from the base counts: received, resolved, in time."""
    out = {f: int(counts.get(f, 0)) for f in ALL}
    out[RECEIVED] = out[CARRIED_OVER] + out[RECEIVED_ONLINE] + out[RECEIVED_IN_PERSON]
    out[RESOLVED] = out[EARLY] + out[ON_TIME] + out[LATE]
    out[IN_TIME] = out[IN_PROGRESS] - out[OVERDUE]
    return out


def rate(part: int, whole: int) -> float | None:
    return None if not whole else round(100.0 * part / whole, 2)


def rates(figures: dict[str, int]) -> dict[str, float | None]:
    """The two percentages shown beside the form: resolved early or on time among the
    resolved (Decree 61/2018 art. 30's on-time rate), and received online among the dossiers
    received this period."""
    this_period = figures[RECEIVED_ONLINE] + figures[RECEIVED_IN_PERSON]
    return {
        "on_time_rate": rate(figures[EARLY] + figures[ON_TIME], figures[RESOLVED]),
        "online_share": rate(figures[RECEIVED_ONLINE], this_period),
    }
