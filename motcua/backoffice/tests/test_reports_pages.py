"""The statistics pages (Biểu 06) through HTTP: the figures, their drill-down links and
lists with the officer of the late step, the scope of each user, clear errors for bad
parameters, the downloads, and a query count that does not grow with the dossiers.

Dossiers are built through the services with the six-step inter-agency procedure of the
lifecycle tests (received at the provincial centre, resolved by the Department of Justice,
5 working days), in the first quarter of 2026; the pages are read on 2 April 2026."""

import importlib.util
import re
import types
from datetime import datetime
from html import unescape
from urllib.parse import parse_qs, urlparse

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from motcua.dossiers.intake import (
    HandedIn,
    Intake,
    receive_dossier,
    receive_submitted,
    submit_online,
)
from motcua.dossiers.processing import approve, assign_step, complete_step, hand_over
from motcua.dossiers.results import mark_result_ready
from motcua.dossiers.tests.conftest import CITIZEN, VN, at
from motcua.reports import figures as f

Q1 = {"period": "quarter", "year": "2026", "quarter": "1"}
READ_AT = datetime(2026, 4, 2, 10, 0, tzinfo=VN)
REPORT = reverse("backoffice:report")
DRILL = reverse("backoffice:report-dossiers")


def vn(*args: int) -> datetime:
    return datetime(*args, tzinfo=VN)


@pytest.fixture
def receive(criminal_record, centre, centre_clerk):
    """receive(moment) -> a dossier received at the centre's counter at that moment."""
    component = criminal_record.current_version.components.get()

    def make(moment: datetime):
        intake = Intake(
            criminal_record, centre, CITIZEN, handed_in=[HandedIn(component.pk, originals=1)]
        )
        with at(moment):
            return receive_dossier(intake, actor=centre_clerk)

    return make


@pytest.fixture
def steps(centre_clerk, specialist, department_head, commune_specialist, leader):
    """run(dossier, finish_by={order: moment}) drives the dossier through its steps."""
    actors = {2: specialist, 3: department_head, 4: commune_specialist, 5: leader}

    def run(dossier, moments: dict[int, datetime], ready: datetime | None = None):
        with at(dossier.received_at):
            hand_over(dossier, actor=centre_clerk)
            assign_step(dossier, actor=department_head, assignee=specialist)
        for order, moment in sorted(moments.items()):
            with at(moment):
                action = approve if order == 5 else complete_step
                action(dossier, actor=actors[order])
        if ready is not None:
            with at(ready):
                mark_result_ready(dossier, actor=centre_clerk)
        return dossier

    return run


@pytest.fixture
def quarter(receive, steps, criminal_record, centre, centre_clerk):
    """Q1 2026: one dossier resolved late (appraisal done late by the specialist), one
    resolved early, one still open and overdue, one received online and open in time."""
    late = steps(
        receive(vn(2026, 3, 9, 9, 0)),
        {
            2: vn(2026, 3, 17, 9),
            3: vn(2026, 3, 17, 10),
            4: vn(2026, 3, 17, 14),
            5: vn(2026, 3, 18, 8),
        },
        ready=vn(2026, 3, 18, 9),
    )
    early = steps(
        receive(vn(2026, 3, 9, 9, 30)),
        {
            2: vn(2026, 3, 9, 14),
            3: vn(2026, 3, 9, 15),
            4: vn(2026, 3, 10, 8),
            5: vn(2026, 3, 10, 9),
        },
        ready=vn(2026, 3, 10, 10),
    )
    overdue = steps(receive(vn(2026, 3, 2, 9, 0)), {})
    with at(vn(2026, 3, 30, 8, 0)):
        component = criminal_record.current_version.components.get()
        sent = [HandedIn(component.pk, originals=1)]  # received only complete
        online = submit_online(Intake(criminal_record, centre, CITIZEN, handed_in=sent))
        online = receive_submitted(online, actor=centre_clerk)
    return {"late": late, "early": early, "overdue": overdue, "online": online}


def get(client, user, url, params):
    client.force_login(user)
    with at(READ_AT):
        return client.get(url, params)


def cell(html: str, figure: str, row: str = "total") -> str:
    """The text of a figure's cell in the total row (or the first body row)."""
    if row == "total":
        parts = re.findall(r"<tfoot>(.*?)</tfoot>", html, re.S)
    else:
        parts = [part for part in re.findall(r"<tbody>(.*?)</tbody>", html, re.S) if part.strip()]
    found = (re.search(rf'class="num f-{figure}">(.*?)</td>', part) for part in parts)
    return unescape(next(match for match in found if match).group(1))


def value(html: str, figure: str, row: str = "total") -> int:
    return int(re.sub(r"<[^>]+>", "", cell(html, figure, row)))


