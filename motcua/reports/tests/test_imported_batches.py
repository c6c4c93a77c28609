"""History imported in batches keeps the tallies exact (issue 14 §3): import_dossiers tells
the lifecycle of each batch at once (lifecycle.announce_batch), and reports.tallies computes
every dossier's points as its rebuild does and moves the tallies once per batch
(tallies.sync_new). Random histories (every status, channel, the appointment as a day or a
moment, results at the day boundary, refusals, returns by post), imported in small batches
around snapshots already made; then the figures equal the direct count (naive.py) for
periods, scopes and groupings, the stored points equal the rebuild's, and the tally rows
equal the rebuilt ones. Runs on SQLite and PostgreSQL like the rest of the suite."""

import csv
import itertools
from datetime import date, datetime, time, timedelta
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from motcua.dossiers.tests.conftest import VN, at, vn
from motcua.reports import naive, tallies, tally_reads
from motcua.reports.models import DayTally, MonthTally
from motcua.reports.scope import GroupBy, Period, Scope
from motcua.reports.tasks import make_month_snapshots

HEADER = [
    "code",
    "procedure_code",
    "receiving_agency",
    "channel",
    "status",
    "applicant_name",
    "applicant_id_number",
    "received_at",
    "due_at",
    "finished_at",
    "returned_at",
    "returned_method",
    "outcome",
]
START = date(2025, 1, 2)
_serial = itertools.count(1)

plans = st.fixed_dictionaries(
    {
        "day": st.integers(0, 150),
        # 23:30 local is 16:30 UTC: the local day and the UTC day differ
        "clock": st.sampled_from([time(7, 30), time(16, 30), time(23, 30)]),
        "channel": st.sampled_from(["in_person", "online", "Bưu chính công ích", "Trực tuyến"]),
        "status": st.sampled_from(["2", "3", "4", "7", "8", "9", "10", "Đã trả kết quả"]),
        "duration": st.integers(0, 9),
        "due": st.one_of(st.none(), st.integers(0, 6)),
        "due_as_day": st.booleans(),
        "refused": st.booleans(),
        "returned_by_post": st.booleans(),
    }
)
periods = st.tuples(st.integers(0, 160), st.integers(0, 100)).map(
    lambda t: Period(START + timedelta(days=t[0]), START + timedelta(days=t[0] + t[1]))
)


def _moment(value: datetime) -> str:
    return value.astimezone(VN).isoformat()


def history_row(plan: dict) -> dict[str, str]:
    received = datetime.combine(START + timedelta(days=plan["day"]), plan["clock"], VN)
    finished = received + timedelta(days=plan["duration"], minutes=30)
    status = "10" if plan["status"] == "Đã trả kết quả" else plan["status"]
    closed = status in {"3", "7", "8", "9", "10"}
    due = ""
    if plan["due"] is not None:
        day = received.date() + timedelta(days=plan["due"])
        due = (
            f"{day:%d/%m/%Y}" if plan["due_as_day"] else _moment(received + timedelta(plan["due"]))
        )
    return {
        "code": f"H42.50.01-{received:%y%m%d}-{next(_serial):05d}",
        "procedure_code": "1.001193",
        "receiving_agency": "H42.50.01",
        "channel": plan["channel"],
        "status": plan["status"],
        "applicant_name": "Lê Văn Bình",
        "applicant_id_number": "201000001",
        "received_at": "" if status == "3" else _moment(received),
        "due_at": "" if status == "3" else due,
        "finished_at": _moment(finished) if closed else "",
        "returned_at": _moment(finished + timedelta(hours=1)) if status == "10" else "",
        "returned_method": "postal" if status == "10" and plan["returned_by_post"] else "",
        "outcome": "refused" if status in {"9", "10"} and plan["refused"] else "",
    }


def import_rows(path, rows, batch_size: int = 3) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=HEADER)
        writer.writeheader()
        writer.writerows(rows)
    call_command("import_dossiers", str(path), "--batch-size", str(batch_size), stdout=None)


def tally_rows(model, period: str) -> set[tuple]:
    """The tally's rows with a count, without their ids."""
    names = [period, *tallies.KEY, *(c for c in tallies.fx.COLUMNS)]
    return {
        values
        for values in model.objects.values_list(*names)
        if any(values[len(tallies.KEY) + 1 :])
    }


@pytest.fixture(autouse=True)
def _english():
    from django.utils import translation

    with translation.override("en"):
        yield


@settings(
    max_examples=10,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    before=st.lists(plans, min_size=1, max_size=8),
    after=st.lists(plans, min_size=0, max_size=8),
    asked=st.lists(periods, min_size=2, max_size=3),
    group_by=st.sampled_from(list(GroupBy.values)),
)
def test_history_imported_in_batches_equals_the_direct_count_and_the_rebuild(
    tmp_path, birth_registration, commune_agency, before, after, asked, group_by
):
    with at(vn(2025, 7, 1, 9, 0)):
        import_rows(tmp_path / "first.csv", [history_row(p) for p in before])
        make_month_snapshots.call()  # snapshots that the next batches must move
        import_rows(tmp_path / "second.csv", [history_row(p) for p in after], batch_size=2)
        scopes = [
            Scope(),
            Scope(frozenset([commune_agency.pk])),
            Scope(procedure_id=birth_registration.pk),
        ]
        for period in asked:
            for scope in scopes:
                direct = naive.counts(period, scope, group_by)
                assert tally_reads.counts(period, scope, group_by) == direct, (period, scope)
        days, months = tally_rows(DayTally, "day"), tally_rows(MonthTally, "month")
        rebuilt = tallies.rebuild()
        assert rebuilt["changed"] == 0  # every stored point is the rebuild's
        assert (tally_rows(DayTally, "day"), tally_rows(MonthTally, "month")) == (days, months)


def test_the_statements_of_a_batch_do_not_grow_with_its_dossiers(
    tmp_path, birth_registration, commune_agency
):
    plan: dict[str, Any] = {
        "day": 3,
        "clock": time(8, 0),
        "channel": "in_person",
        "status": "10",
        "duration": 1,
        "due": 2,
        "due_as_day": True,
        "refused": False,
        "returned_by_post": True,
    }
    counts = []
    for size in (1, 2, 40):  # the first loads what is read once per process (the calendar)
        rows = [history_row({**plan, "day": plan["day"] + n % 30}) for n in range(size)]
        with CaptureQueriesContext(connection) as queries:
            import_rows(tmp_path / f"{size}.csv", rows, batch_size=100)
        counts.append(len(queries))
    assert counts[1] == counts[2], counts
