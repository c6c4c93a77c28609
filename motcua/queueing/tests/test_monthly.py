"""The queue's monthly figures through HTTP: the month's tickets per service point, service,
counter and officer within the reader's agencies (a supervisor of the province sees every
commune's point), other months left out, the Excel download formula-safe, a bad month refused
with what was typed kept, and the queries independent of the number of tickets."""

from datetime import datetime, timedelta
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from conftest import PASSWORD, make_user
from motcua.organisations.models import ReceptionPoint
from motcua.organisations.roles import Role
from motcua.queueing import calling, tickets
from motcua.queueing.models import QueueService, ServicePoint
from motcua.queueing.numbering import ZONE

from .conftest import make_counter

URL = reverse("queueing:monthly")


def login(client, user):
    client.login(username=user.username, password=PASSWORD)
    return client


def serve(traveller, counter, officer, service, *, wait: int, length: int, absent=False):
    """A ticket issued now, called after `wait` minutes, served for `length` minutes."""
    ticket = tickets.issue_ticket(tickets.Request(service=service))
    traveller.shift(timedelta(minutes=wait))
    calling.call_next(counter, actor=officer)
    if absent:
        calling.skip(counter, ticket.pk, actor=officer)
        return ticket
    calling.start_serving(counter, ticket.pk, actor=officer)
    traveller.shift(timedelta(minutes=length))
    calling.finish(counter, ticket.pk, actor=officer)
    return ticket


@pytest.fixture
def other_point(other_commune_agency):
    reception = ReceptionPoint.objects.create(agency=other_commune_agency, name="=HYPERLINK(1)")
    return ServicePoint.objects.create(reception_point=reception, slug="thach-ha")


@pytest.fixture
def december(at_nine, clerk, on_duty, intake_service, other_point, clerk_of_other_agency):
    """Three tickets at Thành Sen on two days of December, one at Thạch Hà, one in January."""
    clerk.first_name, clerk.last_name = "Lê Thị", "Lan"
    clerk.save()
    serve(at_nine, on_duty, clerk, intake_service, wait=10, length=5)
    serve(at_nine, on_duty, clerk, intake_service, wait=20, length=15)
    at_nine.move_to(datetime(2026, 12, 2, 9, 0, tzinfo=ZONE))
    serve(at_nine, on_duty, clerk, intake_service, wait=30, length=0, absent=True)
    other = QueueService.objects.create(point=other_point, prefix="B", name="Chứng thực")
    counter = make_counter(other_point, 3, other)
    calling.take_duty(counter, actor=clerk_of_other_agency)
    counter.refresh_from_db()
    serve(at_nine, counter, clerk_of_other_agency, other, wait=40, length=10)
    at_nine.move_to(datetime(2027, 1, 4, 9, 0, tzinfo=ZONE))
    serve(at_nine, on_duty, clerk, intake_service, wait=99, length=99)
    at_nine.move_to(datetime(2027, 1, 4, 12, 0, tzinfo=ZONE))


def test_a_clerk_sees_the_month_of_their_point(client, clerk, december):
    response = login(client, clerk).get(URL, {"thang": "2026-12"})
    assert response.status_code == 200
    month = response.context["month"]
    total = month.total
    assert (total.tickets, total.served, total.no_shows) == (3, 2, 1)
    assert sorted(total.waits) == [10.0, 20.0, 30.0]
    assert (total.wait_mean, total.wait_p90) == (20.0, 30.0)
    assert (total.service_mean, total.service_p90) == (10.0, 15.0)
    tables = dict(month.tables)
    assert [line.label for line in tables["service"]] == ["A · Hộ tịch"]
    assert [line.label for line in tables["counter"]] == ["Quầy 1"]
    assert [line.label for line in tables["officer"]] == ["Lê Thị Lan (clerk)"]
    page = response.content.decode()
    assert "Thạch Hà" not in page and "Lê Thị Lan (clerk)" in page


