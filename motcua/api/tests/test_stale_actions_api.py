"""An action sent twice, or after someone else changed the dossier, is refused through the
API (issue 11 §2.1): 409 `stale_action`, nothing changed, no event recorded. The user is a
head of division who also appraises, so a replay of "complete" would have completed their
review as well."""

import threading

import pytest
from django.db import connection, connections
from django.test import Client

from motcua.dossiers.models import Dossier, DossierEvent
from motcua.dossiers.status import Action, Status
from motcua.dossiers.tests.conftest import (  # noqa: F401
    MONDAY,
    appraising_head,
    at,
    processing,
    receive,
)
from motcua.organisations.tokens import issue_token

URL = "/api/v1/dossiers"


@pytest.fixture
def headers(appraising_head) -> dict:  # noqa: F811
    return {"HTTP_AUTHORIZATION": f"Bearer {issue_token(appraising_head, name='t').plain}"}


def post(client, headers, code: str, action: str, body: dict):
    return client.post(f"{URL}/{code}/{action}", body, content_type="application/json", **headers)


def states(dossier: Dossier) -> list[str]:
    return list(dossier.steps.order_by("order").values_list("state", flat=True))


def completions(dossier: Dossier) -> int:
    return DossierEvent.objects.filter(dossier=dossier, action=Action.COMPLETE_STEP).count()


def test_the_dossier_shows_its_version_and_its_step_ids(client, processing, headers):  # noqa: F811
    data = client.get(f"{URL}/{processing.code}", **headers).json()
    assert data["version"] == processing.version == 2  # received, then handed over
    active = [s["id"] for s in data["steps"] if s["state"] == "active"]
    assert active == [processing.steps.get(order=2).pk]


def test_complete_step_sent_twice_for_the_same_step_completes_it_once(
    client,
    processing,  # noqa: F811
    headers,
):
    body = {"step": processing.steps.get(order=2).pk, "note": "Đủ điều kiện"}
    with at(MONDAY):
        first = post(client, headers, processing.code, "complete-step", body)
        second = post(client, headers, processing.code, "complete-step", body)

    assert first.status_code == 200
    assert second.status_code == 409
    assert second.json()["error"]["code"] == "stale_action"
    assert "không còn đang xử lý" in second.json()["error"]["message"]
    assert states(processing) == ["done", "done", "active", "pending", "pending", "pending"]
    assert completions(processing) == 1


def test_complete_step_sent_twice_with_the_same_version_completes_it_once(
    client,
    processing,  # noqa: F811
    headers,
):
    body = {"expected_version": processing.version}
    with at(MONDAY):
        first = post(client, headers, processing.code, "complete-step", body)
        second = post(client, headers, processing.code, "complete-step", body)

    assert first.status_code == 200
    assert first.json()["version"] == processing.version + 1
    assert second.status_code == 409
    assert second.json()["error"]["code"] == "stale_action"
    dossier = Dossier.objects.get(pk=processing.pk)
    assert dossier.version == processing.version + 1
    assert states(dossier) == ["done", "done", "active", "pending", "pending", "pending"]
    assert completions(dossier) == 1


def test_an_action_on_the_step_that_names_neither_step_nor_version_is_refused(
    client,
    processing,  # noqa: F811
    headers,
):
    events = processing.events.count()
    with at(MONDAY):
        response = post(client, headers, processing.code, "complete-step", {"note": "x"})

    assert response.status_code == 428
    assert response.json()["error"]["code"] == "precondition_required"
    assert states(processing)[1] == "active"
    assert processing.events.count() == events


def test_a_stale_version_refuses_an_action_and_changes_nothing(
    client,
    processing,  # noqa: F811
    headers,
    centre_clerk,
    specialist,
):
    seen = processing.version
    with at(MONDAY):
        body = {"assignee": specialist.username, "expected_version": seen}
        assert post(client, headers, processing.code, "assign", body).status_code == 200
        # The clerk still holds the version before the assignment.
        clerk = {"HTTP_AUTHORIZATION": f"Bearer {issue_token(centre_clerk, name='c').plain}"}
        body = {"reason": "Công dân xin rút", "expected_version": seen}
        refused = post(client, clerk, processing.code, "withdraw", body)

    assert refused.status_code == 409
    error = refused.json()["error"]
    assert error["code"] == "stale_action" and "đã thay đổi" in error["message"]
    dossier = Dossier.objects.get(pk=processing.pk)
    assert (dossier.status, dossier.version) == (Status.PROCESSING, seen + 1)
    assert not dossier.events.filter(action=Action.WITHDRAW).exists()
    # Actions that are not on the step still work without a precondition (documented).
    with at(MONDAY):
        body = {"reason": "Công dân xin rút"}
        assert post(client, clerk, processing.code, "withdraw", body).status_code == 200


@pytest.mark.django_db(transaction=True)
def test_two_clicks_at_once_complete_the_step_once(processing, headers):  # noqa: F811
    """The double click as it happens under load: both requests arrive together. On
    PostgreSQL they race for the dossier's lock; the second reads the new version and is
    refused. SQLite's in-memory test database cannot be shared by threads."""
    if connection.vendor != "postgresql":
        pytest.skip("needs a database shared between threads")
    body = {"expected_version": processing.version}
    barrier, answers = threading.Barrier(2), []

    def click():
        try:
            barrier.wait()
            answers.append(post(Client(), headers, processing.code, "complete-step", body))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=click) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(a.status_code for a in answers) == [200, 409]
    assert states(processing) == ["done", "done", "active", "pending", "pending", "pending"]
    assert completions(processing) == 1
