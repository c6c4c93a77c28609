"""What one dossier contributes to the quality indicators (Circular 01/2018, QĐ 766): dated
points, like facts.py for Biểu 06, so that every fact the indicators score is a sum over
tally rows (decision 0015, docs/indicators.md). Pure: plain values in, plain values out.

Per dossier, under its key (receiving, competent, department, procedure):

* on the day **received**: ``received``, ``online`` (filed online), ``split`` (a step at
  another agency than the receiving one: not run wholly at the one-stop section, indicator
  5), ``digitised`` (every document handed in scanned, at least one, or recorded as
  digitised by the system the history came from; QĐ 766 4.2);
* on the day **ended with a result** (granted or refused after appraisal, status 9 or 10):
  ``scored``; its timing by the on-time rule (``t_early`` / ``t_on_time`` / ``t_late``, none
  without an appointment; timeleft.judge against the appointment before an apology); the
  worst of its timed steps done by then, by the hour (``u_early`` / ``u_on_time`` /
  ``u_late``, indicator 2); ``s_one`` / ``s_more`` supplement requests; ``granted`` and
  ``granted_file`` (a result file attached, QĐ 766 4.1); ``work_seconds`` (working time
  from receipt to result, QĐ 766 2.2) with its weight;
* for an online dossier that is or will be **late** (indicator 9: resolved late, or open
  past its appointment's day), the pair (day received, first day at whose end it is late):
  "late at the end of the period" is ``late_from <= last`` whatever happened after, so the
  count for dossiers received in a period is a two-sided range (`OnlineLate`);
* per **officer** (a user who completed one of its steps, or the assignee of a done step
  without a completion event), the days their timed steps ended, each with the worst timing
  of that day: a point per day (``dossiers``; ``lo`` late or on time; ``late``; ``s_one`` /
  ``s_more`` the supplements the officer asked on the dossier; ``steps`` per agency) and a
  *link* between consecutive such days. An officer's dossiers in a period are then
  (points in it) − (links with both ends in it): each dossier once, whatever its steps.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from motcua.dossiers.timeleft import OnTimeRule, Verdict, judge


def local_day(moment: datetime, tz: ZoneInfo) -> date:
    return moment.astimezone(tz).date()


ONLINE = "online"
WITH_RESULT = (9, 10)
GRANTED = "granted"

KEY_COLUMNS = (
    "received",
    "online",
    "split",
    "digitised",
    "scored",
    "t_early",
    "t_on_time",
    "t_late",
    "u_early",
    "u_on_time",
    "u_late",
    "s_one",
    "s_more",
    "granted",
    "granted_file",
    "work_seconds",
)
OFFICER_COLUMNS = ("steps", "dossiers", "lo", "late", "s_one", "s_more")
LINK_COLUMNS = ("dossiers", "lo", "late", "s_one", "s_more")
WORST_FIRST = (Verdict.LATE, Verdict.ON_TIME, Verdict.EARLY)


@dataclass(frozen=True)
class Step:
    """A step done, with a deadline, as the indicators see it."""

    agency: int
    finished: datetime
    due: datetime
    user: int | None  # who completed it (its completion event's actor, else its assignee)


@dataclass(frozen=True)
class Inputs:
    channel: str
    status: int
    outcome: str
    received_at: datetime | None
    finished_at: datetime | None
    judged_due_at: datetime | None
    supplement_count: int
    digitised_before_import: bool = False
    documents: int = 0
    scanned: int = 0
    result_file: bool = False
    split: bool = False
    steps: tuple[Step, ...] = ()
    asked_by: dict[int, int] = field(default_factory=dict)  # user -> supplement requests
    work_seconds: int = 0


def is_scored(i: Inputs) -> bool:
    return i.received_at is not None and i.status in WITH_RESULT and i.finished_at is not None


def _worst(verdicts) -> Verdict | None:
    seen = set(verdicts)
    return next((v for v in WORST_FIRST if v in seen), None)


def step_verdict(step: Step, tz: ZoneInfo) -> Verdict:
    """A step by its deadline's exact moment (timeleft.step_verdict: judge with the rule
    "hour"; written out here because the rebuild runs it for every step)."""
    if step.finished > step.due:
        return Verdict.LATE
    earlier = step.finished.astimezone(tz).date() < step.due.astimezone(tz).date()
    return Verdict.EARLY if earlier else Verdict.ON_TIME


def key_points(i: Inputs, tz: ZoneInfo, rule: str) -> list[list]:
    """[[point, ISO day, weight], ...] under the dossier's key."""
    if i.received_at is None:
        return []
    received = local_day(i.received_at, tz).isoformat()
    out = [["received", received, 1]]
    if i.channel == ONLINE:
        out.append(["online", received, 1])
    if i.split:
        out.append(["split", received, 1])
    if (i.documents > 0 and i.scanned == i.documents) or i.digitised_before_import:
        out.append(["digitised", received, 1])
    if is_scored(i):
        out += _scored_points(i, tz, rule)
    return sorted(out)


