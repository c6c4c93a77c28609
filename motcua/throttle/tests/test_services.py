"""Attempt counters: counting, windows, keys, pruning and the client address."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.test import RequestFactory

from motcua.throttle.clients import client_address, client_ip
from motcua.throttle.models import AttemptCounter
from motcua.throttle.services import (
    Limit,
    hit,
    hit_all,
    prune_expired,
    seconds_until_reset,
    storage_key,
    undo_hit,
)

T0 = datetime(2026, 3, 9, 2, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _no_random_pruning(settings):
    settings.MOTCUA_THROTTLE_PRUNE_EVERY = 0


@time_machine.travel(T0, tick=False)
def test_attempts_within_the_limit_pass_and_the_next_is_refused(db):
    results = [hit("k", limit=3, window_seconds=60) for _ in range(5)]

    assert results == [True, True, True, False, False]
    row = AttemptCounter.objects.get(key="k")
    assert row.count == 5
    assert row.expires_at == T0 + timedelta(seconds=60)


def test_a_new_window_starts_after_the_old_one_ends(db):
    with time_machine.travel(T0, tick=False):
        assert [hit("k", limit=1, window_seconds=60) for _ in range(2)] == [True, False]
    with time_machine.travel(T0 + timedelta(seconds=59), tick=False):
        assert hit("k", limit=1, window_seconds=60) is False
    with time_machine.travel(T0 + timedelta(seconds=60), tick=False):
        assert hit("k", limit=1, window_seconds=60) is True
    row = AttemptCounter.objects.get(key="k")
    assert (row.count, row.expires_at) == (1, T0 + timedelta(seconds=120))


@time_machine.travel(T0, tick=False)
def test_keys_are_counted_separately(db):
    assert hit("a", limit=1, window_seconds=60)
    assert hit("b", limit=1, window_seconds=60)
    assert not hit("a", limit=1, window_seconds=60)
    assert AttemptCounter.objects.get(key="b").count == 1


@time_machine.travel(T0, tick=False)
def test_undo_hit_gives_an_attempt_back_but_never_goes_below_zero(db):
    hit("k", limit=1, window_seconds=60)
    undo_hit("k")
    undo_hit("k")
    undo_hit("missing")

    assert AttemptCounter.objects.get(key="k").count == 0
    assert hit("k", limit=1, window_seconds=60) is True


@time_machine.travel(T0, tick=False)
def test_hit_all_counts_every_key_once_and_names_the_limits_exceeded(db):
    tight, loose = Limit("tight", 1, 60), Limit("loose", 5, 600)

    assert hit_all([tight, loose]) == []
    assert hit_all([loose, tight]) == [tight]
    undo_hit("tight", "loose")

    rows = {row.key: (row.count, row.expires_at) for row in AttemptCounter.objects.all()}
    assert rows == {
        "tight": (1, T0 + timedelta(seconds=60)),
        "loose": (1, T0 + timedelta(seconds=600)),
    }


@pytest.mark.django_db(transaction=True)
@time_machine.travel(T0, tick=False)
def test_counting_outside_a_transaction(settings):
    # As a request does it: in autocommit, each statement its own transaction.
    settings.MOTCUA_THROTTLE_PRUNE_EVERY = 0
    assert [hit("k", limit=2, window_seconds=60) for _ in range(3)] == [True, True, False]
    undo_hit("k")
    assert AttemptCounter.objects.get(key="k").count == 2


def test_seconds_until_reset_rounds_up_and_is_at_least_one(db):
    with time_machine.travel(T0, tick=False):
        hit("k", limit=1, window_seconds=600)
    with time_machine.travel(T0 + timedelta(seconds=100.5), tick=False):
        assert seconds_until_reset("k") == 500
    assert seconds_until_reset("missing") == 1


@time_machine.travel(T0, tick=False)
def test_long_keys_are_stored_hashed(db):
    key = "tracking:code:" + "X" * 300

    assert hit(key, limit=1, window_seconds=60)
    assert not hit(key, limit=1, window_seconds=60)
    assert storage_key(key).startswith("sha256:")
    assert AttemptCounter.objects.get().key == storage_key(key)


def test_expired_counters_are_pruned(db, settings):
    with time_machine.travel(T0, tick=False):
        hit("old", limit=1, window_seconds=60)
        hit("fresh", limit=1, window_seconds=3600)
    with time_machine.travel(T0 + timedelta(minutes=5), tick=False):
        assert prune_expired() == 1
    assert list(AttemptCounter.objects.values_list("key", flat=True)) == ["fresh"]


def test_hit_prunes_when_configured(db, settings):
    settings.MOTCUA_THROTTLE_PRUNE_EVERY = 1
    with time_machine.travel(T0, tick=False):
        hit("old", limit=1, window_seconds=60)
    with time_machine.travel(T0 + timedelta(minutes=5), tick=False):
        hit("new", limit=1, window_seconds=60)
    assert list(AttemptCounter.objects.values_list("key", flat=True)) == ["new"]


def test_prune_command(db, capsys):
    with time_machine.travel(T0, tick=False):
        hit("old", limit=1, window_seconds=60)
    call_command("prune_attempt_counters")
    assert "attempt counters deleted: 1" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("proxies", "remote", "forwarded", "expected"),
    [
        (0, "203.0.113.9", "", "203.0.113.9"),
        (0, "10.0.0.2", "198.51.100.7", "10.0.0.2"),  # the header is ignored without proxies
        (1, "10.0.0.2", "198.51.100.7", "198.51.100.7"),
        (1, "10.0.0.2", "6.6.6.6, 198.51.100.7", "198.51.100.7"),  # forged entry on the left
        (2, "10.0.0.3", "6.6.6.6, 198.51.100.7, 10.0.0.2", "198.51.100.7"),
        (2, "10.0.0.3", "198.51.100.7", "10.0.0.3"),  # fewer entries than proxies
        (1, "10.0.0.2", " , ", "10.0.0.2"),
    ],
)
def test_client_address(settings, proxies, remote, forwarded, expected):
    settings.MOTCUA_TRUSTED_PROXY_COUNT = proxies
    request = RequestFactory().get("/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded)
    assert client_address(request) == expected


@pytest.mark.parametrize(
    ("proxies", "remote", "forwarded", "expected"),
    [
        (0, "203.0.113.9", "", "203.0.113.9"),
        (0, "2001:db8::1", "", "2001:db8::1"),
        (0, "", "", None),  # a Unix socket: no peer address
        (1, "", "not-an-address", None),
        (1, "10.0.0.2", "198.51.100.7", "198.51.100.7"),
    ],
)
def test_client_ip_is_an_address_or_none(settings, proxies, remote, forwarded, expected):
    settings.MOTCUA_TRUSTED_PROXY_COUNT = proxies
    request = RequestFactory().get("/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded)
    assert client_ip(request) == expected