def link(html: str, figure: str, row: str = "total") -> str:
    return re.search(r'href="([^"]+)"', cell(html, figure, row)).group(1)


def test_the_report_shows_the_biểu_06_figures_with_links(client, supervisor, quarter):
    response = get(client, supervisor, REPORT, Q1)
    assert response.status_code == 200, response.context["form"].errors
    html = response.content.decode()
    expected = {
        f.RECEIVED: 4,
        f.RECEIVED_ONLINE: 1,
        f.RECEIVED_IN_PERSON: 3,
        f.CARRIED_OVER: 0,
        f.RESOLVED: 2,
        f.EARLY: 1,
        f.ON_TIME: 0,
        f.LATE: 1,
        f.IN_PROGRESS: 2,
        f.IN_TIME: 1,
        f.OVERDUE: 1,
        f.WITHDRAWN: 0,
    }
    assert {name: value(html, name) for name in expected} == expected
    # The same figures in the row of the resolving agency (rows by agency by default).
    assert value(html, f.LATE, row="first") == 1
    assert "Sở Tư pháp" in html
    assert 'class="zero"' in cell(html, f.ON_TIME)  # a zero is not a link
    drill = urlparse(link(html, f.LATE))
    assert drill.path == DRILL
    assert parse_qs(drill.query)["figure"] == [f.LATE]
    assert "50.0" in html or "50,0" in html  # on-time rate and online share
    assert reverse("backoffice:report-excel") in html and reverse("backoffice:report-pdf") in html
    assert "<svg" in html and 'role="img"' in html


def test_the_default_is_the_current_quarter_by_agency(client, leader, db):
    client.force_login(leader)
    with at(vn(2026, 5, 20, 10)):
        response = client.get(REPORT)
    assert response.status_code == 200
    assert "01/04/2026" in response.content.decode() and "20/05/2026" in response.content.decode()
    assert response.context["report"].group_by == "agency"


def test_the_drilldown_lists_the_late_dossier_with_its_late_officer(
    client, supervisor, specialist, quarter
):
    html = get(client, supervisor, REPORT, Q1).content.decode()
    response = get(client, supervisor, link(html, f.LATE), {})
    assert response.status_code == 200
    page = response.content.decode()
    late = quarter["late"]
    assert late.code in page and quarter["early"].code not in page
    assert reverse("backoffice:dossier", args=[late.code]) in page
    line = response.context["lines"][0].line
    assert line.late_step.order == 2 and line.late_step.assignee == specialist
    assert line.days_late > 0
    assert "Trần Thị Bình" not in page  # no applicant data in the statistics


def test_reports_only_viewer_sees_no_dossier_code_nor_officer_name(
    client, supervisor, specialist, centre, quarter
):
    # An agency administrator holds VIEW_REPORTS but no dossier capability: the figures and
    # the late step, not which dossier nor who (docs/security.md).
    from conftest import make_user
    from motcua.organisations.roles import Role

    viewer = make_user("reports_only", centre, Role.AGENCY_ADMIN)
    late = quarter["late"]
    seen = get(
        client, supervisor, link(get(client, supervisor, REPORT, Q1).content.decode(), f.LATE), {}
    )
    assert f"<strong>{specialist.username}</strong>" in seen.content.decode()
    html = get(client, viewer, REPORT, Q1).content.decode()
    page = get(client, viewer, link(html, f.LATE), {}).content.decode()
    assert late.code not in page
    assert late.code.rpartition("-")[0] + "-••••" in page
    assert reverse("backoffice:dossier", args=[late.code]) not in page
    assert f"<strong>{specialist.username}</strong>" not in page


def test_the_drilldown_of_a_row_and_of_the_overdue_figure(client, supervisor, quarter):
    html = get(client, supervisor, REPORT, Q1).content.decode()
    overdue = get(client, supervisor, link(html, f.OVERDUE, row="first"), {})
    codes = [item.line.dossier.code for item in overdue.context["lines"]]
    assert codes == [quarter["overdue"].code]
    received = get(client, supervisor, link(html, f.RECEIVED, row="first"), {})
    assert received.context["page"].paginator.count == 4


def test_rows_by_month_drill_down_into_one_month(client, supervisor, quarter):
    params = {**Q1, "group_by": "month"}
    html = get(client, supervisor, REPORT, params).content.decode()
    march = get(client, supervisor, DRILL, {**params, "figure": f.RECEIVED, "key": "2026-03-01"})
    assert march.context["page"].paginator.count == 4
    january = get(client, supervisor, DRILL, {**params, "figure": f.RECEIVED, "key": "2026-01-01"})
    assert january.context["page"].paginator.count == 0
    assert "03/2026" in html


