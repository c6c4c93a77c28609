"""GET /api/v1/reports/bieu-06 through HTTP: figures of dossiers built through the services,
the caller's scope, errors in the API's shape, labels by Accept-Language."""

import pytest

from motcua.dossiers.closing import withdraw
from motcua.dossiers.intake import (
    HandedIn,
    Intake,
    receive_dossier,
    receive_submitted,
    submit_online,
)
from motcua.dossiers.processing import approve, complete_step, hand_over
from motcua.dossiers.results import mark_result_ready
from motcua.dossiers.tests.conftest import (
    CITIZEN,
    MONDAY,
    at,
    receive,  # noqa: F401 (the fixture, used through `request`)
    vn,
)
from motcua.reports import figures as f

from .test_dossiers_api import bearer

URL = "/api/v1/reports/bieu-06"
MARCH = {"from": "2026-03-01", "to": "2026-03-31"}
# Seven dossiers of the Department of Justice received at the centre (one carried over from
# February, one online) and one birth registration at the commune (see `march`).
EXPECTED = {
    f.RECEIVED: 7,
    f.RECEIVED_ONLINE: 1,
    f.RECEIVED_IN_PERSON: 5,
    f.CARRIED_OVER: 1,
    f.RESOLVED: 3,
    f.EARLY: 1,
    f.ON_TIME: 1,
    f.LATE: 1,
    f.IN_PROGRESS: 4,
    f.IN_TIME: 1,
    f.OVERDUE: 3,
    f.WITHDRAWN: 1,
}


def _resolve(dossier, moment, officers):
    """Handed over on Monday 9 March, every processing step done and the result ready at
    `moment` (appointment: 16 March 17:00 for a dossier received on 9 March)."""
    centre_clerk, specialist, department_head, commune_specialist, leader = officers
    with at(MONDAY):
        hand_over(dossier, actor=centre_clerk)
    with at(moment):
        for actor in (specialist, department_head, commune_specialist):
            complete_step(dossier, actor=actor)
        approve(dossier, actor=leader)
        mark_result_ready(dossier, actor=leader)


def _online(criminal_record, centre, centre_clerk, moment):
    components = criminal_record.current_version.components.all()
    handed_in = [HandedIn(c.pk, originals=1) for c in components]
    with at(moment):
        dossier = submit_online(Intake(criminal_record, centre, CITIZEN, handed_in=handed_in))
        receive_submitted(dossier, actor=centre_clerk)


def _birth(birth_registration, commune_agency, clerk, moment):
    components = birth_registration.current_version.components.all()
    handed_in = [HandedIn(c.pk, originals=1) for c in components]
    with at(moment):
        intake = Intake(birth_registration, commune_agency, CITIZEN, handed_in=handed_in)
        receive_dossier(intake, actor=clerk)


@pytest.fixture
def march(criminal_record, centre, centre_clerk, request):
    """Justice (received at the centre; appointment 16 March 17:00 for Monday 9 March):
    resolved early (10 March), late (17 March), withdrawn (10 March), open; received
    25 February and open (carried over, overdue); received 30 March (in time); online,
    received 10 March and open (overdue). Commune: one birth registration on 10 March."""
    make = request.getfixturevalue("receive")
    names = ("specialist", "department_head", "commune_specialist", "leader")
    officers = (centre_clerk, *(request.getfixturevalue(name) for name in names))
    _resolve(make(MONDAY), vn(2026, 3, 10, 9, 0), officers)
    _resolve(make(MONDAY), vn(2026, 3, 17, 9, 0), officers)
    withdrawn = make(MONDAY)
    with at(vn(2026, 3, 10, 9, 0)):
        withdraw(withdrawn, actor=centre_clerk, reason="Công dân rút hồ sơ")
    make(MONDAY)
    make(vn(2026, 2, 25, 9, 0))
    make(vn(2026, 3, 30, 9, 0))
    _online(criminal_record, centre, centre_clerk, vn(2026, 3, 10, 8, 0))
    commune = request.getfixturevalue("commune_agency")
    birth = request.getfixturevalue("birth_registration")
    _birth(birth, commune, request.getfixturevalue("clerk"), vn(2026, 3, 10, 9, 0))


def _get(client, user, **params):
    return client.get(URL, {**MARCH, **params}, **bearer(user))


def _figures(expected: dict[str, int]) -> dict[str, int]:
    return {name: expected.get(name, 0) for name in f.ALL}


def test_figures_of_the_month_for_the_resolving_agencys_leader(client, march, leader):
    response = _get(client, leader)

    assert response.status_code == 200, response.content
    data = response.json()
    assert data["period"] == {
        "first": "2026-03-01",
        "last": "2026-03-31",
        "name": "Tháng 3 năm 2026",
    }
    assert data["scope"]["agencies"] == ["H42.12"]
    assert data["group_by"] == "" and data["rows"] == []
    assert data["total"]["key"] is None
    assert data["total"]["figures"] == _figures(EXPECTED)
    assert data["total"]["rates"] == {"on_time_rate": 66.67, "online_share": 16.67}
    assert "một lần" in data["how_counted"]
    labels = data["figure_labels"]
    assert [label["key"] for label in labels] == f.BIEU_06 + f.EXTRA  # in the form's order
    assert [label["key"] for label in labels if label["in_form"]] == f.BIEU_06


