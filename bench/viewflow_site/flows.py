"""The lifecycle bench's process (bench/bench_lifecycle.py) as a viewflow flow: started from
code at the counter (receipt), then six user tasks in sequence, each assigned on creation to
the officer of its role, as `View(...).Assign(username=...)` documents. Each task is
completed as viewflow's own task views do it (UpdateProcessView.form_valid: save the process,
then `activation.execute()`), inside `task.activation()`, which takes the flow's lock and a
transaction: one commit per step, its history being viewflow's task rows (created, assigned,
started, finished, owner) and the process row."""

from viewflow import this
from viewflow.workflow import flow, lock
from viewflow.workflow.flow.views import UpdateProcessView

from .models import DossierProcess

# (task, the officer it is assigned to), in order, after the receipt.
TASKS = [
    ("hand_over", "clerk"),
    ("appraise", "specialist"),
    ("review", "head"),
    ("draft", "specialist"),
    ("approve", "leader"),
    ("result_ready", "clerk"),
]


def _task(name: str, owner: str, following: str) -> flow.View:
    view = UpdateProcessView.as_view(fields=["stage"])
    return flow.View(view).Assign(username=owner).Next(getattr(this, following))


class DossierFlow(flow.Flow):
    process_class = DossierProcess
    lock_impl = lock.select_for_update_lock  # the row lock motcua takes (no-op on SQLite)

    start = flow.StartHandle(this.receive).Next(this.hand_over)
    hand_over = _task("hand_over", "clerk", "appraise")
    appraise = _task("appraise", "specialist", "review")
    review = _task("review", "head", "draft")
    draft = _task("draft", "specialist", "approve")
    approve = _task("approve", "leader", "result_ready")
    result_ready = _task("result_ready", "clerk", "end")
    end = flow.End()

    def receive(self, activation, *, code: str, applicant: str):
        activation.process.code = code
        activation.process.applicant = applicant
        activation.process.stage = "received"
        return activation.process
