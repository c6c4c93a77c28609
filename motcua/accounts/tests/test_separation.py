"""Staff and citizens never share a login page or a session scope: a signed-in citizen is
nobody at /backoffice/, /admin/ and the staff API; staff sign-in refuses a citizen account;
signing in as the one replaces the other's session."""

import pytest
from django.contrib.auth import get_user_model

from conftest import PASSWORD
from motcua.accounts.models import CitizenAccount

from .conftest import sign_in

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "path", ["/backoffice/", "/backoffice/viec-cua-toi/", "/admin/", "/api/v1/me"]
)
def test_a_signed_in_citizen_cannot_open_the_staff_doors(client, idp, path):
    sign_in(client)
    response = client.get(path)
    assert response.status_code in {302, 401}
    if response.status_code == 302:
        assert "dang-nhap" in response["Location"] or "/admin/login/" in response["Location"]
    assert client.get("/tai-khoan/").status_code == 200  # still signed in as a citizen


def test_a_citizen_made_staff_by_mistake_is_not_loaded_as_a_citizen(client, idp):
    sign_in(client)
    get_user_model().objects.filter(citizen_account__isnull=False).update(is_staff=True)
    assert client.get("/tai-khoan/").status_code == 302
    assert client.get("/admin/").status_code == 302


def test_the_staff_sign_in_refuses_a_citizen_account(client, idp):
    sign_in(client)
    client.post("/tai-khoan/dang-xuat/")
    username = CitizenAccount.objects.get().user.username
    response = client.post("/backoffice/dang-nhap/", {"username": username, "password": ""})
    assert response.status_code == 200  # the form again, with its error
    assert client.get("/backoffice/").status_code == 302


def test_staff_are_not_citizens_on_the_portal(client, clerk):
    client.login(username=clerk.username, password=PASSWORD)
    response = client.get("/tai-khoan/")
    assert response.status_code == 302 and response["Location"].startswith("/tai-khoan/dang-nhap/")
    assert client.get("/tai-khoan/dang-nhap/").context["staff_session"]


def test_a_citizen_sign_in_replaces_a_staff_session(client, idp, clerk):
    client.login(username=clerk.username, password=PASSWORD)
    assert client.get("/backoffice/").status_code == 200
    sign_in(client)
    assert client.get("/tai-khoan/").status_code == 200
    assert client.get("/backoffice/").status_code == 302


def test_the_citizen_sign_out_does_not_sign_staff_out(client, clerk):
    client.login(username=clerk.username, password=PASSWORD)
    client.post("/tai-khoan/dang-xuat/")
    assert client.get("/backoffice/").status_code == 200


def test_staff_signing_in_replaces_a_citizen_session(client, idp, clerk):
    sign_in(client)
    client.login(username=clerk.username, password=PASSWORD)
    assert client.get("/backoffice/").status_code == 200
    assert client.get("/tai-khoan/").status_code == 302


def test_the_public_pages_offer_a_citizen_their_account_not_the_back_office(client, idp):
    sign_in(client)
    page = client.get("/thu-tuc/").content.decode()
    assert 'href="/tai-khoan/"' in page and 'href="/backoffice/viec-cua-toi/"' not in page
