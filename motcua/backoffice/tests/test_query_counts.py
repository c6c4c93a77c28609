"""The busy back-office pages answer with a fixed number of queries, whatever the number of
dossiers, steps and events (style.md: list pages use select_related/prefetch_related and
tests pin their counts; decision 0010). Each count is the whole request through the test
client: session, user, permissions, the page's reads. A change that adds a query per row
makes the second measurement of a test differ from the first; a change of the fixed count
shows here and is updated with its reason."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from motcua.dossiers.processing import assign_step, complete_step, hand_over

VN = ZoneInfo("Asia/Ho_Chi_Minh")
MONDAY_10AM = datetime(2026, 3, 9, 10, 0, tzinfo=VN)

# The fixed counts, by page and viewer (see each test for what they are).
# +1: the applicant's registered documents that could stand for the paper (registry.reuse).
DOSSIER_PAGE = {"department_head": 28, "centre_clerk": 22}
MY_WORK = {"centre_clerk": 17, "department_head": 16, "specialist": 15}
INTAKE_CHOOSE = 7
INTAKE_FORM = 9


def _processed(receive, centre_clerk, department_head, specialist):
    """A dossier handed over, assigned and with a step done: steps, events and officers."""
    dossier = hand_over(receive(), actor=centre_clerk)
    with time_machine.travel(MONDAY_10AM, tick=False):
        assign_step(dossier, actor=department_head, assignee=specialist)
        complete_step(dossier, actor=specialist)
    return dossier


def _count(client, django_assert_num_queries, url: str, expected: int) -> None:
    with django_assert_num_queries(expected):
        response = client.get(url)
    assert response.status_code == 200


@pytest.fixture
def many(receive, centre_clerk, department_head, specialist):
    """Five more dossiers at several stages: rows in every queue the officers see."""
    for n in range(5):
        dossier = receive()
        if n % 2:
            _processed(lambda d=dossier: d, centre_clerk, department_head, specialist)
    return n


def test_dossier_page_queries_do_not_grow_with_the_database(
    request, client, receive, centre_clerk, department_head, specialist,
    django_assert_num_queries,
):  # fmt: skip
    busy = _processed(receive, centre_clerk, department_head, specialist)
    client.force_login(department_head)
    client.get(reverse("backoffice:home"))  # the session's first save is not the page's
    url, expected = _dossier_url(busy), DOSSIER_PAGE["department_head"]
    _count(client, django_assert_num_queries, url, expected)

    request.getfixturevalue("many")

    _count(client, django_assert_num_queries, url, expected)


def test_dossier_page_at_the_counter(client, receive, centre_clerk, django_assert_num_queries):
    received = receive()
    client.force_login(centre_clerk)
    client.get(reverse("backoffice:home"))

    _count(client, django_assert_num_queries, _dossier_url(received), DOSSIER_PAGE["centre_clerk"])


def _dossier_url(dossier) -> str:
    return reverse("backoffice:dossier", args=[dossier.code])


@pytest.mark.parametrize("officer", ["centre_clerk", "department_head", "specialist"])
def test_my_work_queries_do_not_grow_with_the_queues(
    request, client, receive, centre_clerk, department_head, specialist, officer,
    django_assert_num_queries,
):  # fmt: skip
    user = request.getfixturevalue(officer)
    _processed(receive, centre_clerk, department_head, specialist)
    client.force_login(user)
    client.get(reverse("backoffice:home"))
    url = reverse("backoffice:my-work")
    _count(client, django_assert_num_queries, url, MY_WORK[officer])

    request.getfixturevalue("many")

    _count(client, django_assert_num_queries, url, MY_WORK[officer])


def test_counter_intake_pages_have_fixed_queries(
    client, criminal_record, centre_clerk, django_assert_num_queries
):
    client.force_login(centre_clerk)
    client.get(reverse("backoffice:home"))

    choose = reverse("backoffice:intake-choose") + "?q=ly+lich+tu+phap"
    _count(client, django_assert_num_queries, choose, INTAKE_CHOOSE)
    form = reverse("backoffice:intake", args=[criminal_record.code])
    _count(client, django_assert_num_queries, form, INTAKE_FORM)
