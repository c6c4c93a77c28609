"""The statements each lifecycle transition sends, pinned so that they cannot silently grow
(issue 12 §3, decision record 0010: the transitions' speed is their number of statements).

Counted inside the test's transaction, so BEGIN and COMMIT appear as the service's SAVEPOINT
and RELEASE (two statements either way). What a processing transition sends: the dossier
locked (one read), its steps (one read, their agencies' names joined), the actor's roles at
the agency the policy asks about (one recursive read), the calendar's change stamp when a
step starts, one UPDATE for every step it changes (not one `bulk_update`: its CASE
statement costs more Python than it saves, see flow.save_steps), one event INSERT, and one
UPDATE of the dossier with its statistics' tally when that moved. A change of these numbers
is a change of what a transition reads or writes: check it is needed, then update the figure
here.
"""

import pytest

from motcua.dossiers.intake import HandedIn, Intake, receive_dossier
from motcua.dossiers.models import Dossier
from motcua.dossiers.operations import perform
from motcua.dossiers.preconditions import Expected
from motcua.dossiers.processing import approve, assign_step, complete_step, hand_over, send_back
from motcua.dossiers.results import mark_result_ready, refuse_after_appraisal, return_result

from .conftest import CITIZEN, MONDAY, at

pytestmark = pytest.mark.django_db


@pytest.fixture
def intake(criminal_record, centre) -> Intake:
    components = criminal_record.current_version.components.all()
    return Intake(
        criminal_record,
        centre,
        CITIZEN,
        handed_in=[HandedIn(c.pk, originals=1) for c in components],
    )


def test_receipt_at_the_counter(intake, centre_clerk, django_assert_num_queries):
    # The roles, the implementing agencies, the competent agency, the calendar, the
    # template's steps, the dossier, its steps (one INSERT), the template's components and
    # the dossier's, the event, the tallies (day, month, snapshot months), the dossier's
    # tally, the day's number and the code. The template's components are read once, for the
    # completeness check and the dossier's rows, and stay cached on the reused version here.
    # The quality tallies (decision 0015): its documents, files and steps' agencies in one
    # read, the quality day and month rows. The ticket the clerk is serving, if any
    # (queueing.linking: the dossier remembers its ticket). Whether the version carries fee
    # items (payments.priced: asked each time, exact across processes).
    receive_dossier(intake, actor=centre_clerk)  # the calendar built, as in a running server
    with at(MONDAY), django_assert_num_queries(22):
        receive_dossier(intake, actor=centre_clerk)


def test_hand_over(receive, centre_clerk, django_assert_num_queries):
    dossier = receive()
    with at(MONDAY), django_assert_num_queries(10):
        hand_over(dossier, actor=centre_clerk)


def test_assign_the_step_in_progress(
    processing, department_head, specialist, django_assert_num_queries
):
    # Two role reads: the head's (may they assign?) and the assignee's (may they do it?).
    with at(MONDAY), django_assert_num_queries(9):
        assign_step(processing, actor=department_head, assignee=specialist)


def test_complete_a_step_and_start_the_next(processing, specialist, django_assert_num_queries):
    # The officer's quality tallies (decision 0015): the day and month rows.
    with at(MONDAY), django_assert_num_queries(12):
        complete_step(processing, actor=specialist)


def test_approve_the_last_processing_step(
    processing, specialist, department_head, commune_specialist, leader, django_assert_num_queries
):
    with at(MONDAY):
        for actor in (specialist, department_head, commune_specialist):
            complete_step(processing, actor=actor)
    # Nothing starts after the approval: no calendar read. The agency's result key, looked
    # for once (signing.keys: one statement; none here, so nothing is signed).
    with at(MONDAY), django_assert_num_queries(11):  # the officer's quality tallies
        approve(processing, actor=leader)


def _approved(dossier, specialist, department_head, commune_specialist, leader) -> Dossier:
    with at(MONDAY):
        for actor in (specialist, department_head, commune_specialist):
            complete_step(dossier, actor=actor)
        approve(dossier, actor=leader)
    return dossier


def test_result_ready(
    processing,
    specialist,
    department_head,
    commune_specialist,
    leader,
    centre_clerk,
    django_assert_num_queries,
):
    dossier = _approved(processing, specialist, department_head, commune_specialist, leader)
    # The tallies move (day and month upserts, the snapshot months read); the dossier's
    # change and its new tally are one UPDATE. The quality tallies (decision 0015): the
    # calendar's stamp (working time to the result), the quality day and month rows. The
    # result files entered in the registry (registry.copies: none here). Whether the
    # version carries fee items (payments.priced).
    with at(MONDAY), django_assert_num_queries(15):
        mark_result_ready(dossier, actor=centre_clerk)


def test_return_the_result(
    processing,
    specialist,
    department_head,
    commune_specialist,
    leader,
    centre_clerk,
    django_assert_num_queries,
):
    dossier = _approved(processing, specialist, department_head, commune_specialist, leader)
    with at(MONDAY):
        mark_result_ready(dossier, actor=centre_clerk)
    # The return step's times and state are one UPDATE. The pickup ticket the clerk is
    # serving, if any (queueing.linking).
    with at(MONDAY), django_assert_num_queries(10):
        return_result(dossier, actor=centre_clerk, method="in_person", collected_by_name="An")


def test_send_back(processing, specialist, department_head, django_assert_num_queries):
    with at(MONDAY):
        complete_step(processing, actor=specialist)
    # The officer's quality tallies (decision 0015): the completion sent back leaves them.
    with at(MONDAY), django_assert_num_queries(12):
        send_back(processing, actor=department_head, to_order=2, reason="Thiếu xác minh")


def test_refuse_after_appraisal(processing, leader, django_assert_num_queries):
    # The steps read once (policy and cancellation, not again after the step finished); the
    # step in progress finished and the later processing steps cancelled, one UPDATE each;
    # the tallies move.
    # The quality tallies (decision 0015): the calendar's stamp, the quality day and month rows.
    with at(MONDAY), django_assert_num_queries(17):
        refuse_after_appraisal(processing, actor=leader, reasons="Không đủ điều kiện")


def test_an_operation_through_the_doors_locks_the_dossier_once(
    processing, specialist, django_assert_num_queries
):
    """operations.perform (the back office and the API) checks what the caller saw under the
    lock and runs the service, which reuses the locked row: the statements of the service
    alone, its SAVEPOINT and RELEASE inside perform's."""
    expected = Expected(version=processing.version)
    with at(MONDAY), django_assert_num_queries(14):  # the officer's quality tallies
        perform("complete", processing, actor=specialist, values={}, expected=expected)
