"""Rate limits over database counters, usable from any door (pages, API, commands).

`hit()` counts one attempt under a key and says whether it is still within the limit. The
counter is one row per key with a fixed window: the first attempt opens a window of
`window_seconds`; attempts after it has ended start a new one. Counting is one SQL upsert
(INSERT ... ON CONFLICT DO UPDATE ... RETURNING, SQLite 3.35+ and PostgreSQL), so concurrent
processes never lose an update and nothing is kept in memory between requests
(architecture.md §6). Expired rows are deleted now and then by `hit()` itself
(MOTCUA_THROTTLE_PRUNE_EVERY) and by the `prune_attempt_counters` command.
"""

import hashlib
import math
import random
from datetime import datetime, timedelta
from functools import cache

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.utils import timezone

from motcua import precompiled

from .models import AttemptCounter

KEY_LENGTH = AttemptCounter._meta.get_field("key").max_length


@cache
def _upsert_sql(vendor: str) -> str:
    quote = connection.ops.quote_name
    table, key, count, expires = (
        quote(name) for name in (AttemptCounter._meta.db_table, "key", "count", "expires_at")
    )
    return (
        f"INSERT INTO {table} ({key}, {count}, {expires}) VALUES (%(key)s, 1, %(ends)s) "
        f"ON CONFLICT ({key}) DO UPDATE SET "
        f"{count} = CASE WHEN {table}.{expires} <= %(now)s THEN 1 ELSE {table}.{count} + 1 END, "
        f"{expires} = CASE WHEN {table}.{expires} <= %(now)s "
        f"THEN excluded.{expires} ELSE {table}.{expires} END "
        f"RETURNING {count}"
    )


def storage_key(key: str) -> str:
    """`key` as stored: unchanged when it fits, else its SHA-256 (still unique per key)."""
    if len(key) <= KEY_LENGTH:
        return key
    return "sha256:" + hashlib.sha256(key.encode()).hexdigest()


def hit(key: str, *, limit: int, window_seconds: int) -> bool:
    """Count one attempt under `key`; True while at most `limit` attempts fell in the
    current window, False once the limit is exceeded (the attempt is still counted)."""
    now = timezone.now()
    database = connections[DEFAULT_DB_ALIAS]
    adapt = database.ops.adapt_datetimefield_value
    values = {
        "key": storage_key(key),
        "ends": adapt(now + timedelta(seconds=window_seconds)),
        "now": adapt(now),
    }
    [(count,)] = precompiled.run(_upsert_sql(database.vendor), values, database)
    _maybe_prune(now)
    return count <= limit


@cache
def _undo_sql(vendor: str) -> str:
    quote = connection.ops.quote_name
    table, key, count = (quote(name) for name in (AttemptCounter._meta.db_table, "key", "count"))
    return f"UPDATE {table} SET {count} = {count} - 1 WHERE {key} = %(key)s AND {count} > 0"


def undo_hit(key: str) -> None:
    """Take back one attempt (e.g. a secret that turned out right was not a failure)."""
    precompiled.run(_undo_sql(connection.vendor), {"key": storage_key(key)})


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