def test_the_month_defaults_to_the_current_one(client, clerk, december):
    response = login(client, clerk).get(URL)
    assert response.status_code == 200
    assert response.context["month"].total.tickets == 1  # January 2027: the late ticket
    assert response.context["month"].first.isoformat() == "2027-01-01"


def test_a_provincial_supervisor_sees_every_point_and_can_pick_one(
    client, december, provincial_committee
):
    supervisor = make_user("province_supervisor", provincial_committee, Role.SUPERVISOR)
    login(client, supervisor)
    month = client.get(URL, {"thang": "2026-12"}).context["month"]
    assert month.total.tickets == 4
    assert len(dict(month.tables)["point"]) == 2
    one = client.get(URL, {"thang": "2026-12", "diem": "thach-ha"}).context["month"]
    assert one.total.tickets == 1 and one.total.wait_mean == 40.0


def test_the_excel_download_keeps_names_as_text(client, december, provincial_committee):
    supervisor = make_user("province_supervisor", provincial_committee, Role.SUPERVISOR)
    response = login(client, supervisor).get(
        reverse("queueing:monthly-excel"), {"thang": "2026-12"}
    )
    assert response.status_code == 200
    assert "hang-doi-2026-12.xlsx" in response["Content-Disposition"]
    book = load_workbook(BytesIO(response.content))
    assert len(book.sheetnames) == 4
    rows = list(book.worksheets[1].iter_rows(values_only=True))
    assert rows[1] == ("Các điểm phục vụ", "=HYPERLINK(1); Bộ phận một cửa") + (None,) * 7
    services = {row[1]: row for row in rows[4:-1]}
    assert services["B · Chứng thực"][:5] == (
        "=HYPERLINK(1)",
        "B · Chứng thực",
        1,
        1,
        0,
    )
    cells = [c for row in book.worksheets[1].iter_rows() for c in row]
    typed = next(c for c in cells if c.value == "=HYPERLINK(1)")
    assert typed.data_type == "s" and typed.quotePrefix  # text, never a formula
    assert rows[-1][0] == "Tổng số" and rows[-1][2] == 4


def test_a_bad_month_is_refused_and_kept(client, clerk, point):
    response = login(client, clerk).get(URL, {"thang": "2026-13"})
    assert response.status_code == 400
    page = response.content.decode()
    assert 'value="2026-13"' in page and "YYYY-MM" in page
    excel = client.get(reverse("queueing:monthly-excel"), {"thang": "tháng 12"})
    assert excel.status_code == 400
    assert client.get(URL, {"thang": "2026-12", "diem": "nowhere"}).status_code == 400


def test_a_citizen_or_a_user_without_a_role_may_not(client, db):
    user = make_user("nobody")
    assert login(client, user).get(URL).status_code == 403


def test_the_queries_do_not_grow_with_the_tickets(
    client, clerk, december, django_assert_max_num_queries
):
    login(client, clerk)
    client.get(URL, {"thang": "2026-12"})  # the session and the memberships warmed up
    with django_assert_max_num_queries(12):
        response = client.get(URL, {"thang": "2026-12"})
    assert response.status_code == 200


def test_the_reports_page_links_to_the_month(client, clerk, provincial_committee):
    reader = make_user("reader", provincial_committee, Role.LEADER)
    page = login(client, reader).get(reverse("backoffice:report")).content.decode()
    assert URL in page


def test_points_of_the_same_name_are_told_apart_by_their_agency(point, other_commune_agency):
    from motcua.queueing.monthly import point_labels

    twin = ServicePoint.objects.create(
        reception_point=ReceptionPoint.objects.create(
            agency=other_commune_agency, name=point.reception_point.name
        ),
        slug="twin",
    )
    alone = ServicePoint.objects.create(
        reception_point=ReceptionPoint.objects.create(agency=other_commune_agency, name="Xã"),
        slug="alone",
    )
    labels = point_labels([point, twin, alone])
    assert labels[twin.pk] == "Bộ phận một cửa · UBND xã Thạch Hà"
    assert labels[alone.pk] == "Xã"
