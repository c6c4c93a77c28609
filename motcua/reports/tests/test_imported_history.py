"""Dossiers imported from an older system (import_dossiers) and live ones are counted by
the tallies exactly as the direct count does, including history imported after reports
were already made (the snapshots of later months move)."""

from datetime import date

import pytest

from motcua.dossiers.tests.conftest import at, vn
from motcua.dossiers.tests.test_import_dossiers import row, run, write_csv
from motcua.reports import figures as f
from motcua.reports import naive, tally_reads
from motcua.reports.scope import GroupBy, Period, Scope, quarter
from motcua.reports.tasks import make_month_snapshots

HISTORY = [
    # returned early, on time, late
    row(code="H42.50.01-250310-0001"),
    row(
        code="H42.50.01-250310-0002",
        finished_at="2025-03-11T16:00:00+07:00",
        returned_at="2025-03-12T08:00:00+07:00",
    ),
    row(
        code="H42.50.01-250310-0003",
        finished_at="2025-04-02T10:00:00+07:00",
        returned_at="2025-04-03T10:00:00+07:00",
    ),
    # still open across the quarter: overdue at its end
    row(
        code="H42.50.01-250320-0001",
        status="4",
        received_at="2025-03-20T09:00:00+07:00",
        due_at="2025-03-21T17:00:00+07:00",
        finished_at="",
        returned_at="",
    ),
    # online, withdrawn, stopped, refused
    row(
        code="H42.50.01-250505-0001",
        channel="online",
        received_at="2025-05-05T09:00:00+07:00",
        due_at="2025-05-06T17:00:00+07:00",
        finished_at="2025-05-06T09:00:00+07:00",
        returned_at="2025-05-06T10:00:00+07:00",
    ),
    row(
        code="H42.50.01-250505-0002",
        status="7",
        received_at="2025-05-05T09:00:00+07:00",
        due_at="2025-05-06T17:00:00+07:00",
        finished_at="2025-05-05T15:00:00+07:00",
        returned_at="",
    ),
    row(
        code="H42.50.01-250505-0003",
        status="8",
        received_at="2025-05-05T09:00:00+07:00",
        due_at="2025-05-06T17:00:00+07:00",
        finished_at="2025-07-01T15:00:00+07:00",
        returned_at="",
    ),
    row(
        code="H42.50.01-250505-0004",
        status="9",
        outcome="refused",
        received_at="2025-05-05T09:00:00+07:00",
        due_at="2025-05-06T17:00:00+07:00",
        finished_at="2025-05-06T15:00:00+07:00",
        returned_at="",
    ),
]


@pytest.fixture(autouse=True)
def _english():
    from django.utils import translation

    with translation.override("en"):
        yield


def test_imported_and_live_dossiers_agree_with_the_direct_count(
    tmp_path, birth_registration, commune_agency, receive
):
    receive(vn(2026, 3, 9, 9, 0))  # a live dossier
    with at(vn(2026, 3, 20, 9, 0)):
        make_month_snapshots.call()  # the worker's job: snapshots from March 2026 exist
        output = run(write_csv(tmp_path / "old.csv", HISTORY))
    assert "imported: 8, skipped: 0" in output
    scopes = [
        Scope(),
        Scope(frozenset([commune_agency.pk])),
        Scope(procedure_id=birth_registration.pk),
    ]
    periods = [
        quarter(2025, 1),
        quarter(2025, 2),
        quarter(2025, 3),
        quarter(2026, 1),
        Period(date(2025, 3, 11), date(2025, 5, 5)),
        Period(date(2025, 1, 1), date(2026, 3, 31)),
    ]
    with at(vn(2026, 3, 21, 9, 0)):
        for period in periods:
            for scope in scopes:
                for group_by in ("", GroupBy.AGENCY, GroupBy.MONTH):
                    assert tally_reads.counts(period, scope, group_by) == naive.counts(
                        period, scope, group_by
                    )
        q1 = tally_reads.counts(quarter(2025, 1), Scope())[None]
        q2 = tally_reads.counts(quarter(2025, 2), Scope())[None]
    # the first is finished on its appointment day: on time, not early
    assert (q1[f.EARLY], q1[f.ON_TIME], q1[f.IN_PROGRESS], q1[f.OVERDUE]) == (0, 2, 2, 2)
    assert (q2[f.CARRIED_OVER], q2[f.LATE], q2[f.RECEIVED_ONLINE], q2[f.WITHDRAWN]) == (2, 1, 1, 1)
    assert (q2[f.REFUSED], q2[f.ON_TIME], q2[f.IN_PROGRESS]) == (1, 3, 2)
