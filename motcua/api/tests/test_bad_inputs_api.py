"""Inputs that used to answer 500 now answer in the error shape and change nothing: a
consultation deadline in parts of a day, a page number beyond any database integer, a
multipart body that does not parse, a moment without its offset or out of the calendar."""

from datetime import datetime

import pytest

from motcua.dossiers.models import Apology, Attachment, Consultation, Dossier
from motcua.dossiers.tests.conftest import MONDAY, at, vn
from motcua.organisations.tokens import issue_token

HUGE = "99999999999999999999"


def auth(user) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {issue_token(user, name='t').plain}"}


def post(client, user, path: str, body: dict):
    with at(MONDAY):
        return client.post(
            f"/api/v1/dossiers/{path}", body, content_type="application/json", **auth(user)
        )


def invalid(response, field: str) -> dict:
    assert response.status_code == 422, response.content
    body = response.json()
    assert body["error"]["code"] == "invalid_input"
    [detail] = body["error"]["details"]
    assert detail["loc"][-1] == field
    return detail


def unchanged(dossier: Dossier) -> dict:
    return dict(Dossier.objects.values().get(pk=dossier.pk))


@pytest.mark.parametrize("days", [0.3, 0.7, "0.3"])
def test_a_consultation_deadline_in_parts_of_a_day_is_refused(
    client, processing, specialist, commune_agency, days
):
    before = unchanged(processing)
    body = {"to_agency": commune_agency.code, "content": "Xác nhận", "deadline_days": days}

    response = post(client, specialist, f"{processing.code}/consult", body)

    assert invalid(response, "deadline_days")["type"] == "multiple_of"
    assert not Consultation.objects.exists()
    assert unchanged(processing) == before


@pytest.mark.parametrize("url", ["/api/v1/procedures", "/api/v1/dossiers"])
def test_a_page_beyond_any_integer_is_invalid_input(client, centre_clerk, url):
    response = client.get(url, {"page": HUGE}, **auth(centre_clerk))

    assert invalid(response, "page")["type"] == "less_than_equal"


@pytest.mark.parametrize("url", ["/api/v1/procedures", "/api/v1/dossiers"])
def test_the_last_page_allowed_is_empty_past_the_end(client, processing, centre_clerk, url):
    response = client.get(url, {"page": 1_000_000, "page_size": 100}, **auth(centre_clerk))

    assert response.status_code == 200
    assert response.json()["results"] == [] and response.json()["count"] >= 1


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.mark.parametrize(
    ("content_type", "body", "status", "code"),
    [
        ("multipart/form-data", b"kind=scan", 400, "invalid_multipart"),  # no boundary
        ("multipart/form-data; boundary=", b"--\r\n", 400, "invalid_multipart"),
        # Cut short: no part can be read, so the file and the kind are missing.
        (
            "multipart/form-data; boundary=x",
            "--x\r\nContent-Disposition: form-data; n\xe9",
            422,
            "invalid_input",
        ),
    ],
)
def test_a_malformed_multipart_upload_is_refused(
    client, processing, centre_clerk, media, content_type, body, status, code
):
    before = unchanged(processing)

    with at(MONDAY):
        response = client.post(
            f"/api/v1/dossiers/{processing.code}/attachments",
            body,
            content_type=content_type,
            **auth(centre_clerk),
        )

    assert response.status_code == status, response.content
    assert response.json()["error"]["code"] == code
    assert not Attachment.objects.exists() and not any(media.rglob("*.*"))
    assert unchanged(processing) == before


def test_a_body_without_a_boundary_names_the_problem(client, processing, centre_clerk):
    response = client.post(
        f"/api/v1/dossiers/{processing.code}/attachments",
        b"kind=scan",
        content_type="multipart/form-data",
        HTTP_ACCEPT_LANGUAGE="en",
        **auth(centre_clerk),
    )

    assert response.status_code == 400
    assert response.json() == {
        "error": {"code": "invalid_multipart", "message": "The multipart body could not be read."}
    }


def apologise(client, user, dossier, new_due_at: str):
    body = {"reason": "Chờ xác minh", "new_due_at": new_due_at}
    return post(client, user, f"{dossier.code}/apology", body)


@pytest.mark.parametrize(
    ("new_due_at", "kind"),
    [
        ("2026-03-20T17:00:00", "timezone_aware"),  # no offset: which moment?
        ("2026-03-20 17:00", "timezone_aware"),
        ("9999-12-31T23:59:59-12:00", "value_error"),  # past the calendar (and datetime)
        ("0001-01-01T00:00:00+14:00", "value_error"),
    ],
)
def test_an_apology_moment_must_carry_its_offset_and_fall_in_the_calendar(
    client, processing, centre_clerk, new_due_at, kind
):
    before = unchanged(processing)

    response = apologise(client, centre_clerk, processing, new_due_at)

    assert invalid(response, "new_due_at")["type"] == kind
    assert not Apology.objects.exists()
    assert unchanged(processing) == before


@pytest.mark.parametrize(
    "new_due_at", ["2026-03-20T17:00:00+07:00", "2026-03-20T10:00:00Z", "2026-03-20T05:00-05:00"]
)
def test_an_apology_moment_with_any_offset_is_the_same_moment(
    client, processing, centre_clerk, new_due_at
):
    response = apologise(client, centre_clerk, processing, new_due_at)

    assert response.status_code == 200, response.content
    assert response.json()["due_at"] == "2026-03-20T17:00:00+07:00"
    processing.refresh_from_db()
    assert processing.due_at == vn(2026, 3, 20, 17, 0) == datetime.fromisoformat(new_due_at)
    assert Apology.objects.get().new_due_at == vn(2026, 3, 20, 17, 0)
