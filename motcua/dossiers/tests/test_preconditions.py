"""The dossier's version counts its changes, and an operation prepared against another
version or step is refused before it runs (issue 11 §2.1), whichever door calls it."""

import pytest

from motcua.dossiers.deadlines import process_deadlines
from motcua.dossiers.errors import DossierError
from motcua.dossiers.operations import STEP_ACTIONS, perform
from motcua.dossiers.preconditions import Expected
from motcua.dossiers.processing import assign_step, complete_step
from motcua.dossiers.supplements import receive_supplement, request_supplement

from .conftest import MONDAY, at, reread, snapshot, vn


def test_every_change_by_a_service_adds_one_to_the_version(
    receive, centre_clerk, department_head, specialist
):
    dossier = receive()
    assert reread(dossier).version == 1
    with at(MONDAY):
        perform("hand-over", dossier, actor=centre_clerk, values={})
        assert reread(dossier).version == 2
        assign_step(dossier, actor=department_head, assignee=specialist)
        assert reread(dossier).version == 3
        request_supplement(dossier, actor=specialist, reason="Thiếu", items=["Tờ khai"])
        receive_supplement(dossier, actor=centre_clerk)
        assert reread(dossier).version == 5
        complete_step(dossier, actor=specialist)
        assert reread(dossier).version == 6


def test_the_deadline_worker_does_not_change_the_version(processing):
    before = reread(processing).version
    process_deadlines(vn(2026, 3, 20, 9, 0))  # overdue by then: warnings recorded
    assert processing.events.filter(action="overdue").exists()
    assert reread(processing).version == before


@pytest.mark.parametrize(
    "expected",
    [Expected(version=1), Expected(step=-1), Expected(version=2, step=-1)],
    ids=["old version", "another step", "right version, another step"],
)
def test_an_operation_prepared_against_something_else_is_refused(processing, specialist, expected):
    before = snapshot(processing)
    with at(MONDAY), pytest.raises(DossierError) as refused:
        perform("complete", processing, actor=specialist, values={}, expected=expected)
    assert (refused.value.code, refused.value.status) == ("stale_action", 409)
    assert snapshot(processing) == before


@pytest.mark.parametrize("name", sorted(STEP_ACTIONS))
def test_an_operation_on_the_step_needs_a_precondition(processing, specialist, name):
    before = snapshot(processing)
    with pytest.raises(DossierError) as refused:
        perform(name, processing, actor=specialist, values={})
    assert (refused.value.code, refused.value.status) == ("precondition_required", 428)
    assert snapshot(processing) == before


def test_the_step_in_progress_or_the_current_version_lets_it_run(processing, specialist):
    appraisal = processing.steps.get(order=2)
    with at(MONDAY):
        perform(
            "complete",
            processing,
            actor=specialist,
            values={},
            expected=Expected(step=appraisal.pk),
        )
    fresh = reread(processing)
    assert fresh.steps.get(order=2).state == "done" and fresh.version == 3