def _scored_points(i: Inputs, tz: ZoneInfo, rule: str) -> list[list]:
    finished = i.finished_at
    assert finished is not None  # is_scored
    day = local_day(finished, tz).isoformat()
    names = ["scored"]
    if i.judged_due_at is not None:
        names.append(f"t_{judge(finished, i.judged_due_at, tz, rule).value}")
    unit = _worst(step_verdict(s, tz) for s in i.steps if s.finished <= finished)
    if unit is not None:
        names.append(f"u_{unit.value}")
    if i.supplement_count == 1:
        names.append("s_one")
    elif i.supplement_count > 1:
        names.append("s_more")
    if i.outcome == GRANTED:
        names += ["granted"] + (["granted_file"] if i.result_file else [])
    out = [[name, day, 1] for name in names]
    if i.work_seconds:
        out.append(["work_seconds", day, i.work_seconds])
    return out


def late_from(i: Inputs, tz: ZoneInfo, rule: str) -> list[str] | None:
    """[day received, first day at whose end it is late] for an online dossier that is late
    at some period's end (quality_facts: resolved late, or open with its appointment's day
    over, timeleft.overdue_at_end_of); None otherwise."""
    if i.received_at is None or i.channel != ONLINE or i.judged_due_at is None:
        return None
    if i.finished_at is not None and judge(i.finished_at, i.judged_due_at, tz, rule) != (
        Verdict.LATE
    ):
        return None
    lag = timedelta(days=0 if rule == OnTimeRule.HOUR else 1)
    first = local_day(i.judged_due_at, tz) + lag
    return [local_day(i.received_at, tz).isoformat(), first.isoformat()]


def officer_points(i: Inputs, tz: ZoneInfo) -> tuple[list[list], list[list]]:
    """([[user, agency, point, ISO day, weight]], [[user, point, first day, next day, 1]])."""
    by_user: dict[int, dict[date, list[Step]]] = defaultdict(lambda: defaultdict(list))
    for step in i.steps:
        if step.user is not None:
            by_user[step.user][local_day(step.finished, tz)].append(step)
    points: list[list] = []
    links: list[list] = []
    for user, days in by_user.items():
        asked = i.asked_by.get(user, 0)
        extra = ["s_one"] if asked == 1 else ["s_more"] if asked > 1 else []
        chains: dict[str, list[date]] = defaultdict(list)
        for day in sorted(days):
            steps = days[day]
            worst = _worst(step_verdict(s, tz) for s in steps)
            agencies: dict[int, int] = defaultdict(int)
            for s in steps:
                agencies[s.agency] += 1
            for agency, n in sorted(agencies.items()):
                points.append([user, agency, "steps", day.isoformat(), n])
            names = ["dossiers", *extra]
            names += ["lo"] if worst in (Verdict.LATE, Verdict.ON_TIME) else []
            names += ["late"] if worst == Verdict.LATE else []
            for name in names:
                points.append([user, min(agencies), name, day.isoformat(), 1])
                chains[name].append(day)
        for name, chain in chains.items():
            for a, b in zip(chain, chain[1:], strict=False):
                links.append([user, name, a.isoformat(), b.isoformat(), 1])
    return sorted(points), sorted(links)


def compute(i: Inputs, tz: ZoneInfo, rule: str) -> dict:
    """The quality part of a dossier's stored points: {"q": key points, "l": late pair,
    "o": officer points, "ol": officer links}, empty parts left out."""
    out: dict = {}
    if points := key_points(i, tz, rule):
        out["q"] = points
    if pair := late_from(i, tz, rule):
        out["l"] = pair
    officers, links = officer_points(i, tz)
    if officers:
        out["o"] = officers
    if links:
        out["ol"] = links
    return out
