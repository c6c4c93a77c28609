"""Work queues, scoped by role, agency and department, at a fixed number of queries."""

import pytest

from conftest import make_user
from motcua.dossiers import queues
from motcua.dossiers.intake import Intake, submit_online
from motcua.dossiers.processing import assign_step, complete_step, hand_over
from motcua.dossiers.supplements import request_supplement
from motcua.organisations.roles import Role

from .conftest import CITIZEN, MONDAY, at, vn


@pytest.fixture
def commune_leader(commune_agency):
    return make_user("commune_leader", commune_agency, Role.LEADER)


STAGES = ("submitted", "received", "unassigned", "assigned", "at_commune", "signature", "waiting")


@pytest.fixture
def build(
    receive,
    criminal_record,
    centre,
    centre_clerk,
    department_head,
    specialist,
    commune_specialist,
):
    """build(stage) -> a dossier received on MONDAY (due Monday 16 March 17:00) at `stage`."""

    def make(stage: str):
        if stage == "submitted":
            with at(MONDAY):
                return submit_online(Intake(criminal_record, centre, CITIZEN))
        dossier = receive()
        if stage == "received":
            return dossier
        with at(MONDAY):
            hand_over(dossier, actor=centre_clerk)
            if stage == "assigned":
                assign_step(dossier, actor=department_head, assignee=specialist)
            done = {"at_commune": 2, "signature": 3}.get(stage, 0)
            for actor in (specialist, department_head, commune_specialist)[:done]:
                complete_step(dossier, actor=actor)
            if stage == "waiting":
                request_supplement(dossier, actor=specialist, reason="x", items=["y"])
        return dossier

    return make


@pytest.fixture
def world(build):
    """One dossier at every stage."""
    return {stage: build(stage) for stage in STAGES}


def codes(queryset) -> set[str]:
    return {getattr(row, "dossier", row).code for row in queryset}


def names(world, *keys) -> set[str]:
    return {world[key].code for key in keys}


def test_counter_queues(world, centre_clerk, clerk):
    assert codes(queues.to_receive(centre_clerk)) == names(world, "submitted")
    assert codes(queues.to_hand_over(centre_clerk)) == names(world, "received")
    assert not queues.to_receive(clerk).exists() and not queues.to_hand_over(clerk).exists()


def test_assignment_queues_follow_department_and_agency(
    world, department_head, leader, commune_leader, specialist
):
    assert codes(queues.to_assign(department_head)) == names(world, "unassigned")
    assert codes(queues.to_assign(leader)) == names(world, "unassigned", "signature")
    assert codes(queues.to_assign(commune_leader)) == names(world, "at_commune")
    assert not queues.to_assign(specialist).exists()


def test_officer_and_approver_queues(world, specialist, leader, commune_leader, department_head):
    assert codes(queues.to_process(specialist)) == names(world, "assigned")
    assert codes(queues.to_approve(leader)) == names(world, "signature")
    assert not queues.to_approve(commune_leader).exists()
    assert codes(queues.department_steps(department_head)) == names(world, "unassigned", "assigned")


def test_waiting_and_deadline_queues(world, leader, centre_clerk, clerk_of_other_agency):
    waiting = names(world, "waiting")
    assert codes(queues.waiting_for_citizen(leader)) == waiting
    assert codes(queues.waiting_for_citizen(centre_clerk)) == waiting
    open_running = names(world, "received", "unassigned", "assigned", "at_commune", "signature")
    assert codes(queues.due_within_24h(leader, vn(2026, 3, 12, 9, 0))) == open_running
    assert not queues.due_within_24h(leader, vn(2026, 3, 9, 9, 0)).exists()
    assert codes(queues.overdue(centre_clerk, vn(2026, 3, 17, 9, 0))) == open_running
    assert not queues.overdue(clerk_of_other_agency, vn(2026, 3, 17, 9, 0)).exists()


def test_anonymous_and_other_agencies_see_nothing(world, clerk_of_other_agency):
    from django.contrib.auth.models import AnonymousUser

    for user in (AnonymousUser(), clerk_of_other_agency):
        for queue in (queues.to_process, queues.to_assign, queues.to_approve, queues.overdue):
            assert not queue(user).exists()


def _touch_steps(rows) -> None:
    for row in rows:
        shown = [row.dossier.code, row.dossier.procedure.name, row.dossier.receiving_agency.name]
        shown += [row.agency.name, row.department and row.department.name, row.assignee]
        assert shown[0]


def _touch_dossiers(rows) -> None:
    for row in rows:
        shown = [row.code, row.procedure.name, row.receiving_agency, row.competent_agency]
        assert all(shown)


QUERY_COUNTS = [
    ("to_assign", "department_head", _touch_steps, 4),
    ("department_steps", "department_head", _touch_steps, 2),
    ("to_process", "specialist", _touch_steps, 1),
    ("to_approve", "leader", _touch_steps, 3),
    ("to_hand_over", "centre_clerk", _touch_dossiers, 3),
    ("waiting_for_citizen", "leader", _touch_dossiers, 3),
]


def _measure(request, django_assert_num_queries) -> dict[str, int]:
    """Rows per queue, each listed with its related rows in the pinned number of queries."""
    found = {}
    for queue, user, touch, queries in QUERY_COUNTS:
        # A fresh user object, as each request has: the permission reads are kept on it.
        who = type(fixture := request.getfixturevalue(user)).objects.get(pk=fixture.pk)
        with django_assert_num_queries(queries):
            rows = list(getattr(queues, queue)(who))
            touch(rows)
        found[queue] = len(rows)
    return found


def test_query_counts_do_not_grow_with_the_list(world, request, build, django_assert_num_queries):
    before = _measure(request, django_assert_num_queries)
    for stage in STAGES:
        build(stage)
    after = _measure(request, django_assert_num_queries)
    assert all(before.values())
    assert all(after[queue] > before[queue] for queue in before)


def test_after_the_hour_on_the_appointment_day_a_dossier_is_due_today_not_overdue(build, leader):
    """The on-time rule (timeleft, decision 0011): due Monday 16 March 17:00, at 17:30 it is
    still due (today), overdue from Tuesday 00:00."""
    dossier = build("unassigned")
    evening, next_day = vn(2026, 3, 16, 17, 30), vn(2026, 3, 17, 0, 5)
    assert dossier.code in codes(queues.due_within_24h(leader, evening))
    assert not queues.overdue(leader, evening).exists()
    assert codes(queues.overdue(leader, next_day)) == {dossier.code}
    assert not queues.due_within_24h(leader, next_day).exists()
