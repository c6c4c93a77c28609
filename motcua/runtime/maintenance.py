"""Planner statistics for SQLite: a daily job of the worker.

SQLite gathers no statistics by itself. Without them its planner guesses, and at a province's
size it guesses wrong: on a million dossiers, counting a quarter's dossiers of one department
("received in the period, received or resolved by the agency") walked every dossier the
agency ever had through its two agency indexes (0.45 s) instead of the quarter's range of
`received_at` (0.045 s once `ANALYZE` had run). SQLite's documentation asks applications to
run `ANALYZE` now and then (https://sqlite.org/lang_analyze.html). Its faster sampled form
(`analysis_limit`) reads the first rows of each index only, and on these indexes that sample
led to the same wrong plan: the statistics are read whole. Measured on the million-dossier
bench database: 3.9 s for all tables, 0.8 s for the largest; each table is analysed in its own
short transaction, so a clerk's write waits at most the length of one (the busy timeout is
10 s). PostgreSQL keeps its statistics with autovacuum: nothing to do there.
"""

from django.db import connection
from django_tasks import task


def refresh_planner_statistics() -> str:
    """ANALYZE every table on SQLite, one transaction each; what was done, for the job's
    result."""
    if connection.vendor != "sqlite":
        return "skipped: the database keeps its own statistics"
    tables = connection.introspection.table_names()
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(table)}")
    return f"analysed {len(tables)} tables"


@task()
def analyse_database() -> str:
    return refresh_planner_statistics()