def test_a_user_of_another_agency_sees_none_of_these_dossiers(
    client, other_agency_admin, centre, quarter
):
    response = get(client, other_agency_admin, REPORT, Q1)
    assert response.status_code == 200
    assert value(response.content.decode(), f.RECEIVED) == 0
    chosen = get(client, other_agency_admin, REPORT, {**Q1, "agency": centre.pk})
    assert chosen.status_code == 400
    assert "agency" in chosen.context["form"].errors
    drill = get(client, other_agency_admin, DRILL, {**Q1, "figure": f.RECEIVED})
    assert drill.status_code == 200 and drill.context["page"].paginator.count == 0
    other_row = get(
        client,
        other_agency_admin,
        DRILL,
        {**Q1, "group_by": "agency", "key": centre.pk, "figure": f.RECEIVED},
    )
    assert other_row.context["page"].paginator.count == 0


def test_a_leader_of_the_resolving_agency_sees_its_dossiers(client, leader, quarter):
    html = get(client, leader, REPORT, Q1).content.decode()
    assert value(html, f.RECEIVED) == 4


def test_staff_without_report_rights_are_refused(client, specialist, clerk):
    assert get(client, specialist, REPORT, Q1).status_code == 403
    assert get(client, clerk, DRILL, {**Q1, "figure": f.LATE}).status_code == 403
    client.logout()
    assert client.get(REPORT).status_code == 302  # to the sign-in page


def test_the_menu_links_the_reports_only_for_those_who_may_see_them(client, supervisor, specialist):
    client.force_login(supervisor)
    assert REPORT in client.get(reverse("backoffice:my-work")).content.decode()
    client.force_login(specialist)
    assert REPORT not in client.get(reverse("backoffice:my-work")).content.decode()


@pytest.mark.parametrize(
    "params, field",
    [
        ({"period": "dates", "date_from": "31/03/2026", "date_to": "01/03/2026"}, "date_to"),
        ({"period": "dates", "date_from": "2026-13-45", "date_to": ""}, "date_from"),
        ({"period": "dates", "date_from": "01/01/0001", "date_to": "01/01/0002"}, "date_from"),
        ({"period": "quarter", "year": "2026", "quarter": "5"}, "quarter"),
        ({"period": "month", "year": "abc", "month": "1"}, "year"),
        ({**Q1, "procedure": "9.999999"}, "procedure"),
        ({**Q1, "group_by": "colour"}, "group_by"),
        ({**Q1, "level": "galaxy"}, "level"),
        ({"period": "year", "year": "2099"}, "__all__"),
    ],
)
def test_bad_parameters_get_a_form_error(client, supervisor, params, field):
    response = get(client, supervisor, REPORT, params)
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert 'role="alert"' in response.content.decode()


@pytest.mark.parametrize(
    "params",
    [
        {**Q1, "figure": "everything"},
        {**Q1, "figure": f.LATE, "group_by": "agency", "key": "abc"},
        {**Q1, "figure": f.LATE, "group_by": "month", "key": "2025-01-01"},
        {**Q1, "figure": f.LATE, "group_by": "month", "key": "2026-04-01"},
    ],
)
def test_bad_drilldown_parameters_get_a_form_error(client, supervisor, params):
    response = get(client, supervisor, DRILL, params)
    assert response.status_code == 400
    assert 'role="alert"' in response.content.decode()


def test_a_department_of_another_agency_is_refused(client, leader, centre, registry_division, db):
    response = get(
        client, leader, REPORT, {**Q1, "agency": centre.pk, "department": registry_division.pk}
    )
    assert response.status_code == 400  # the centre is not the leader's agency
    same = get(client, leader, REPORT, {**Q1, "department": registry_division.pk})
    assert same.status_code == 200


def test_scope_by_procedure_code(client, supervisor, quarter, birth_registration):
    html = get(client, supervisor, REPORT, {**Q1, "procedure": "2.000488"}).content.decode()
    assert value(html, f.RECEIVED) == 4
    html = get(client, supervisor, REPORT, {**Q1, "procedure": "1.001193"}).content.decode()
    assert value(html, f.RECEIVED) == 0


@pytest.fixture
def documents(monkeypatch):
    """The Biểu 06 export module, replaced by a recorder (it is written separately)."""
    calls = []

    def xlsx(report, *, title_agency):
        calls.append(("xlsx", report, title_agency))
        return b"PK fake"

    def pdf(report, *, title_agency):
        calls.append(("pdf", report, title_agency))
        return b"%PDF fake"

    fake = types.SimpleNamespace(bieu06_xlsx=xlsx, bieu06_pdf=pdf)
    monkeypatch.setattr("motcua.backoffice.report_views._documents", lambda: fake)
    return calls


