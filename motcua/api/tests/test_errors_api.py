"""Every answer of the API that is not a success has the documented shape
{"error": {"code": ..., "message": ...}}: no Django HTML page, no ninja `{"detail": ...}`, no
traceback, whatever DEBUG says."""

import logging

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.middleware.csrf import CSRF_SECRET_LENGTH
from django.test import Client
from django.utils.crypto import get_random_string

from motcua.dossiers.models import Dossier
from motcua.dossiers.status import Status
from motcua.organisations.tokens import issue_token

ME = "/api/v1/me"
HAND_OVER = "/api/v1/dossiers/{}/hand-over"


def error(response, status: int, code: str) -> str:
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error"} and body["error"]["code"] == code
    assert body["error"]["message"]
    return body["error"]["message"]


@pytest.fixture
def browser(db) -> Client:
    """A client that enforces CSRF as a browser's requests are checked."""
    return Client(enforce_csrf_checks=True, HTTP_ACCEPT_LANGUAGE="en")


@pytest.fixture
def received(receive):
    return receive()


def test_an_anonymous_post_is_told_to_authenticate_not_about_csrf(browser, processing):
    response = browser.post(HAND_OVER.format(processing.code), {}, content_type="application/json")

    assert error(response, 401, "unauthenticated") == "Log in or send an API token."
    assert response["WWW-Authenticate"] == "Bearer"
    assert Dossier.objects.get(pk=processing.pk).status == processing.status


def test_a_session_post_without_its_csrf_token_is_refused(browser, received, centre_clerk):
    browser.force_login(centre_clerk)

    response = browser.post(HAND_OVER.format(received.code), {}, content_type="application/json")

    error(response, 403, "csrf_failed")
    assert Dossier.objects.get(pk=received.pk).status == received.status


def test_a_session_post_with_its_csrf_token_is_accepted(browser, received, centre_clerk):
    browser.force_login(centre_clerk)
    token = get_random_string(CSRF_SECRET_LENGTH)  # as a page's CSRF cookie holds
    browser.cookies[settings.CSRF_COOKIE_NAME] = token

    response = browser.post(
        HAND_OVER.format(received.code),
        {},
        content_type="application/json",
        HTTP_X_CSRFTOKEN=token,
    )

    assert response.status_code == 200, response.content
    assert Dossier.objects.get(pk=received.pk).status == Status.PROCESSING


def test_a_bearer_post_needs_no_csrf_token(browser, received, centre_clerk):
    token = issue_token(centre_clerk, name="t").plain

    response = browser.post(
        HAND_OVER.format(received.code),
        {},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )

    assert response.status_code == 200, response.content
    assert Dossier.objects.get(pk=received.pk).status == Status.PROCESSING


def bearer(user) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {issue_token(user, name='t').plain}"}


def test_a_body_that_is_not_json_is_a_bad_request(client, received, centre_clerk):
    response = client.post(
        HAND_OVER.format(received.code),
        b'{"note": "x"',
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
        **bearer(centre_clerk),
    )

    assert error(response, 400, "invalid_json") == "The request body is not valid JSON."
    assert Dossier.objects.get(pk=received.pk).status == received.status


def test_invalid_input_lists_the_details(client, db):
    response = client.get("/api/v1/procedures", {"page": "first"})

    error(response, 422, "invalid_input")
    assert response.json()["error"]["details"][0]["loc"] == ["query", "page"]


@pytest.mark.parametrize("debug", [True, False])
def test_an_unexpected_error_is_logged_and_answered_without_a_traceback(
    client, db, settings, monkeypatch, caplog, debug
):
    settings.DEBUG = debug

    def fail(query):
        raise RuntimeError("secret detail of the failure")

    monkeypatch.setattr("motcua.api.catalogue.search_procedures", fail)
    client.raise_request_exception = False
    with caplog.at_level(logging.ERROR, logger="motcua.api.errors"):
        response = client.get("/api/v1/procedures", HTTP_ACCEPT_LANGUAGE="en")

    error(response, 500, "server_error")
    assert b"secret" not in response.content and b"Traceback" not in response.content
    [record] = [r for r in caplog.records if r.name == "motcua.api.errors"]
    assert record.exc_info and "secret detail" in str(record.exc_info[1])


def test_a_permission_refused_by_django_is_403(client, db, monkeypatch):
    def refuse(query):
        raise PermissionDenied

    monkeypatch.setattr("motcua.api.catalogue.search_procedures", refuse)

    error(client.get("/api/v1/procedures"), 403, "forbidden")


def test_a_method_an_endpoint_does_not_take_is_405(client, db):
    response = client.delete("/api/v1/procedures")

    error(response, 405, "method_not_allowed")
    assert response["Allow"] == "GET"


def test_tracking_takes_only_get(client, db):
    response = client.post("/api/v1/tracking/H42.01-260309-0001", {})

    error(response, 405, "method_not_allowed")
    assert response["Allow"] == "GET"


def test_a_path_that_names_no_endpoint_is_404(client, db):
    error(client.get("/api/v1/nothing-here"), 404, "not_found")
    error(client.post("/api/v1/dossiers/X/teleport", {}), 404, "not_found")


def test_the_api_root_is_404_in_the_shape(client, db):
    error(client.get("/api/v1/"), 404, "not_found")


def test_an_unknown_object_is_404(client, db, centre_clerk):
    error(client.get("/api/v1/dossiers/NOPE", **bearer(centre_clerk)), 404, "not_found")
