"""Running tallies: month boundaries, the constant cost of a report, the rebuild command."""

from datetime import date
from io import StringIO

from django.core.management import call_command
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext

from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.conftest import at, vn
from motcua.reports import figures as f
from motcua.reports import naive, tally_reads
from motcua.reports.models import DayTally, MonthStock, MonthTally, StockMonth
from motcua.reports.scope import GroupBy, Period, Scope, quarter
from motcua.reports.tasks import make_month_snapshots

APRIL = Period(date(2026, 4, 1), date(2026, 4, 30))


def test_a_point_on_the_first_day_of_a_snapshot_month_belongs_to_that_month(receive):
    receive(vn(2026, 3, 9, 9, 0))
    with at(vn(2026, 3, 20, 9, 0)):
        make_month_snapshots.call()  # the worker's job: snapshots of March and April
    assert set(StockMonth.objects.values_list("month", flat=True)) >= {date(2026, 4, 1)}
    receive(vn(2026, 4, 1, 9, 0))
    with at(vn(2026, 4, 2, 9, 0)):
        figures = tally_reads.counts(APRIL, Scope())[None]
        assert figures == naive.counts(APRIL, Scope())[None]
    assert (figures[f.CARRIED_OVER], figures[f.RECEIVED_IN_PERSON], figures[f.RECEIVED]) == (
        1,
        1,
        2,
    )


def test_a_quarter_costs_the_same_queries_whatever_the_history(receive, centre):
    scope = Scope(frozenset([centre.pk]))

    def queries() -> int:
        with at(vn(2026, 7, 1, 9, 0)), CaptureQueriesContext(connection) as captured:
            tally_reads.counts(quarter(2026, 2), scope, GroupBy.AGENCY)
        return len(captured)

    receive(vn(2026, 3, 9, 9, 0))
    with at(vn(2026, 7, 1, 9, 0)):
        make_month_snapshots.call()  # the worker's job (a report never writes)
    few = queries()
    for day in (10, 11, 12, 13, 16, 17):
        receive(vn(2026, 4, day, 9, 0))
    assert queries() == few <= 6


def test_a_report_without_the_latest_snapshots_reads_the_same_figures(receive):
    receive(vn(2026, 3, 9, 9, 0))
    with at(vn(2026, 3, 20, 9, 0)):
        make_month_snapshots.call()  # then the worker stops: no snapshot after April
    receive(vn(2026, 5, 4, 9, 0))
    with at(vn(2026, 8, 3, 9, 0)):
        for period in (
            quarter(2026, 2),
            quarter(2026, 3),
            Period(date(2026, 5, 5), date(2026, 7, 9)),
        ):
            assert tally_reads.counts(period, Scope()) == naive.counts(period, Scope())
    assert max(StockMonth.objects.values_list("month", flat=True)) == date(2026, 4, 1)


def test_rebuild_command_recomputes_what_the_services_kept(receive, processing):
    receive(vn(2026, 4, 1, 9, 0))
    with at(vn(2026, 7, 1, 9, 0)):
        before = tally_reads.counts(quarter(2026, 2), Scope(), GroupBy.AGENCY)
        Dossier.objects.update(tally={})
        DayTally.objects.all().delete()
        MonthStock.objects.all().delete()
        call_command("rebuild_tallies", "--recompute", stdout=StringIO(), stderr=StringIO())
        assert tally_reads.counts(quarter(2026, 2), Scope(), GroupBy.AGENCY) == before
    assert all(Dossier.objects.values_list("tally", flat=True))


def test_by_default_the_command_adds_up_the_stored_points_again(receive, processing):
    """Tallies lost or damaged (a restore, a crash mid-job): the sums come back from the
    points each dossier keeps, without recomputing them."""
    receive(vn(2026, 4, 1, 9, 0))
    with at(vn(2026, 7, 1, 9, 0)):
        before = tally_reads.counts(quarter(2026, 2), Scope(), GroupBy.AGENCY)
        DayTally.objects.all().delete()
        MonthTally.objects.update(recv_other=F("recv_other") + 5)  # damaged
        MonthStock.objects.all().delete()
        out = StringIO()
        call_command("rebuild_tallies", stdout=out, stderr=StringIO())
        assert tally_reads.counts(quarter(2026, 2), Scope(), GroupBy.AGENCY) == before
        assert "2 dossiers, 0 with new points; 4 day rows, 2 month rows" in out.getvalue()
        Dossier.objects.update(tally={})  # points gone: a re-sum has nothing to add
        call_command("rebuild_tallies", stdout=StringIO(), stderr=StringIO())
    assert not DayTally.objects.exists() and not MonthTally.objects.exists()


def test_the_migrations_rebuild_leaves_the_same_tallies_as_the_command(receive, processing):
    """The rebuild a migration runs on its historical models (one process, the sums made in
    Python) and the command's (the sums made by the database) leave the same rows."""
    from django.apps import apps

    from motcua.reports import tallies

    from .test_quality_tallies import tally_tables

    receive(vn(2026, 4, 1, 9, 0))
    with at(vn(2026, 7, 1, 9, 0)):
        tallies.rebuild(apps=apps)
        historical = tally_tables()
        Dossier.objects.update(tally={})
        assert tallies.rebuild()["changed"] == 2
        assert tally_tables() == historical
