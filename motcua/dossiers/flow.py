"""What every lifecycle service does: lock the dossier, move its status, move its steps.

How the pinned process template maps onto the lifecycle (Circular 01/2018 art. 8, the
approved internal process; domain.md §3.3):

* **Reception steps** are the leading steps whose role is the receiving clerk. Reception
  itself happened at the counter (intake.py), so `hand_over` marks them done.
* **Return steps** are the trailing receiving-clerk steps after the processing steps: they
  stand for handing the result to the applicant and are marked done by `return_result`.
* **Processing steps** are the ones in between; they run one at a time, in order. When a
  template has only clerk steps, the first is reception and the rest are return.

Only a processing step is ever ACTIVE, and at most one at a time.
"""

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime

from django.utils.translation import gettext as _

from motcua.organisations.roles import Role
from motcua.workdays.calendar import WorkCalendar

from .errors import DossierError
from .models import Dossier, DossierStep
from .status import Action, Status, transition

State = DossierStep.State
# The step's own columns (its agency's name comes with the read, nothing else of the agency).
STEP_COLUMNS = tuple(f.name for f in DossierStep._meta.concrete_fields)


@dataclass(frozen=True)
class Plan:
    """A dossier's steps, split by what they stand for."""

    reception: list[DossierStep]
    processing: list[DossierStep]
    returning: list[DossierStep]

    @property
    def active(self) -> DossierStep | None:
        return next((s for s in self.processing if s.state == State.ACTIVE), None)

    def next_after(self, step: DossierStep) -> DossierStep | None:
        """The next processing step still to run after `step` (pending or sent back)."""
        waiting = (State.PENDING, State.SENT_BACK)
        return next(
            (s for s in self.processing if s.order > step.order and s.state in waiting), None
        )

    def unfinished(self) -> list[DossierStep]:
        return [s for s in self.processing if s.state != State.DONE]


def _is_clerk(step: DossierStep) -> bool:
    return step.role == Role.RECEIVING_CLERK


def steps_of(dossier: Dossier) -> list[DossierStep]:
    """The dossier's steps in order, each with its agency's name loaded (one read). They are
    left on the dossier as `steps_read`, changed in place by the transition, for the
    lifecycle's subscribers (the statistics' tallies) to read without reading them again."""
    steps = list(
        DossierStep.objects.filter(dossier_id=dossier.pk)
        .select_related("agency")
        .only(*STEP_COLUMNS, "agency__name")
        .order_by("order", "id")
    )
    dossier.steps_read = steps  # type: ignore[attr-defined]
    return steps


def plan_of(dossier: Dossier) -> Plan:
    steps = steps_of(dossier)
    first = 0
    while first < len(steps) and _is_clerk(steps[first]):
        first += 1
    if first == len(steps):
        first = min(len(steps), 1)
    last = len(steps)
    while last > first and _is_clerk(steps[last - 1]):
        last -= 1
    return Plan(steps[:first], steps[first:last], steps[last:])


# The dossier locked by `holding` for the transaction in progress: the services called inside
# reuse its row instead of reading it again under the same lock.
_held: ContextVar[Dossier | None] = ContextVar("motcua_held_dossier", default=None)


def lock(dossier: Dossier) -> Dossier:
    """The dossier's row, locked until the end of the transaction (two clerks may race);
    read once: inside `holding`, the row it locked."""
    held = _held.get()
    if held is not None and held.pk == dossier.pk:
        return held
    return Dossier.objects.select_for_update().get(pk=dossier.pk)


@contextmanager
def holding(dossier: Dossier) -> Iterator[Dossier]:
    """Lock `dossier` and let the services called inside the block use that row (one read
    under the lock instead of one per layer). Only inside a transaction that outlives the
    block (operations.perform), so the lock is held whenever the row is reused."""
    locked = lock(dossier)
    token = _held.set(locked)
    try:
        yield locked
    finally:
        _held.reset(token)


def move(dossier: Dossier, action: Action) -> Status | None:
    """Set the status after `action` (IllegalTransition if not allowed); the previous one."""
    previous = dossier.status
    dossier.status = transition(previous, action)
    return previous


def require_active(plan: Plan) -> DossierStep:
    step = plan.active
    if step is None:
        raise DossierError("no_active_step", _("No step of this dossier is in progress."))
    return step


FINISHED = ("state", "finished_at")
STARTED = ("state", "started_at", "finished_at", "due_at")


def start(step: DossierStep, now: datetime, calendar: WorkCalendar) -> DossierStep:
    """Make `step` the active one: its budget counts in working hours from now. Saved by
    `save_steps` with STARTED."""
    step.state = State.ACTIVE
    step.started_at = now
    step.finished_at = None
    step.due_at = calendar.add_working_hours(now, step.budget_hours)
    return step


def finish(step: DossierStep, now: datetime, state: str = State.DONE) -> DossierStep:
    """Saved by `save_steps` with FINISHED."""
    step.state = state
    step.finished_at = now
    return step


def save_steps(steps: Iterable[DossierStep | None], fields: Iterable[str]) -> None:
    """Save `fields` of the steps a transition changed, one UPDATE each (None: no step).
    Not `bulk_update`: its one statement (a CASE per column) costs about 1 ms more of Python
    than two saves for the two steps of a transition, on SQLite and on PostgreSQL alike."""
    fields = list(dict.fromkeys(fields))
    for step in steps:
        if step is not None:
            step.save(update_fields=fields)


def cancel_remaining(
    plan: Plan, now: datetime, *, return_steps: bool, also: DossierStep | None = None
) -> list[int]:
    """The dossier ended: processing steps not done are cancelled (the active one finishes
    now), and the return steps too when `return_steps` (nothing will be handed over).
    `also`: a step the caller finished, saved in the same statement. The orders cancelled."""
    steps = [s for s in plan.unfinished() if s is not also]
    steps += plan.returning if return_steps else []
    for step in steps:
        step.state = State.CANCELLED
        if step.started_at is not None:
            step.finished_at = now
    save_steps([*steps, also], FINISHED)
    return [step.order for step in steps]


def require_text(value: str, code: str, message: str) -> str:
    text = (value or "").strip()
    if not text:
        raise DossierError(code, message)
    return text
