"""The daily planner statistics: on SQLite the job leaves statistics for the dossiers' indexes
(and the planner then reads a quarter of one agency by its `received_at` range); elsewhere
it does nothing."""

import pytest
from django.db import connection

from motcua.dossiers.tests.conftest import centre_clerk, criminal_record, receive  # noqa: F401
from motcua.outbox import schedule
from motcua.runtime import maintenance

pytestmark = pytest.mark.django_db


def test_the_worker_runs_it_every_day():
    jobs = {job.name: job for job in schedule.jobs()}
    assert jobs["runtime.analyse"].seconds == schedule.DAY


def test_on_sqlite_the_dossiers_get_planner_statistics(receive):  # noqa: F811
    for _ in range(3):
        receive()
    result = maintenance.analyse_database.call()
    if connection.vendor != "sqlite":
        assert result.startswith("skipped")
        return
    assert result.startswith("analysed")
    with connection.cursor() as cursor:
        cursor.execute("SELECT idx FROM sqlite_stat1 WHERE tbl = 'dossiers_dossier'")
        indexes = {row[0] for row in cursor.fetchall()}
    assert any(name and "received_at" in name for name in indexes)
