"""Every allowed edge of the transition table, and every refused one."""

import itertools

import pytest

from motcua.dossiers.status import (
    FINAL,
    NEW,
    TRANSITIONS,
    Action,
    IllegalTransition,
    Status,
    allowed_actions,
    transition,
)

STATES = [NEW, *Status]
ALLOWED = sorted(TRANSITIONS.items(), key=lambda kv: (kv[0][0] or 0, kv[0][1]))
REFUSED = [
    (state, action)
    for state, action in itertools.product(STATES, Action)
    if (state, action) not in TRANSITIONS
]


@pytest.mark.parametrize(("edge", "target"), ALLOWED, ids=lambda v: str(v))
def test_allowed_edge(edge, target):
    current, action = edge
    assert transition(current, action) == target


@pytest.mark.parametrize(("current", "action"), REFUSED, ids=lambda v: str(v))
def test_refused_edge_gives_a_reason(current, action):
    with pytest.raises(IllegalTransition) as info:
        transition(current, action)
    assert info.value.reason
    assert info.value.action == action


def test_final_statuses_allow_nothing():
    for status in FINAL:
        assert allowed_actions(status) == []


def test_every_status_is_reachable_from_a_new_dossier():
    reached, frontier = set(), {NEW}
    while frontier:
        state = frontier.pop()
        for action in allowed_actions(state):
            target = transition(state, action)
            if target not in reached:
                reached.add(target)
                frontier.add(target)
    assert reached == set(Status)


def test_integer_codes_are_accepted():
    assert transition(9, "return_result") == Status.RETURNED
