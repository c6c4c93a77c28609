"""A NUL character anywhere a view would read text answers 400 in the door's shape, never a
500 (PostgreSQL's text columns refuse NUL): the procedure search of the API and of the
portal, a JSON body, a plain form. Files may hold NUL bytes."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from motcua.dossiers.tests.conftest import centre_clerk  # noqa: F401
from motcua.organisations.tokens import issue_token

pytestmark = pytest.mark.django_db


def test_the_api_refuses_a_nul_in_the_query_in_its_error_shape(client, centre_clerk):  # noqa: F811
    token = issue_token(centre_clerk, name="t").plain
    response = client.get("/api/v1/procedures?q=a%00b", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_characters"


def test_a_json_body_with_a_nul_is_refused(client, centre_clerk):  # noqa: F811
    token = issue_token(centre_clerk, name="t").plain
    response = client.post(
        "/api/v1/dossiers",
        '{"procedure": "1.001193", "applicant": {"name": "A\\u0000"}}',
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_characters"


def test_a_page_refuses_it_with_a_page(client):
    response = client.get("/thu-tuc/?q=a%00b")
    assert response.status_code == 400
    assert "NUL" in response.content.decode()


def test_a_plain_form_with_a_nul_is_refused(client):
    response = client.post(
        "/backoffice/dang-nhap/",
        "username=a%00&password=b",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 400


def test_a_file_may_hold_nul_bytes(client):
    upload = SimpleUploadedFile("scan.pdf", b"%PDF-1.4\x00\x00binary")
    response = client.post("/backoffice/dang-nhap/", {"file": upload})
    assert response.status_code == 200 and b"NUL" not in response.content
