"""The quality pages through HTTP: figures and links, scope restrictions, bad input."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from motcua.dossiers.processing import assign_step
from motcua.dossiers.tests import conftest as lifecycle
from motcua.dossiers.tests.conftest import at, vn
from motcua.reports.tests.quality_scenario import early, late_after_supplement

receive, processing = lifecycle.receive, lifecycle.processing
APRIL = vn(2026, 4, 1, 9)  # after March, the month shown
MARCH = {"period": "month", "year": "2026", "month": "3"}
QUALITY, SUPERVISION = reverse("backoffice:quality"), reverse("backoffice:supervision")


def get(client, user, url, params=None):
    client.force_login(user)
    with at(APRIL):
        return client.get(url, params or MARCH)


def test_indicators_page_shows_the_scores_grades_and_flags(
    client, two_dossiers, province_supervisor, centre, justice_department
):
    response = get(client, province_supervisor, QUALITY)
    assert response.status_code == 200
    result = response.context["result"]
    assert [u.agency_id for u in result.units] == [justice_department.pk, centre.pk]
    assert str(result.whole.total) == "9.5"
    html = response.content.decode()
    assert "Sở Tư pháp" in html and centre.name in html
    assert "9,5" in html  # the total, in Vietnamese number format
    assert html.count('class="badge nm"') >= 6  # every figure using an unrecorded input
    assert len(result.officers) == 4
    assert [g.key for g in result.groups][:2] == ["publicity", "progress"]
    assert f'href="{SUPERVISION}"' in html  # the supervisor's second tab


def test_a_supervisor_sees_only_their_agencies(client, two_dossiers, supervisor, centre):
    response = get(client, supervisor, QUALITY)  # a supervisor of the centre only
    assert [u.agency_id for u in response.context["result"].units] == [centre.pk]
    assert get(client, supervisor, QUALITY, {**MARCH, "agency": centre.pk}).status_code == 200


def test_an_agency_outside_the_users_agencies_is_404(
    client, supervisor, justice_department, department_head, centre
):
    outside = {**MARCH, "agency": justice_department.pk}
    assert get(client, supervisor, QUALITY, outside).status_code == 404
    assert get(client, supervisor, SUPERVISION, outside).status_code == 404
    assert get(client, supervisor, QUALITY, {**MARCH, "agency": 999_999}).status_code == 404
    assert get(client, department_head, QUALITY, {**MARCH, "agency": centre.pk}).status_code == 404


def test_who_may_open_the_pages(client, supervisor, department_head, clerk):
    assert get(client, department_head, QUALITY).status_code == 200  # VIEW_REPORTS
    assert get(client, department_head, SUPERVISION).status_code == 403  # no SUPERVISE
    assert get(client, clerk, QUALITY).status_code == 403
    assert get(client, clerk, SUPERVISION).status_code == 403
    assert get(client, supervisor, SUPERVISION).status_code == 200
    client.logout()
    assert client.get(QUALITY).status_code == 302  # to the sign-in page


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"period": "dates", "date_from": "31/02/2026", "date_to": "31/03/2026"}, "date_from"),
        ({"period": "dates", "date_from": "31/03/2026", "date_to": "01/03/2026"}, "date_to"),
        ({"period": "dates", "date_from": "01/01/2025", "date_to": "31/03/2026"}, "date_to"),
        ({"period": "dates", "date_from": "01/01/1999", "date_to": "31/01/1999"}, "date_from"),
        ({"period": "dates", "date_from": "2026-13-45", "date_to": ""}, "date_from"),
        ({"period": "month", "year": "2026", "month": "13"}, "month"),
        ({"period": "month", "year": "2026", "month": "5"}, "__all__"),  # not started
        ({**MARCH, "agency": "abc"}, "agency"),
        ({"period": "week"}, "period"),
    ],
)
@pytest.mark.parametrize("url", [QUALITY, SUPERVISION], ids=["quality", "supervision"])
def test_bad_input_is_a_clear_error(client, supervisor, params, message, url):
    response = get(client, supervisor, url, params)
    assert response.status_code == 400
    assert message in response.context["form"].errors
    assert 'role="alert"' in response.content.decode()


def test_supervision_lists_link_to_dossiers_and_procedures(
    client, processing, province_supervisor, specialist, department_head, criminal_record
):
    with at(vn(2026, 3, 9, 10)):
        assign_step(processing, actor=department_head, assignee=specialist)
    client.force_login(province_supervisor)
    with at(vn(2026, 3, 17, 9)):  # overdue since Monday 16 March 17:00
        response = client.get(SUPERVISION, MARCH)
    assert response.status_code == 200
    watch = response.context["watch"]
    assert [p.dossier.pk for p in watch.overdue] == [processing.pk]
    html = response.content.decode()
    assert reverse("backoffice:dossier", args=[processing.code]) in html
    assert f"<td>{specialist.username}</td>" in html  # the officer it waits for
    assert reverse("catalogue:detail", args=[criminal_record.code]) in html  # 33 h of 37.5
    assert "Sở Tư pháp" in html


def test_the_menu_shows_the_quality_link_only_to_those_who_may_open_it(
    client, supervisor, department_head, clerk
):
    link = f'href="{QUALITY}"'
    for user, shown in ((supervisor, True), (department_head, True), (clerk, False)):
        client.force_login(user)
        page = client.get(reverse("backoffice:my-work")).content.decode()
        assert (link in page) is shown, user


def test_query_counts_do_not_grow_with_the_dossiers(client, receive, people, province_supervisor):
    early(receive, people)
    late_after_supplement(receive, people)
    client.force_login(province_supervisor)

    def count(url):
        with at(APRIL), CaptureQueriesContext(connection) as queries:
            assert client.get(url, MARCH).status_code == 200
        return len(queries)

    # Warm up: the statistics make their monthly snapshots on first use (reports.tallies).
    [count(url) for url in (QUALITY, SUPERVISION)]
    before = {url: count(url) for url in (QUALITY, SUPERVISION)}
    early(receive, people)
    late_after_supplement(receive, people)
    assert {url: count(url) for url in (QUALITY, SUPERVISION)} == before
