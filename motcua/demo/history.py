"""Dossiers for the demo (`seed_demo --dossiers`, what `make demo` runs): months of history
and today's work in every demo user's queues, so that the statistics, quality and
supervision pages and "my work" open on a living centre.

* **History**: `HISTORY_COUNT` dossiers received over the `HISTORY_DAYS` days before today,
  written in bulk by the synthetic generator (motcua.synthetic: obviously fake applicants,
  steps assigned to the demo officers), with the events of each dossier's life written
  beside them so that its timeline tells it (the generator writes none), then the
  statistics rebuilt.
* **Live**: a few dozen dossiers received and moved through the real services at their
  moments of the last working days (live.py), one waiting at every stage.

Written only into a database without dossiers, in one transaction: a second run, or a run
on a database where people have received dossiers, adds nothing. The history is drawn from
the demo province's agencies only (the generator takes every agency in the database).
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from importlib.util import find_spec

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from motcua.dossiers import queues
from motcua.dossiers.models import Apology, Dossier, DossierEvent, DossierStep, SupplementRequest
from motcua.dossiers.status import Action, Status
from motcua.organisations.models import Agency
from motcua.organisations.roles import Role
from motcua.synthetic.generator import Options, generate, rebuild_statistics

from .organisations import ACCOUNTS, AGENCIES

HISTORY_COUNT = 5_000
HISTORY_DAYS = 183  # about six months
SEED = 2026

A, S = Action, Status
# The status each action of the history leaves the dossier in (others keep it).
STATUS_AFTER = {
    A.SUBMIT_ONLINE: S.SUBMITTED,
    A.RECEIVE: S.RECEIVED,
    A.REFUSE_AT_RECEPTION: S.NOT_RECEIVED,
    A.HAND_OVER: S.PROCESSING,
    A.REQUEST_SUPPLEMENT: S.SUPPLEMENT,
    A.RECEIVE_SUPPLEMENT: S.PROCESSING,
    A.WITHDRAW: S.WITHDRAWN,
    A.STOP: S.STOPPED,
    A.REFUSE_AFTER_APPRAISAL: S.RESOLVED,
    A.MARK_RESULT_READY: S.RESOLVED,
    A.RETURN_RESULT: S.RETURNED,
}
SYNTHETIC = {"synthetic": True}  # in the data of every event of the history

# The queues of the "my work" page (backoffice.process_views.QUEUES: the same queries and
# titles; the demo may not import a door), in its order.
QUEUES = [
    (gettext_lazy("Online dossiers to receive"), queues.to_receive),
    (gettext_lazy("To hand over for processing"), queues.to_hand_over),
    (gettext_lazy("Steps to assign"), queues.to_assign),
    (gettext_lazy("My steps to process"), queues.to_process),
    (gettext_lazy("To approve and sign"), queues.to_approve),
    (gettext_lazy("Opinions asked of my agency"), queues.consultations_to_answer),
    (gettext_lazy("Results to return"), queues.results_to_return),
    (gettext_lazy("Due within 24 working hours"), queues.due_within_24h),
    (gettext_lazy("Overdue"), queues.overdue),
    (gettext_lazy("Consultations not answered in time"), queues.overdue_consultations),
    (gettext_lazy("Waiting for the applicant"), queues.waiting_for_citizen),
]


@dataclass
class Seeded:
    """What `seed_dossiers` did."""

    existing: int = 0  # dossiers found: nothing was written
    first: date | None = None
    last: date | None = None
    history: dict[str, int] = field(default_factory=dict)  # dossiers, steps, events...
    history_skipped: list[str] = field(default_factory=list)  # agencies outside the demo
    live: list[str] = field(default_factory=list)  # the live dossiers' codes
    live_skipped: str = ""  # why there are none


def seed_dossiers(
    *, count: int = HISTORY_COUNT, days: int = HISTORY_DAYS, seed: int = SEED
) -> Seeded:
    """History and live dossiers, unless the database holds dossiers already."""
    existing = Dossier.objects.count()
    if existing:
        return Seeded(existing=existing)
    today = timezone.localdate()
    result = Seeded(first=today - timedelta(days=days), last=today - timedelta(days=1))
    with transaction.atomic():
        _history(result, count, seed)
        _live(result, seed)
        if result.history or result.live:
            rebuild_statistics(quiet=True)
    return result


def _history(result: Seeded, count: int, seed: int) -> None:
    demo = {agency[0] for agency in AGENCIES}
    others = Agency.objects.filter(is_active=True).exclude(code__in=demo)
    result.history_skipped = sorted(others.values_list("code", flat=True))
    if count <= 0 or result.history_skipped:
        return
    assert result.first is not None and result.last is not None
    options = Options(count, result.first, result.last, seed=seed, steps=True)
    summary = generate(options, quiet=True, rebuild=False)
    result.history = dict(summary.written)
    result.history["events"] = write_history_events(Dossier.objects.all())


def _live(result: Seeded, seed: int) -> None:
    # The live dossiers are moved at past moments with time-machine, a development
    # dependency (installed by `make demo`'s uv sync, not by a production install).
    if find_spec("time_machine") is None:
        result.live_skipped = _("time-machine is not installed")
        return
    from .live import seed_live

    result.live = seed_live(seed)


# --- The events of the history -----------------------------------------------------------


@dataclass
class _Event:
    at: datetime
    action: str
    actor: int | None = None
    step: int | None = None
    note: str = ""
    data: dict = field(default_factory=dict)


def _is_clerk(step) -> bool:
    return step.role == Role.RECEIVING_CLERK


def _processing(steps: list) -> list:
    """The steps between the leading and trailing clerk steps (dossiers.flow.plan_of)."""
    first = 0
    while first < len(steps) and _is_clerk(steps[first]):
        first += 1
    if first == len(steps):
        return []
    last = len(steps)
    while last > first and _is_clerk(steps[last - 1]):
        last -= 1
    return steps[first:last]


def _step_events(dossier, steps: list) -> list[_Event]:
    """Hand-over when the first processing step started, then per processing step done:
    its assignment (by the head who did the step before) and its completion."""
    processing = [step for step in _processing(steps) if step.started_at is not None]
    if not processing or dossier.status == S.RECEIVED:
        return []
    first = processing[0]
    to = {"to_step": first.order}
    events = [_Event(first.started_at, A.HAND_OVER, dossier.received_by_id, first.pk, data=to)]
    head = None
    for step, following in zip(processing, [*processing[1:], None], strict=True):
        if step.role == Role.SPECIALIST and head is not None and step.assignee_id is not None:
            assigned = {"assignee": step.assignee_id}
            events.append(_Event(step.started_at, A.ASSIGN, head, step.pk, data=assigned))
        if step.state != DossierStep.State.DONE or step.finished_at is None:
            continue
        data = {
            "next_step": getattr(following, "order", None),
            "approved": step.role == Role.LEADER,
        }
        events.append(
            _Event(step.finished_at, A.COMPLETE_STEP, step.assignee_id, step.pk, data=data)
        )
        if step.role == Role.DEPARTMENT_HEAD:
            head = step.assignee_id
    return events


def _dossier_events(dossier, steps: list, supplement, apology) -> list[_Event]:
    """The events of one dossier's life, in the order it was told (sorted by `_rows`)."""
    d, clerk = dossier, dossier.received_by_id
    events = []
    if d.submitted_at is not None:
        events.append(_Event(d.submitted_at, A.SUBMIT_ONLINE, data={"system": True}))
    if d.status == S.NOT_RECEIVED:
        return [*events, _Event(d.finished_at, A.REFUSE_AT_RECEPTION, clerk, note=d.outcome_note)]
    events.append(_Event(d.received_at, A.RECEIVE, clerk, data={"due_at": d.original_due_at}))
    events += _step_events(d, steps)
    if supplement is not None:
        s = supplement
        events.append(
            _Event(s.requested_at, A.REQUEST_SUPPLEMENT, s.requested_by_id, note=s.reason)
        )
        if s.answered_at is not None:
            events.append(_Event(s.answered_at, A.RECEIVE_SUPPLEMENT, s.received_by_id))
    if apology is not None:
        a, data = apology, {"new_due_at": apology.new_due_at}
        events.append(_Event(a.created_at, A.APOLOGISE, a.created_by_id, note=a.reason, data=data))
    if d.status in (S.WITHDRAWN, S.STOPPED):
        ending = A.WITHDRAW if d.status == S.WITHDRAWN else A.STOP
        events.append(_Event(d.finished_at, ending, clerk))
    if d.status in (S.RESOLVED, S.RETURNED) and d.outcome == Dossier.Outcome.REFUSED:
        events = _refusal(events, d)
    elif d.status in (S.RESOLVED, S.RETURNED):
        events.append(_Event(d.finished_at, A.MARK_RESULT_READY, clerk))
    if d.status == S.RETURNED:
        events.append(_Event(d.returned_at, A.RETURN_RESULT, clerk))
    return events


