"""The satisfaction report (issue 19 §1): ratings per officer, counter, procedure, unit and
month, for those who read reports, within their agencies; its Excel copy keeps a comment
that looks like a formula as text."""

from io import BytesIO

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from motcua.feedback.models import Channel
from motcua.feedback.ratings import Given, record_rating

from .conftest import KHAC, logged_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def rated(finished, clerk):
    mine, theirs = finished(), finished(KHAC)
    record_rating(
        dossier=mine,
        channel=Channel.DEVICE,
        given=Given(4, True),
        officer=clerk,
        counter_code='=HYPERLINK("http://x")',
    )
    record_rating(
        dossier=theirs, channel=Channel.DEVICE, given=Given(1), officer=clerk, counter_code="Q02"
    )
    record_rating(dossier=mine, channel=Channel.PORTAL, given=Given(3, False))
    return mine, theirs


def url(**query) -> str:
    today = timezone.localdate().isoformat()
    values = {"from": today, "to": today, **query}
    return (
        reverse("feedback_staff:satisfaction")
        + "?"
        + "&".join(f"{k}={v}" for k, v in values.items())
    )


def test_per_unit_and_per_counter(rated, agency_admin, commune_agency):
    page = logged_in(agency_admin)
    per_unit = page.get(url(by="unit"))
    assert per_unit.status_code == 200
    total = per_unit.context["total"]
    assert (total.total, total.satisfied, total.likes, total.dislikes) == (3, 2, 1, 1)
    assert [r.label for r in per_unit.context["rows"]] == [commune_agency.name]
    per_counter = page.get(url(by="counter", channel="device")).context["rows"]
    assert sorted((r.label, r.total) for r in per_counter) == [
        ('=HYPERLINK("http://x")', 1),
        ("Q02", 1),
    ]
    assert str(per_counter[0].satisfied_percent or per_counter[1].satisfied_percent) == "100.00"


def test_the_excel_copy_keeps_text_as_text(rated, agency_admin):
    response = logged_in(agency_admin).get(url(by="counter", xlsx="1"))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(BytesIO(response.content)).active
    values = [cell.value for row in sheet.iter_rows() for cell in row]
    cells = [
        cell for row in sheet.iter_rows() for cell in row if cell.value == '=HYPERLINK("http://x")'
    ]
    assert cells and cells[0].data_type == "s"
    assert 3 in values  # the total


def test_only_report_readers_and_their_agencies(rated, clerk, other_agency_admin):
    assert logged_in(clerk).get(url()).status_code == 404
    outside = logged_in(other_agency_admin).get(url(by="unit"))
    assert outside.status_code == 200 and outside.context["total"].total == 0


def test_bad_dates_are_a_clear_error(supervisor):
    response = logged_in(supervisor).get(url(**{"from": "2026-13-01"}))
    assert response.status_code == 400 and "2026-13-01" in response.content.decode()


def test_the_quarter_is_published_per_unit_without_names(client, rated, commune_agency, clerk):
    response = client.get(reverse("feedback:satisfaction"))
    assert response.status_code == 200
    text = response.content.decode()
    assert commune_agency.name in text and response.context["total"].total == 3
    assert "Q02" not in text and clerk.username not in text
    assert client.get(reverse("feedback:satisfaction") + "?nam=abc&quy=9").status_code == 200


def test_nobody_satisfied_is_zero_percent_not_a_dash(rated, agency_admin):
    response = logged_in(agency_admin).get(url(by="counter", channel="device"))
    row = next(r for r in response.context["rows"] if r.label == "Q02")
    assert str(row.satisfied_percent) == "0.00"
    html = response.content.decode()
    assert '<td>Q02</td><td class="num">1</td>' in html
    assert '<td class="num">0,00</td>' in html  # 0 % shown (a dash means no rating)
