"""API authentication: bearer tokens for programs, the session for browsers (GET /api/v1/me)."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.test import RequestFactory
from ninja.errors import HttpError

from conftest import PASSWORD
from motcua.api.auth import STAFF_AUTH, SessionAuth
from motcua.organisations.models import ApiToken
from motcua.organisations.tokens import issue_token, revoke_token

ME = "/api/v1/me"
T0 = datetime(2026, 3, 9, 2, 0, tzinfo=UTC)


def bearer(plain: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {plain}"}


@pytest.fixture
def issued(specialist):
    with time_machine.travel(T0, tick=False):
        return issue_token(specialist, name="Kết nối DVCQG")


def test_a_valid_token_authenticates_and_records_its_use(client, issued):
    with time_machine.travel(T0 + timedelta(hours=1), tick=False):
        response = client.get(ME, **bearer(issued.plain))

    assert response.status_code == 200
    assert response.json() == {
        "username": "specialist",
        "memberships": [{"agency": "H42.12", "role": "specialist", "department": "HT"}],
    }
    issued.token.refresh_from_db()
    assert issued.token.last_used_at == T0 + timedelta(hours=1)


def test_last_use_is_written_at_most_once_a_minute(client, issued, django_assert_num_queries):
    with time_machine.travel(T0, tick=False):
        client.get(ME, **bearer(issued.plain))
    # Within the minute: the token lookup and the memberships, no UPDATE.
    with (
        time_machine.travel(T0 + timedelta(seconds=59), tick=False),
        django_assert_num_queries(2),
    ):
        assert client.get(ME, **bearer(issued.plain)).status_code == 200
    issued.token.refresh_from_db()
    assert issued.token.last_used_at == T0
    with time_machine.travel(T0 + timedelta(seconds=61), tick=False):
        client.get(ME, **bearer(issued.plain))
    issued.token.refresh_from_db()
    assert issued.token.last_used_at == T0 + timedelta(seconds=61)


def _unauthorised(response, code: str) -> None:
    assert response.status_code == 401
    assert response.json()["error"]["code"] == code
    assert response["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.parametrize(
    "plain",
    ["mc_wrong", "not-even-our-format", "", "mc_" + "A" * 43],
)
def test_an_unknown_token_is_refused(client, issued, plain):
    _unauthorised(client.get(ME, **bearer(plain)), "invalid_token")


def test_a_revoked_token_is_refused(client, issued):
    revoke_token(issued.token, actor=None)

    response = client.get(ME, **bearer(issued.plain), HTTP_ACCEPT_LANGUAGE="en")

    _unauthorised(response, "invalid_token")
    assert response["WWW-Authenticate"] == 'Bearer error="invalid_token"'
    assert response.json()["error"]["message"] == "The token is invalid, expired or revoked."


def test_an_expired_token_is_refused(client, specialist):
    with time_machine.travel(T0, tick=False):
        issued = issue_token(specialist, name="CI", expires_at=T0 + timedelta(days=1))
        assert client.get(ME, **bearer(issued.plain)).status_code == 200
    with time_machine.travel(T0 + timedelta(days=1), tick=False):
        _unauthorised(client.get(ME, **bearer(issued.plain)), "invalid_token")


def test_the_token_of_an_inactive_user_is_refused(client, issued, specialist):
    specialist.is_active = False
    specialist.save(update_fields=["is_active"])

    _unauthorised(client.get(ME, **bearer(issued.plain)), "invalid_token")


def test_anonymous_is_refused(client, db):
    response = client.get(ME, HTTP_ACCEPT_LANGUAGE="en")

    _unauthorised(response, "unauthenticated")
    assert response.json() == {
        "error": {"code": "unauthenticated", "message": "Log in or send an API token."}
    }


def test_the_session_of_a_logged_in_user_works(client, specialist):
    client.login(username="specialist", password=PASSWORD)

    response = client.get(ME)

    assert response.status_code == 200
    assert response.json()["username"] == "specialist"


def test_a_bad_token_is_refused_even_with_a_session(client, specialist):
    client.login(username="specialist", password=PASSWORD)

    _unauthorised(client.get(ME, **bearer("mc_wrong")), "invalid_token")


def test_a_user_without_memberships(client, system_admin):
    issued = issue_token(system_admin, name="ops")

    assert client.get(ME, **bearer(issued.plain)).json() == {
        "username": "root",
        "memberships": [],
    }


def test_session_needs_a_csrf_token_for_unsafe_methods(specialist):
    request = RequestFactory().post("/api/v1/anything")
    request.user = specialist
    request.COOKIES["sessionid"] = "x"
    request._dont_enforce_csrf_checks = False

    with pytest.raises(HttpError) as failure:
        SessionAuth()(request)
    assert failure.value.status_code == 403

    safe = RequestFactory().get("/api/v1/anything")
    safe.user = specialist
    assert SessionAuth()(safe) == specialist


def test_staff_auth_tries_the_token_then_the_session():
    assert [type(auth).__name__ for auth in STAFF_AUTH] == ["BearerToken", "SessionAuth"]


def test_only_the_hash_is_stored(issued):
    row = ApiToken.objects.get()

    assert issued.plain not in {row.key_hash, row.prefix, row.name}
    assert issued.plain.startswith(row.prefix)
    assert len(row.key_hash) == 64