def test_rows_by_resolving_agency_add_up_to_the_total(client, march, system_admin):
    data = _get(client, system_admin, group_by="agency").json()

    assert data["scope"]["agencies"] is None
    assert [row["label"] for row in data["rows"]] == ["Sở Tư pháp", "UBND phường Thành Sen"]
    justice, commune = data["rows"]
    assert justice["figures"] == _figures(EXPECTED)
    assert commune["figures"][f.RECEIVED_IN_PERSON] == 1
    assert commune["figures"][f.IN_PROGRESS] == 1
    for name in f.ALL:
        assert data["total"]["figures"][name] == justice["figures"][name] + commune["figures"][name]


def test_a_leader_sees_only_the_agencies_where_they_may_view_reports(client, march, leader):
    data = _get(client, leader, group_by="receiving_agency").json()

    assert [row["label"] for row in data["rows"]] == ["Trung tâm Phục vụ hành chính công tỉnh"]
    assert data["total"]["figures"][f.RECEIVED] == 7


def test_filters_by_agency_field_procedure_and_level(client, march, supervisor, system_admin):
    assert _get(client, supervisor, agency="H42.01").json()["total"]["figures"][f.RECEIVED] == 7
    by_procedure = _get(client, system_admin, procedure="1.001193").json()
    assert by_procedure["total"]["figures"][f.RECEIVED] == 1
    by_field = _get(client, system_admin, field="ho-tich").json()
    assert by_field["scope"]["field"] == "ho-tich"
    assert by_field["total"]["figures"][f.RECEIVED] == 8
    commune = _get(client, system_admin, level="commune").json()
    assert commune["total"]["figures"][f.RECEIVED] == 1


def test_months_are_keyed_by_their_first_day(client, march, leader):
    data = _get(client, leader, group_by="month", **{"from": "2026-02-01"}).json()

    assert [row["key"] for row in data["rows"]] == ["2026-02-01", "2026-03-01"]
    assert data["rows"][0]["figures"][f.RECEIVED_IN_PERSON] == 1
    assert data["total"]["figures"][f.CARRIED_OVER] == 0
    assert data["total"]["figures"][f.IN_PROGRESS] == 4


def test_labels_follow_accept_language(client, march, leader):
    english = client.get(
        URL, {**MARCH, "group_by": "level"}, HTTP_ACCEPT_LANGUAGE="en", **bearer(leader)
    ).json()
    vietnamese = _get(client, leader, group_by="level").json()

    assert [row["label"] for row in english["rows"]] == ["Province level"]
    assert [row["label"] for row in vietnamese["rows"]] == ["Cấp tỉnh"]
    assert (english["total"]["label"], vietnamese["total"]["label"]) == ("Total", "Tổng số")
    assert english["period"]["name"] == "Month 3 of 2026"
    assert english["figure_labels"][0]["label"] == "Received, total"
    assert vietnamese["figure_labels"][0]["label"] == "Tổng số hồ sơ nhận giải quyết"
    assert "counted once" in english["how_counted"]


def test_a_logged_in_session_works_too(client, march, leader):
    client.force_login(leader)
    assert client.get(URL, MARCH).json()["total"]["figures"][f.RECEIVED] == 7


def test_anonymous_callers_get_401(client, db):
    response = client.get(URL, MARCH)
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "unauthenticated"


def test_staff_without_the_reports_capability_get_403(client, clerk):
    response = _get(client, clerk)
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "forbidden"


@pytest.mark.parametrize(
    "params",
    [
        {"agency": "H42.50.01"},  # the commune: not the leader's
        {"agency": "H99.99"},  # no such agency: the same answer
        {"department": 999_999},
    ],
)
def test_agencies_and_departments_outside_the_scope_are_404(client, leader, params):
    response = _get(client, leader, **params)
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_a_department_of_another_agency_is_404(client, leader, other_commune_agency):
    department = other_commune_agency.departments.create(code="VP", name="Văn phòng")
    assert _get(client, leader, department=department.pk).status_code == 404


@pytest.mark.parametrize(
    "params",
    [
        {"from": "2026-02-30"},
        {"from": "tháng ba"},
        {"from": "2026-04-01"},  # after `to`
        {"from": "2015-12-31"},  # more than ten years
        {"group_by": "weekday"},
        {"level": "galaxy"},
        {"field": "no-such-field"},
        {"procedure": "9.999999"},
    ],
)
def test_bad_input_is_422_in_the_error_shape(client, leader, params):
    response = _get(client, leader, **params)
    assert response.status_code == 422, response.content
    assert response.json()["error"]["code"] == "invalid_input"


def test_the_period_is_required(client, leader):
    response = client.get(URL, {"from": "2026-03-01"}, **bearer(leader))
    assert response.status_code == 422


def test_the_endpoint_is_documented(client):
    schema = client.get("/api/v1/openapi.json").json()
    operation = schema["paths"][URL]["get"]
    assert {p["name"] for p in operation["parameters"]} >= {"from", "to", "agency", "group_by"}
    figures = schema["components"]["schemas"]["ReportFiguresOut"]["properties"]
    assert set(figures) == set(f.ALL)
