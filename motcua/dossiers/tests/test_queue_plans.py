"""SQLite's plans for the work queues at a province's size, without a province's data.

SQLite plans from the statistics ANALYZE leaves in `sqlite_stat1`, which an application may
write itself (https://sqlite.org/fileformat2.html#stat1tab). Here they are those of the
million-dossier bench database (bench pages, after the daily job's ANALYZE), per indexed
column list, so the planner chooses as it does there; the plans that took 0.2-0.7 s a
queue there must not come back. PostgreSQL sees the skew of statuses in its own statistics.
"""

import pytest
from django.db import connection

from motcua.dossiers import queues

pytestmark = pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's planner")

# rows, then rows per distinct prefix of the index's columns (bench pages, 1,000,000).
PROVINCE = {
    "dossiers_dossier": {
        (): "1000000",
        ("receiving_agency_id", "status"): "1000000 13699 1863",
        ("status", "due_at"): "1000000 125000 147",
        ("competent_agency_id", "status"): "1000000 13889 1884",
        ("received_by_id",): "1000000 333334",
        ("due_at",): "1000000 324",
        ("received_at",): "1000000 1",
        ("filed_by_id",): "1000000 1000000",
        ("applicant_id_number",): "1000000 1",
        ("reception_point_id",): "1000000 250000",
        ("department_id",): "1000000 4717",
        ("competent_agency_id",): "1000000 13889",
        ("receiving_agency_id",): "1000000 13699",
        ("procedure_version_id",): "1000000 4717",
        ("procedure_id",): "1000000 4717",
        ("code",): "1000000 1",
    },
    "dossiers_dossierstep": {
        (): "4949375",
        ("dossier_id", "agency_id"): "4949375 5 5",
        ("agency_id", "state"): "4949375 68742 17186",
        ("assignee_id", "state"): "4949375 618672 154668",
        ("due_at",): "4949375 1",
        ("assignee_id",): "4949375 618672",
        ("department_id",): "4949375 1649792",
        ("agency_id",): "4949375 68742",
        ("dossier_id",): "4949375 5",
    },
}


@pytest.fixture
def province_statistics():
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # creates sqlite_stat1
        cursor.execute("DELETE FROM sqlite_stat1")
        for table, stats in PROVINCE.items():
            for index, columns in _indexes(cursor, table).items():
                stat = stats.get(columns, stats[()] + " 10" * len(columns))
                cursor.execute("INSERT INTO sqlite_stat1 VALUES (%s, %s, %s)", [table, index, stat])
        cursor.execute("ANALYZE sqlite_schema")  # load them
    yield
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM sqlite_stat1")
        cursor.execute("ANALYZE sqlite_schema")


def _indexes(cursor, table: str) -> dict[str, tuple[str, ...]]:
    cursor.execute(f"PRAGMA index_list({table})")
    names = [row[1] for row in cursor.fetchall()]
    found = {}
    for name in names:
        cursor.execute(f"PRAGMA index_info({name})")
        found[name] = tuple(row[2] for row in sorted(cursor.fetchall()))
    return found


def _plan(queryset) -> str:
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
        return "\n".join(row[-1] for row in cursor.fetchall())


@pytest.mark.django_db
def test_the_overdue_queue_sorts_the_open_dossiers_instead_of_walking_every_dossier(
    province_statistics, specialist
):
    plan = _plan(queues.overdue(specialist)[:21])
    assert "dossiers_do_status_" in plan, plan  # the (status, due_at) index: open ones only
    assert "dossiers_dossier_due_at_" not in plan, plan


@pytest.mark.django_db
def test_the_counter_queues_read_the_centres_dossiers_of_one_status(
    province_statistics, centre_clerk
):
    for queue in (queues.to_receive, queues.to_hand_over, queues.results_to_return):
        plan = _plan(queue(centre_clerk)[:21])
        assert "dossiers_do_receivi_" in plan, (queue.__name__, plan)


@pytest.mark.django_db
def test_late_consultations_are_checked_one_by_one_not_against_every_visible_dossier(
    province_statistics, department_head
):
    plan = _plan(queues.overdue_consultations(department_head)[:21])
    assert "LIST SUBQUERY" not in plan and "SCAN V0" not in plan, plan
