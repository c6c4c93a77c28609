"""The hand-over table of Mẫu 05 (Phiếu kiểm soát quá trình giải quyết hồ sơ).

Rows come from the dossier's history: each hand-over (one-stop section -> first processing
step), completed step (-> next step), send-back (-> earlier step) and result declared ready
(last step -> one-stop section) is one row, and so are the detours (the paper slip records
every hand-over): a supplement requested (step -> one-stop section, for the applicant) and
received (one-stop section -> step), a consultation sent (step -> consulted agency) and
answered (back), an apology (-> one-stop section, with the new appointment). Each row has
giver and receiver, the time, and whether the giver finished early, on time or late against
its step's due time. While the dossier is open, the hops still to come are printed from the
plan with blanks, to be filled in by hand as on the paper slip.

Early / on time / late compare the finish with the due moment (domain.md §3.3): after it is
late; on an earlier local day is early; on the same day is on time.
"""

from dataclasses import dataclass
from datetime import datetime
from itertools import pairwise
from typing import Any

from django.utils.dateparse import parse_datetime

from motcua.dossiers.flow import plan_of
from motcua.dossiers.models import Dossier, DossierEvent, DossierStep
from motcua.dossiers.status import OPEN, Action
from motcua.dossiers.timeleft import Verdict, judge

from .dates import as_local, short_moment

EARLY, ON_TIME, LATE = "Trước hạn", "Đúng hạn", "Quá hạn"
HOP_ACTIONS = (
    Action.HAND_OVER,
    Action.COMPLETE_STEP,
    Action.SEND_BACK,
    Action.REQUEST_SUPPLEMENT,
    Action.RECEIVE_SUPPLEMENT,
    Action.REQUEST_CONSULTATION,
    Action.ANSWER_CONSULTATION,
    Action.APOLOGISE,
    Action.MARK_RESULT_READY,
    Action.REFUSE_AFTER_APPRAISAL,
)
RESULT_ACTIONS = (Action.MARK_RESULT_READY, Action.REFUSE_AFTER_APPRAISAL)


def timeliness(finished: datetime | None, due: datetime | None) -> str:
    if finished is None or due is None:
        return ""
    if finished > due:
        return LATE
    if as_local(finished).date() < as_local(due).date():
        return EARLY
    return ON_TIME


def dossier_timeliness(finished: datetime | None, due: datetime | None) -> str:
    """The whole dossier's, by the on-time rule (dossiers.timeleft.judge: the appointment's
    day), where each hand-over above is judged by its moment."""
    if finished is None or due is None:
        return ""
    verdict = judge(finished, due)
    return {Verdict.EARLY: EARLY, Verdict.LATE: LATE}.get(verdict, ON_TIME)


def person(user) -> str:
    if user is None:
        return ""
    return user.get_full_name().strip() or user.get_username()


def _moment(value: Any) -> datetime | None:
    return parse_datetime(value) if isinstance(value, str) else None


@dataclass
class Hop:
    giver_unit: str
    receiver_unit: str
    at: datetime | None = None
    result: str = ""
    note: str = ""
    giver: str = ""
    receiver: str = ""


def step_unit(step: DossierStep) -> str:
    """ "Phòng Hành chính tư pháp - Sở Tư pháp (Thẩm định)"."""
    unit = step.agency.name
    if step.department_id:
        unit = f"{step.department.name} - {unit}"
    return f"{unit} ({step.name})"


