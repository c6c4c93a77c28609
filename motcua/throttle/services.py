"""Rate limits over database counters, usable from any door (pages, API, commands).

`hit()` counts one attempt under a key and says whether it is still within the limit;
`hit_all()` counts one attempt under several keys, each with its own limit, in the same
statement. The counter is one row per key with a fixed window: the first attempt opens a
window of `window_seconds`; attempts after it has ended start a new one. Counting is one SQL
upsert (INSERT ... ON CONFLICT DO UPDATE ... RETURNING, SQLite 3.35+ and PostgreSQL), so
concurrent processes never lose an update and nothing is kept in memory between requests
(architecture.md §6). Expired rows are deleted now and then by `hit()` itself
(MOTCUA_THROTTLE_PRUNE_EVERY) and by the `prune_attempt_counters` command.
"""

import hashlib
import math
import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.utils import timezone

from .models import AttemptCounter

KEY_LENGTH = AttemptCounter._meta.get_field("key").max_length


@dataclass(frozen=True)
class Limit:
    """At most `limit` attempts under `key` per window of `window_seconds`."""

    key: str
    limit: int
    window_seconds: int


@cache
def _upsert_sql(vendor: str, rows: int = 1) -> str:
    quote = connection.ops.quote_name
    table, key, count, expires = (
        quote(name) for name in (AttemptCounter._meta.db_table, "key", "count", "expires_at")
    )
    values = ", ".join(f"(%(key{i})s, 1, %(ends{i})s)" for i in range(rows))
    return (
        f"INSERT INTO {table} ({key}, {count}, {expires}) VALUES {values} "
        f"ON CONFLICT ({key}) DO UPDATE SET "
        f"{count} = CASE WHEN {table}.{expires} <= %(now)s THEN 1 ELSE {table}.{count} + 1 END, "
        f"{expires} = CASE WHEN {table}.{expires} <= %(now)s "
        f"THEN excluded.{expires} ELSE {table}.{expires} END "
        f"RETURNING {key}, {count}"
    )


def storage_key(key: str) -> str:
    """`key` as stored: unchanged when it fits, else its SHA-256 (still unique per key)."""
    if len(key) <= KEY_LENGTH:
        return key
    return "sha256:" + hashlib.sha256(key.encode()).hexdigest()


def hit(key: str, *, limit: int, window_seconds: int) -> bool:
    """Count one attempt under `key`; True while at most `limit` attempts fell in the
    current window, False once the limit is exceeded (the attempt is still counted)."""
    return not hit_all([Limit(key, limit, window_seconds)])


def hit_all(limits: Sequence[Limit]) -> list[Limit]:
    """Count one attempt under every limit's key, in one statement; the limits exceeded by
    it (the attempt is counted under every key all the same). Keys must be distinct."""
    now = timezone.now()
    database = connections[DEFAULT_DB_ALIAS]
    adapt = database.ops.adapt_datetimefield_value
    # Rows are locked in key order, so two attempts on the same keys cannot deadlock.
    stored = sorted(((storage_key(limit.key), limit) for limit in limits), key=_first)
    values = {"now": adapt(now)}
    for i, (key, limit) in enumerate(stored):
        values[f"key{i}"] = key
        values[f"ends{i}"] = adapt(now + timedelta(seconds=limit.window_seconds))
    with database.cursor() as cursor:
        cursor.execute(_upsert_sql(database.vendor, len(stored)), values)
        counts = dict(cursor.fetchall())
    _maybe_prune(now)
    return [limit for key, limit in stored if counts[key] > limit.limit]


def _first(pair: tuple) -> str:
    return pair[0]


@cache
def _undo_sql(vendor: str, keys: int = 1) -> str:
    quote = connection.ops.quote_name
    table, key, count = (quote(name) for name in (AttemptCounter._meta.db_table, "key", "count"))
    placeholders = ", ".join(f"%(key{i})s" for i in range(keys))
    return (
        f"UPDATE {table} SET {count} = {count} - 1 WHERE {key} IN ({placeholders}) AND {count} > 0"
    )


def undo_hit(*keys: str) -> None:
    """Take back one attempt under each of `keys` (e.g. a secret that turned out right was
    not a failure), in one statement."""
    values = {f"key{i}": storage_key(key) for i, key in enumerate(keys)}
    with connection.cursor() as cursor:
        cursor.execute(_undo_sql(connection.vendor, len(keys)), values)


def seconds_until_reset(key: str, now: datetime | None = None) -> int:
    """Whole seconds until the window of `key` ends (at least 1: for Retry-After)."""
    now = now or timezone.now()
    ends = (
        AttemptCounter.objects.filter(key=storage_key(key))
        .values_list("expires_at", flat=True)
        .first()
    )
    if ends is None:
        return 1
    return max(1, math.ceil((ends - now).total_seconds()))


def prune_expired(now: datetime | None = None) -> int:
    """Delete counters whose window has ended; returns how many."""
    deleted, _ = AttemptCounter.objects.filter(expires_at__lte=now or timezone.now()).delete()
    return deleted


def _maybe_prune(now: datetime) -> None:
    every = getattr(settings, "MOTCUA_THROTTLE_PRUNE_EVERY", 500)
    if every and random.random() * every < 1:
        prune_expired(now)
