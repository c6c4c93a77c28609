"""The processing steps of a synthetic dossier (optional: `generate_dossiers --steps`).

The pinned process is spread over working time in proportion to each step's budget: from
receipt to the end for a resolved dossier; for one withdrawn, stopped or still open, to a
working day past its appointment or its end, so that it has its steps done, the one in
progress (active, or cancelled if it was withdrawn or stopped) and the rest pending (or
cancelled). Each step is assigned to the first officer of its agency with its role.
"""

from datetime import datetime

from motcua.dossiers.models import DossierStep
from motcua.dossiers.status import Status

from .world import Place, Plan

State = DossierStep.State
RESOLVED = {Status.RESOLVED, Status.RETURNED}


def plan_steps(teller, story, plan: Plan, competent: Place) -> list:
    from .story import StepRow

    if story.received_at is None or not plan.steps:
        return []
    clock, places = teller.clock, teller.world.places
    total = sum(step.budget_seconds for step in plan.steps) or 1
    begin = clock.position(story.received_at)
    cut = story.finished_at if story.finished_at is not None else teller.horizon
    if story.status in RESOLVED:
        end = clock.position(story.finished_at)
    else:  # the end falls inside the plan: some steps done, one in progress
        planned = max(story.due_at or story.received_at, cut)
        end = clock.position(planned) + clock.day_seconds
    span = max(0, end - begin)
    rows, used = [], 0
    for step in plan.steps:
        start_at = clock.moment_at(begin + span * used // total)
        used += step.budget_seconds
        end_at = clock.moment_at(begin + span * used // total)
        agency = step.agency_id or competent.id
        place = places.get(agency)
        row = StepRow(
            order=step.order,
            name=step.name,
            role=step.role,
            agency_id=agency,
            department_id=step.department_id,
            assignee_id=place.by_role.get(step.role) if place else None,
            budget_hours=step.budget_hours,
            state=State.DONE,
            started_at=start_at,
            due_at=clock.moment_at(clock.position(start_at) + step.budget_seconds),
            finished_at=end_at,
        )
        _cut(row, story, cut)
        rows.append(row)
    return rows


def _cut(row, story, cut: datetime) -> None:
    """The step as it stood when the dossier ended (withdrawn, stopped) or at the end date
    (still open)."""
    if story.status in RESOLVED or row.finished_at <= cut:
        return
    ended = story.status in (Status.WITHDRAWN, Status.STOPPED)
    if row.started_at <= cut:
        row.state = State.CANCELLED if ended else State.ACTIVE
        row.finished_at = cut if ended else None
        return
    row.state = State.CANCELLED if ended else State.PENDING
    row.started_at = row.due_at = row.finished_at = None
