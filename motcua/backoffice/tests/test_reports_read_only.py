"""A report never writes (issue 12: it must be able to read from a replica): the statistics,
quality and supervision pages, their downloads and drill-down, and the API's Biểu 06 run no
INSERT, UPDATE, DELETE, lock or SELECT ... FOR UPDATE, even when the month snapshots the
worker makes (reports.tasks) are missing."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from motcua.reports.models import StockMonth

from .test_reports_pages import (  # noqa: F401 (fixtures)
    DRILL,
    Q1,
    READ_AT,
    REPORT,
    at,
    quarter,
    receive,
    steps,
)

WRITE = re.compile(r"^\s*(INSERT|UPDATE|DELETE|REPLACE|LOCK|CREATE|DROP|ALTER|TRUNCATE)\b", re.I)
PAGES = [
    (REPORT, Q1),
    (REPORT, {**Q1, "group_by": "month"}),
    (reverse("backoffice:report-excel"), Q1),
    (reverse("backoffice:report-pdf"), Q1),
    (DRILL, {**Q1, "figure": "late"}),
    (reverse("backoffice:quality"), Q1),
    (reverse("backoffice:supervision"), Q1),
    ("/api/v1/reports/bieu-06", {"from": "2026-01-01", "to": "2026-03-31"}),
]


def writes(captured: CaptureQueriesContext) -> list[str]:
    statements = [query["sql"] for query in captured.captured_queries]
    return [sql for sql in statements if WRITE.match(sql) or "FOR UPDATE" in sql.upper()]


@pytest.mark.usefixtures("quarter")
@pytest.mark.parametrize(("url", "params"), PAGES, ids=[f"{u}?{p}" for u, p in PAGES])
def test_a_report_page_performs_no_write(client, system_admin, url, params):
    assert not StockMonth.objects.exists()  # the worker has not made any snapshot yet
    with at(READ_AT):
        client.force_login(system_admin)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url, params)
    assert response.status_code == 200, response.content[:500]
    assert len(captured) > 0
    assert writes(captured) == []
    assert not StockMonth.objects.exists()