def _refusal(events: list[_Event], dossier) -> list[_Event]:
    """A refusal after appraisal finishes the step in progress (results.refuse_after_appraisal):
    the last step's completion becomes the refusal, by the same officer."""
    done = [e for e in events if e.action == A.COMPLETE_STEP]
    last = max(done, key=lambda e: e.at, default=None)
    refusal = _Event(
        dossier.finished_at,
        A.REFUSE_AFTER_APPRAISAL,
        getattr(last, "actor", None),
        getattr(last, "step", None),
        note=dossier.outcome_note,
    )
    return [*(e for e in events if e is not last), refusal]


def _rows(dossier_id: int, events: list[_Event]) -> Iterable[DossierEvent]:
    """In time order, each with the status before and after it."""
    current = None
    for event in sorted(events, key=lambda e: e.at):  # stable: ties keep the story's order
        after = STATUS_AFTER.get(Action(event.action), current)
        assert after is not None
        yield DossierEvent(
            dossier_id=dossier_id,
            created_at=event.at,
            actor_id=event.actor,
            action=event.action,
            from_status=current,
            to_status=after,
            step_id=event.step,
            note=event.note,
            data={**SYNTHETIC, **_jsonable(event.data)},
        )
        current = after


def _jsonable(data: dict) -> dict:
    return {k: v.isoformat() if isinstance(v, datetime) else v for k, v in data.items()}


