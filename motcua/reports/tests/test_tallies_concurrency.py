"""Clerks receiving at the same time, while reports make the next month's snapshot, leave
tallies equal to the direct count (real threads and connections; PostgreSQL, where writers
really run in parallel — SQLite serialises them)."""

import threading

import pytest
from django.db import connection, connections, transaction

from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.conftest import MONDAY, at
from motcua.reports import naive, tallies, tally_reads
from motcua.reports.models import MonthStock, StockMonth
from motcua.reports.scope import Period, Scope, next_month
from motcua.reports.tallies import ensure_months
from motcua.reports.tasks import make_month_snapshots

WORKERS, PER_WORKER, REMAKES = 4, 5, 10


@pytest.mark.django_db(transaction=True)
def test_concurrent_intake_and_snapshots_keep_the_tallies_exact(receive):
    if connection.vendor != "postgresql":
        pytest.skip("needs a database shared between threads")
    ahead = next_month(MONDAY.date())
    errors: list[BaseException] = []
    barrier = threading.Barrier(WORKERS + 1)

    def clerk():
        barrier.wait()
        try:
            for _ in range(PER_WORKER):
                receive(MONDAY)
        except BaseException as error:  # noqa: BLE001 - reported by the main thread
            errors.append(error)
        finally:
            connections.close_all()

    def reports():
        barrier.wait()
        try:
            for _ in range(REMAKES):  # drop and remake next month's snapshot meanwhile
                # Dropping a snapshot is the rebuild's business, done under the writers'
                # lock like the rebuild does: a writer in flight may be adding to it.
                with transaction.atomic():
                    tallies._lock_writers()
                    StockMonth.objects.filter(month=ahead).delete()
                    MonthStock.objects.filter(month=ahead).delete()
                ensure_months(ahead)
        except BaseException as error:  # noqa: BLE001
            errors.append(error)
        finally:
            connections.close_all()

    with at(MONDAY):
        receive(MONDAY)  # the first points, so that there are months to snapshot
        threads = [threading.Thread(target=clerk) for _ in range(WORKERS)]
        threads.append(threading.Thread(target=reports))
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert not errors, errors
        assert Dossier.objects.count() == WORKERS * PER_WORKER + 1
        period = Period(ahead, ahead)
        fast = tally_reads.counts(period, Scope())
        assert fast == naive.counts(period, Scope())
        assert fast[None]["carried_over"] == WORKERS * PER_WORKER + 1


@pytest.mark.django_db(transaction=True)
def test_points_computed_by_several_processes_are_those_kept_live(receive, processing):
    """rebuild(workers=2): the points of ranges of dossiers computed by forked processes on
    connections of their own, written and summed in the rebuild's transaction, equal what
    the services kept live, and each dossier's stored points are restored."""
    if connection.vendor != "postgresql":
        pytest.skip("the processes need a database server (the tests' SQLite is in memory)")
    from .test_quality_tallies import tally_tables

    for day in (1, 2, 3):
        receive(MONDAY.replace(day=MONDAY.day + day))
    with at(MONDAY.replace(day=MONDAY.day + 4)):
        make_month_snapshots.call()  # the worker's job: the rebuild makes them too
        kept = tally_tables()
        points = dict(Dossier.objects.values_list("pk", "tally"))
        Dossier.objects.update(tally={})
        counted = tallies.rebuild(workers=2, chunk=1)
        assert counted["changed"] == counted["dossiers"] == len(points) == 4
        assert tally_tables() == kept
        assert dict(Dossier.objects.values_list("pk", "tally")) == points
        assert tallies.rebuild(workers=2, chunk=2)["changed"] == 0