def test_downloads_pass_the_same_report_to_the_exports(client, supervisor, quarter, documents):
    excel = get(client, supervisor, reverse("backoffice:report-excel"), Q1)
    assert excel.status_code == 200 and excel.content == b"PK fake"
    assert excel["Content-Disposition"] == 'attachment; filename="bieu-06-20260101-20260331.xlsx"'
    pdf = get(client, supervisor, reverse("backoffice:report-pdf"), Q1)
    assert pdf["Content-Type"] == "application/pdf"
    kind, report, title = documents[0]
    assert report.total.figures[f.RECEIVED] == 4
    assert title == "Trung tâm Phục vụ hành chính công tỉnh"
    bad = get(client, supervisor, reverse("backoffice:report-pdf"), {**Q1, "quarter": "9"})
    assert bad.status_code == 400 and len(documents) == 2


@pytest.mark.skipif(
    importlib.util.find_spec("motcua.documents.bieu06") is None, reason="no export module yet"
)
def test_the_real_exports(client, supervisor, quarter):
    excel = get(client, supervisor, reverse("backoffice:report-excel"), Q1)
    assert excel.status_code == 200 and excel.content.startswith(b"PK")
    pdf = get(client, supervisor, reverse("backoffice:report-pdf"), Q1)
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


def _queries(client, user, params) -> int:
    """Queries of the page once the running tallies are up to date (the first read after
    new dossiers may write the monthly snapshots)."""
    client.force_login(user)
    with at(READ_AT):
        client.get(REPORT, params)
    with at(READ_AT), CaptureQueriesContext(connection) as queries:
        assert client.get(REPORT, params).status_code == 200
    return len(queries)


def test_report_queries_do_not_grow_with_the_dossiers(client, supervisor, receive, steps):
    steps(receive(vn(2026, 3, 9, 9, 0)), {2: vn(2026, 3, 17, 9)})
    before = _queries(client, supervisor, Q1)
    for day in (10, 11, 12):
        steps(receive(vn(2026, 3, day, 9, 0)), {2: vn(2026, 3, day, 14)})
    assert _queries(client, supervisor, Q1) == before


def test_drilldown_queries_do_not_grow_with_the_page(client, supervisor, receive, steps):
    steps(receive(vn(2026, 3, 9, 9, 0)), {})
    params = {**Q1, "figure": f.RECEIVED}
    client.force_login(supervisor)
    with at(READ_AT), CaptureQueriesContext(connection) as one:
        client.get(DRILL, params)
    for day in (10, 11, 12):
        steps(receive(vn(2026, 3, day, 9, 0)), {})
    with at(READ_AT), CaptureQueriesContext(connection) as four:
        response = client.get(DRILL, params)
    assert response.context["page"].paginator.count == 4
    assert len(four) == len(one)


def test_an_unassigned_late_step_names_who_finished_it(
    client, supervisor, department_head, receive, steps
):
    # Appraisal on time; the review (4 working hours, nobody assigned) done days later.
    dossier = steps(receive(vn(2026, 3, 9, 9, 0)), {2: vn(2026, 3, 9, 14), 3: vn(2026, 3, 13, 9)})
    response = get(client, supervisor, DRILL, {**Q1, "figure": f.IN_PROGRESS})
    line = response.context["lines"][0].line
    assert line.dossier.pk == dossier.pk
    assert line.late_step.order == 3 and line.officer == department_head
    assert not line.assigned
    assert "finished it, not assigned" in response.content.decode() or "không được phân công" in (
        response.content.decode()
    )


def test_chart_bars_drill_down_by_their_own_grouping(
    client, supervisor, criminal_record, justice_department, quarter
):
    response = get(client, supervisor, REPORT, {**Q1, "group_by": "month"})
    charts = response.context["charts"]
    [procedure] = charts["late_procedures"]
    [(_series, count, href)] = procedure.parts
    query = parse_qs(urlparse(href).query)
    assert count == 1 and query["group_by"] == ["procedure"]
    assert query["key"] == [str(criminal_record.pk)]
    listed = get(client, supervisor, href, {})
    assert [item.line.dossier for item in listed.context["lines"]] == [quarter["late"]]
    [unit] = charts["late_units"]
    assert unit.label == justice_department.name and unit.total == 2  # late 1 + overdue 1
    trend = {month: counts for month, *counts in response.context["trend"]["table"]}
    assert trend["03/2026"] == [4, 2, 1]


def test_a_month_row_of_a_period_starting_mid_month(client, supervisor, quarter):
    params = {"period": "dates", "date_from": "05/03/2026", "date_to": "31/03/2026"}
    html = get(client, supervisor, REPORT, {**params, "group_by": "month"}).content.decode()
    listed = get(client, supervisor, link(html, f.RECEIVED, row="first"), {})
    assert listed.status_code == 200
    assert listed.context["page"].paginator.count == 4
