"""Waiting and service times from the events (pure): nearest-rank percentile, waits from issue
to first call, service from start to end, no-shows counted."""

from datetime import datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from motcua.queueing.figures import Row, group, overall, percentile, visits

T0 = datetime(2026, 12, 1, 2, 0)


def at(minutes: float) -> datetime:
    return T0 + timedelta(minutes=minutes)


@given(st.lists(st.floats(min_value=0, max_value=1e4, allow_nan=False), min_size=1))
def test_the_90th_percentile_is_an_observed_value_that_90_percent_do_not_exceed(values):
    p90 = percentile(values, 0.9)
    assert p90 in values
    assert sum(v <= p90 for v in values) >= 0.9 * len(values)
    assert sum(v < p90 for v in values) < 0.9 * len(values)


def test_percentile_of_nothing_is_none():
    assert percentile([], 0.9) is None


def test_waits_services_and_no_shows_by_counter():
    rows = [
        Row(1, "issued", at(0), "A", None, ""),
        Row(2, "issued", at(1), "A", None, ""),
        Row(1, "called", at(10), "A", 1, "lan"),
        Row(1, "recalled", at(11), "A", 1, "lan"),
        Row(1, "started", at(12), "A", 1, "lan"),
        Row(1, "held", at(14), "A", 1, "lan"),
        Row(1, "started", at(20), "A", 1, "lan"),
        Row(1, "finished", at(23), "A", 1, "lan"),
        Row(2, "called", at(21), "A", 2, "hung"),
        Row(2, "skipped", at(25), "A", 2, "hung"),
    ]
    found = visits(rows, lambda moment: (moment.hour + 7) % 24)
    total = overall(found)
    assert (total.tickets, total.served, total.no_shows) == (2, 1, 1)
    assert total.waits == [10.0, 20.0]
    assert total.services == [5.0]  # 2 minutes, then 3 after the hold
    by_counter = group(found, lambda v: v.counter)
    assert by_counter[1].served == 1 and by_counter[2].no_shows == 1
    assert list(group(found, lambda v: v.hour)) == [9]
