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
from django.db import connection
from django.db.models import F
from django.utils import timezone

from .models import AttemptCounter

KEY_LENGTH = AttemptCounter._meta.get_field("key").max_length


@cache
def _upsert_sql(vendor: str) -> str:
    quote = connection.ops.quote_name
    table, key, count, expires = (
        quote(name) for name in (AttemptCounter._meta.db_table, "key", "count", "expires_at")
    )
    return (
        f"INSERT INTO {table} ({key}, {count}, {expires}) VALUES (%s, 1, %s) "
        f"ON CONFLICT ({key}) DO UPDATE SET "
        f"{count} = CASE WHEN {table}.{expires} <= %s THEN 1 ELSE {table}.{count} + 1 END, "
        f"{expires} = CASE WHEN {table}.{expires} <= %s "
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
    adapt = connection.ops.adapt_datetimefield_value
    window_end, current = adapt(now + timedelta(seconds=window_seconds)), adapt(now)
    with connection.cursor() as cursor:
        cursor.execute(
            _upsert_sql(connection.vendor), [storage_key(key), window_end, current, current]
        )
        count = int(cursor.fetchone()[0])
    _maybe_prune(now)
    return count <= limit


def undo_hit(key: str) -> None:
    """Take back one attempt (e.g. a secret that turned out right was not a failure)."""
    AttemptCounter.objects.filter(key=storage_key(key), count__gt=0).update(count=F("count") - 1)


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
