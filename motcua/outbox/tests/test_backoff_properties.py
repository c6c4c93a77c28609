"""The retry schedule (backoff.py), property-based: bounds, growth, the cap, and the bounded
time before a dead letter, for any base, cap, attempt and random draw."""

import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from motcua.outbox.backoff import Backoff

bases = st.floats(min_value=0.001, max_value=3600, allow_nan=False)
ratios = st.floats(min_value=1, max_value=10_000, allow_nan=False)
attempts = st.integers(min_value=1, max_value=10_000)
seeds = st.integers(min_value=0, max_value=2**32)


@st.composite
def schedules(draw) -> Backoff:
    base = draw(bases)
    return Backoff(base=base, cap=base * draw(ratios))


@given(schedules(), attempts, seeds)
def test_the_wait_lies_in_the_upper_half_of_the_ceiling(backoff, attempt, seed):
    wait = backoff.delay(attempt, random.Random(seed))
    assert backoff.floor(attempt) <= wait <= backoff.ceiling(attempt)
    assert 0 < wait <= backoff.cap


@given(schedules(), attempts)
def test_ceilings_double_until_the_cap_and_never_shrink(backoff, attempt):
    now, then = backoff.ceiling(attempt), backoff.ceiling(attempt + 1)
    assert then >= now
    assert then == min(backoff.cap, now * 2) or now == backoff.cap


@given(schedules())
def test_the_first_retry_waits_between_half_the_base_and_the_base(backoff):
    assert (backoff.floor(1), backoff.ceiling(1)) == (backoff.base / 2, backoff.base)


@given(schedules(), st.integers(min_value=1, max_value=200), seeds)
def test_a_message_is_dead_within_the_worst_total(backoff, last, seed):
    rng = random.Random(seed)
    waited = sum(backoff.delay(n, rng) for n in range(1, last + 1))
    assert waited <= backoff.worst_total(last) + 1e-6 * last
    assert backoff.worst_total(last) <= last * backoff.cap * (1 + 1e-9)


@given(schedules(), attempts, st.lists(seeds, min_size=2, max_size=20, unique=True))
def test_jitter_spreads_messages_that_failed_together(backoff, attempt, many):
    waits = {backoff.delay(attempt, random.Random(seed)) for seed in many}
    assert len(waits) > 1


def test_attempts_count_from_one():
    with pytest.raises(ValueError):
        Backoff(1, 2).ceiling(0)
