"""Precompiled statements of the busiest public path, run with as little of Django's cursor
machinery as is safe.

Every public tracking lookup runs two statements: the attempt counter's upsert
(throttle.services) and the dossier read (dossiers.tracking_reads), both compiled once per
process. Running them through Django's cursor wrapper costs more than the SQLite work
itself (about 25 µs a statement: the execute-wrapper chain, and on SQLite the rewriting of
every placeholder of the statement on every call). So they run here on the DB-API cursor of
Django's own connection: the same connection and transaction, health checks and errors
translated as Django does, with the placeholders already in the driver's style.

When Django records queries (DEBUG, assertNumQueries) or a wrapper watches them
(`connection.execute_wrapper`), the statement goes through Django's cursor instead, so it is
seen and counted like any other.
"""

import re
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections

NAMED = re.compile(r"%\((\w+)\)s")


def run(sql: str, params: Mapping[str, Any]) -> list[tuple]:
    """The rows of `sql` (with Django's %(name)s placeholders, %% for a percent sign) for
    `params`, on the default database; [] for a statement that returns none."""
    connection = connections[DEFAULT_DB_ALIAS]
    if connection.queries_logged or connection.execute_wrappers:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall() if cursor.description else []
    connection.close_if_health_check_failed()
    connection.ensure_connection()
    connection.validate_no_broken_transaction()
    with connection.wrap_database_errors:
        cursor = connection.connection.cursor()
        try:
            cursor.execute(_native(sql, connection.vendor), params)
            return cursor.fetchall() if cursor.description else []
        finally:
            cursor.close()


@lru_cache(maxsize=32)
def _native(sql: str, vendor: str) -> str:
    """SQLite's driver takes :name and a bare %; psycopg takes the statement as it is."""
    return NAMED.sub(r":\1", sql).replace("%%", "%") if vendor == "sqlite" else sql