class _Walk:
    """Replays the dossier's hand-over events over its plan of steps."""

    def __init__(self, dossier: Dossier, desk: str):
        self.dossier = dossier
        self.desk = desk
        self.plan = plan_of(dossier)
        self.by_order = {step.order: step for step in self.plan.processing}
        self.due: dict[int, datetime | None] = {}
        self.current: DossierStep | None = None
        self.at_desk_again = False
        self.last_result = ""
        self.last_actor: Any = None
        self.completers = self._completers(dossier)
        self.hops: list[Hop] = []
        self.consulted: dict[Any, str] = {}  # consultation id -> the consulted agency

    @staticmethod
    def _completers(dossier: Dossier) -> dict[int, Any]:
        """Who last completed each step: the receiver to name when it had no assignee."""
        events = dossier.events.filter(action=Action.COMPLETE_STEP, step__isnull=False)
        return {e.step_id: e.actor for e in events.select_related("actor").order_by("id")}

    def _step(self, order: Any) -> DossierStep | None:
        return self.by_order.get(order) if isinstance(order, int) else None

    def _started(self, step: DossierStep | None, due: Any) -> None:
        if step is not None:
            self.due[step.order] = _moment(due) or step.due_at
        self.current = step

    def _result_of(self, step: DossierStep | None, at: datetime) -> str:
        if step is None:
            return ""
        return timeliness(at, self.due.get(step.order, step.due_at))

    def _to(self, step: DossierStep | None) -> tuple[str, str]:
        if step is None:
            return self.desk, ""
        return step_unit(step), person(step.assignee or self.completers.get(step.pk))

    def _add(
        self,
        event: DossierEvent,
        source: DossierStep | None,
        target: DossierStep | None,
        result: str,
        note: str,
        **names: str,
    ) -> None:
        """A hop from step `source` to step `target` (None: the one-stop section)."""
        giver_unit = step_unit(source) if source is not None else self.desk
        receiver_unit, receiver_name = self._to(target)
        self.hops.append(
            Hop(
                giver_unit,
                receiver_unit,
                event.created_at,
                result,
                note,
                names.get("giver", person(event.actor)),
                names.get("receiver", receiver_name),
            )
        )

    def hand_over(self, event: DossierEvent) -> None:
        target = self._step(event.data.get("to_step")) or event.step
        result = timeliness(event.created_at, _moment(event.data.get("forward_by")))
        self._add(event, None, target, result, event.note)
        self._started(target, event.data.get("to_due_at"))

    def complete_step(self, event: DossierEvent) -> None:
        giver = event.step or self.current
        following = self._step(event.data.get("next_step"))
        result = self._result_of(giver, event.created_at)
        if following is None:  # the last step: the result goes back at MARK_RESULT_READY
            self.last_result, self.last_actor = result, event.actor
            self.current = giver
            return
        self._add(event, giver, following, result, event.note)
        self._started(following, event.data.get("next_due_at"))

    def send_back(self, event: DossierEvent) -> None:
        giver = event.step or self.current
        target = self._step(event.data.get("to_step"))
        note = f"{Action.SEND_BACK.label}: {event.note}" if event.note else ""
        self._add(event, giver, target, self._result_of(giver, event.created_at), note)
        self._started(target, event.data.get("to_due_at"))

    def _labelled(self, event: DossierEvent, *details: str) -> str:
        return "; ".join([str(Action(event.action).label), *(d for d in details if d)])

    def supplement_requested(self, event: DossierEvent) -> None:
        giver = event.step or self.current
        self._add(event, giver, None, "", self._labelled(event, event.note))

    def supplement_received(self, event: DossierEvent) -> None:
        target = event.step or self.current
        self._add(event, None, target, "", self._labelled(event, event.note))
        self.current = target

    def consultation_requested(self, event: DossierEvent) -> None:
        giver = event.step or self.current
        agency = str(event.data.get("to_agency_name") or "")
        self.consulted[event.data.get("consultation")] = agency
        deadline = short_moment(_moment(event.data.get("deadline_at")))
        note = self._labelled(event, event.note, f"hạn trả lời {deadline}" if deadline else "")
        self._add(event, giver, None, "", note)
        self.hops[-1].receiver_unit, self.hops[-1].receiver = agency, ""

    def consultation_answered(self, event: DossierEvent) -> None:
        target = event.step or self.current
        result = LATE if event.data.get("late") else ON_TIME
        self._add(event, None, target, result, self._labelled(event, event.note))
        self.hops[-1].giver_unit = self.consulted.get(event.data.get("consultation"), "")

    def apologised(self, event: DossierEvent) -> None:
        new_due = short_moment(_moment(event.data.get("new_due_at")))
        note = self._labelled(event, f"hẹn lại {new_due}" if new_due else "", event.note)
        self._add(event, event.step or self.current, None, "", note, receiver="")

    def result_ready(self, event: DossierEvent) -> None:
        giver = self.current
        overall = dossier_timeliness(event.created_at, self.dossier.due_at)
        refused = event.action == Action.REFUSE_AFTER_APPRAISAL
        notes = [Action(event.action).label if refused else "", event.note]
        notes.append(f"Cả hồ sơ: {overall.lower()}" if overall else "")
        result = self.last_result or self._result_of(giver, event.created_at)
        note = "; ".join(str(n) for n in notes if n)
        giver_name = person(self.last_actor) if self.last_actor else ""
        self._add(event, giver, None, result, note, giver=giver_name, receiver=person(event.actor))
        self.at_desk_again = True

    def planned(self) -> None:
        """Hops still to come, from where the dossier is now, with blanks."""
        if self.at_desk_again or self.dossier.status not in OPEN:
            return
        done = DossierStep.State.DONE
        start = self.current.order if self.current else -1
        chain: list[DossierStep | None] = [self.current]
        chain += [s for s in self.plan.processing if s.order > start and s.state != done]
        chain.append(None)
        for giver, receiver in pairwise(chain):
            unit, name = self._to(receiver)
            giver_unit, giver_name = self._to(giver)
            self.hops.append(Hop(giver_unit, unit, giver=giver_name, receiver=name))