DOSSIER_COLUMNS = (
    "pk", "status", "outcome", "outcome_note", "submitted_at", "received_at", "finished_at",
    "returned_at", "original_due_at", "received_by_id",
)  # fmt: skip
STEP_COLUMNS = (
    "dossier_id",
    "pk",
    "order",
    "role",
    "assignee_id",
    "state",
    "started_at",
    "finished_at",
)
SUPPLEMENT_COLUMNS = (
    "dossier_id",
    "requested_at",
    "requested_by_id",
    "reason",
    "answered_at",
    "received_by_id",
)
APOLOGY_COLUMNS = ("dossier_id", "created_at", "created_by_id", "reason", "new_due_at")


def write_history_events(dossiers: QuerySet[Dossier], *, batch: int = 5_000) -> int:
    """The events of the dossiers' lives as the generator told them (received, handed over,
    assigned, steps done, supplement, apology, result, returned...), at their moments and by
    their officers, written in bulk. The statistics do not read events: nothing to announce."""
    chosen = dossiers.values("pk")
    steps = defaultdict(list)
    rows = DossierStep.objects.filter(dossier__in=chosen).order_by("dossier", "order", "pk")
    for step in rows.values_list(*STEP_COLUMNS, named=True):
        steps[step.dossier_id].append(step)
    supplements = {
        s.dossier_id: s
        for s in SupplementRequest.objects.filter(dossier__in=chosen)
        .order_by("requested_at")
        .values_list(*SUPPLEMENT_COLUMNS, named=True)
    }
    apologies = {
        a.dossier_id: a
        for a in Apology.objects.filter(dossier__in=chosen).values_list(
            *APOLOGY_COLUMNS, named=True
        )
    }
    pending: list[DossierEvent] = []
    written = 0
    for d in dossiers.order_by("pk").values_list(*DOSSIER_COLUMNS, named=True):
        events = _dossier_events(d, steps.get(d.pk, []), supplements.get(d.pk), apologies.get(d.pk))
        pending.extend(_rows(d.pk, events))
        if len(pending) >= batch:
            written += len(DossierEvent.objects.bulk_create(pending))
            pending = []
    written += len(DossierEvent.objects.bulk_create(pending))
    return written


# --- What the demo users find --------------------------------------------------------------


def queue_counts() -> list[tuple[str, list[tuple[str, int]]]]:
    """For each demo account with work: the non-empty queues of its "my work" page."""
    usernames = [account[0] for account in ACCOUNTS]
    users = get_user_model().objects.in_bulk(usernames, field_name="username")
    found = []
    for username in usernames:
        user = users.get(username)
        if user is None or user.is_superuser:
            continue
        counts = [(str(title), items(user).count()) for title, items in QUEUES]
        counts = [(title, n) for title, n in counts if n]
        if counts:
            found.append((username, counts))
    return found
