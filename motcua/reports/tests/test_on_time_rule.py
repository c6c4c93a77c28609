"""The on-time rule in the statistics (dossiers.timeleft.judge; decision 0011): a result is
judged by the local day of its appointment, whatever the hour, in Biểu 06 computed directly
and from the tallies alike; received and returned by post are counted beside the form."""

import csv
from datetime import date

import pytest

from motcua.dossiers.tests.conftest import at, vn
from motcua.dossiers.tests.test_import_dossiers import HEADER, row, run, write_csv
from motcua.reports import figures as f
from motcua.reports import naive, tallies, tally_reads
from motcua.reports.scope import GroupBy, Period, Scope

MARCH = Period(date(2025, 3, 1), date(2025, 3, 31))
DUE = "2025-03-11T10:00:00+07:00"  # a morning appointment: its hour is well before 17:00


def finished(code: str, at_moment: str, **changes):
    return row(code=code, due_at=DUE, finished_at=at_moment, returned_at="", status="9", **changes)


HISTORY = [
    finished("H42.50.01-250310-0001", "2025-03-10T16:00:00+07:00"),  # the day before: early
    finished("H42.50.01-250310-0002", "2025-03-11T09:00:00+07:00"),  # before the hour
    finished("H42.50.01-250310-0003", "2025-03-11T17:30:00+07:00"),  # after the hour: on time
    finished("H42.50.01-250310-0004", "2025-03-11T16:30:00+00:00"),  # 23:30 local: on time
    finished("H42.50.01-250310-0005", "2025-03-11T17:05:00+00:00"),  # 00:05 next day: late
    finished("H42.50.01-250310-0006", "2025-03-12T00:05:00+07:00"),  # the same, local: late
]


@pytest.fixture(autouse=True)
def _english():
    from django.utils import translation

    with translation.override("en"):
        yield


def _both(period: Period, group_by: str = "") -> dict:
    with at(vn(2025, 6, 2, 9, 0)):
        direct = naive.counts(period, Scope(), group_by)
        assert tally_reads.counts(period, Scope(), group_by) == direct
    return direct


def test_a_result_on_the_appointment_day_is_on_time_whatever_the_hour(tmp_path, birth_registration):
    assert "imported: 6" in run(write_csv(tmp_path / "old.csv", HISTORY))
    figures = _both(MARCH)[None]
    assert (figures[f.EARLY], figures[f.ON_TIME], figures[f.LATE]) == (1, 3, 2)
    for group_by in (GroupBy.AGENCY, GroupBy.MONTH):
        _both(MARCH, group_by)
    # A period ending on the day of the 23:30 result still holds it, on time.
    first_part = _both(Period(date(2025, 3, 1), date(2025, 3, 11)))[None]
    assert (first_part[f.ON_TIME], first_part[f.LATE], first_part[f.IN_PROGRESS]) == (3, 0, 2)


def test_the_hour_rule_is_a_setting(tmp_path, birth_registration, settings):
    assert "imported: 6" in run(write_csv(tmp_path / "old.csv", HISTORY))
    settings.MOTCUA_ON_TIME_RULE = "hour"
    with at(vn(2025, 6, 2, 9, 0)):
        tallies.rebuild()  # a change of rule needs rebuild_tallies
    figures = _both(MARCH)[None]
    assert (figures[f.EARLY], figures[f.ON_TIME], figures[f.LATE]) == (1, 1, 4)


OPEN = [
    # open, due on 31 March at 10:00: at the end of 31 March its day is not over
    row(
        code="H42.50.01-250331-0001",
        status="4",
        received_at="2025-03-28T09:00:00+07:00",
        due_at="2025-03-31T10:00:00+07:00",
        finished_at="",
        returned_at="",
    ),
    # due on 30 March (a Sunday in an old export): overdue at the end of 31 March
    row(
        code="H42.50.01-250331-0002",
        status="4",
        received_at="2025-03-27T09:00:00+07:00",
        due_at="2025-03-30T17:00:00+07:00",
        finished_at="",
        returned_at="",
    ),
]


@pytest.mark.parametrize(("rule", "overdue"), [("day", 1), ("hour", 2)])
def test_in_time_at_the_period_end_is_the_appointment_day(
    tmp_path, birth_registration, settings, rule, overdue
):
    settings.MOTCUA_ON_TIME_RULE = rule
    assert "imported: 2" in run(write_csv(tmp_path / "old.csv", OPEN))
    figures = _both(MARCH)[None]
    assert (figures[f.IN_PROGRESS], figures[f.OVERDUE], figures[f.IN_TIME]) == (
        2,
        overdue,
        2 - overdue,
    )
    april = _both(Period(date(2025, 4, 1), date(2025, 4, 1)))[None]
    assert april[f.OVERDUE] == 2


def test_received_and_returned_by_post_beside_the_form(tmp_path, birth_registration):
    history = [
        row(code="H42.50.01-250310-0001", channel="postal"),
        row(code="H42.50.01-250310-0002", channel="postal", returned_method="postal"),
        row(code="H42.50.01-250310-0003", channel="in_person", returned_method="postal"),
        row(code="H42.50.01-250310-0004", channel="online"),
        row(code="H42.50.01-250310-0005"),
    ]
    fields = list(dict.fromkeys([*HEADER, "returned_method"]))
    path = tmp_path / "old.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields, restval="")
        writer.writeheader()
        writer.writerows(history)
    assert "imported: 5" in run(str(path))
    figures = _both(MARCH)[None]
    assert figures[f.RECEIVED_BY_POST] == 2
    assert figures[f.RECEIVED_IN_PERSON] == 4  # in person or by post, the official column
    assert figures[f.RETURNED_BY_POST] == 2
    assert f.RECEIVED_BY_POST not in f.BIEU_06 and f.EXTRA[:2] == [
        f.RECEIVED_BY_POST,
        f.RETURNED_BY_POST,
    ]
    # the drill-down lists the same dossiers
    listed = naive.dossiers(f.RECEIVED_BY_POST, MARCH, Scope())
    assert sorted(listed.values_list("code", flat=True)) == [
        "H42.50.01-250310-0001",
        "H42.50.01-250310-0002",
    ]


def test_the_migration_rebuilds_the_tallies_on_its_historical_models(tmp_path, birth_registration):
    from importlib import import_module

    from django.db import connection
    from django.db.migrations.loader import MigrationLoader

    from motcua.dossiers.models import Dossier
    from motcua.reports.models import DayTally, MonthStock, MonthTally, StockMonth

    assert "imported: 6" in run(write_csv(tmp_path / "old.csv", HISTORY))
    with at(vn(2025, 6, 2, 9, 0)):
        expected = naive.counts(MARCH, Scope())
    # the tallies as the old rule left them: gone, and the dossiers' points forgotten
    Dossier.objects.update(tally={})
    for model in (DayTally, MonthTally, MonthStock, StockMonth):
        model.objects.all().delete()
    name = "0002_received_by_post_and_day_rule"
    state = MigrationLoader(connection).project_state(("reports", name))
    migration = import_module(f"motcua.reports.migrations.{name}")
    with at(vn(2025, 6, 2, 9, 0)):
        migration.rebuild(state.apps, None)
        assert tally_reads.counts(MARCH, Scope()) == expected
    assert all(Dossier.objects.values_list("tally", flat=True))