def _walk(dossier: Dossier, desk: str) -> list[Hop]:
    walk = _Walk(dossier, desk)
    handlers = {
        Action.HAND_OVER: walk.hand_over,
        Action.COMPLETE_STEP: walk.complete_step,
        Action.SEND_BACK: walk.send_back,
        Action.REQUEST_SUPPLEMENT: walk.supplement_requested,
        Action.RECEIVE_SUPPLEMENT: walk.supplement_received,
        Action.REQUEST_CONSULTATION: walk.consultation_requested,
        Action.ANSWER_CONSULTATION: walk.consultation_answered,
        Action.APOLOGISE: walk.apologised,
        Action.MARK_RESULT_READY: walk.result_ready,
        Action.REFUSE_AFTER_APPRAISAL: walk.result_ready,
    }
    events = (
        dossier.events.filter(action__in=HOP_ACTIONS)
        .select_related("actor", "step__agency", "step__department", "step__assignee")
        .order_by("created_at", "id")
    )
    for event in events:
        handlers[Action(event.action)](event)
    walk.planned()
    return walk.hops


def hop_rows(dossier: Dossier, desk: str) -> list[dict[str, str]]:
    """Mẫu 05 rows, numbered, with times as hh:mm dd/mm/yyyy."""
    return [
        {
            "no": str(number),
            "giver_unit": hop.giver_unit,
            "receiver_unit": hop.receiver_unit,
            "at": short_moment(hop.at),
            "result": hop.result,
            "note": hop.note,
            "giver": hop.giver,
            "receiver": hop.receiver,
        }
        for number, hop in enumerate(_walk(dossier, desk), start=1)
    ]


def coordinating_agencies(dossier: Dossier) -> str:
    """Agencies with a step in the dossier other than the competent and receiving ones."""
    own = {dossier.competent_agency_id, dossier.receiving_agency_id}
    names = (
        dossier.steps.exclude(agency_id__in=own)
        .order_by("order")
        .values_list("agency__name", flat=True)
    )
    return ", ".join(dict.fromkeys(names))
