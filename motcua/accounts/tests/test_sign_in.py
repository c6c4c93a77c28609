"""Citizen sign-in through the fake national provider, over HTTP end to end: the redirect
with state, nonce and acr_values, the token exchange with the secret in the body, userinfo by
POST, the RS256 id_token checked against the JWKS, the account found, created or linked."""

import jwt
import pytest
import requests
from django.core.exceptions import SuspiciousOperation

from motcua.accounts import providers
from motcua.accounts.backends import backend_for
from motcua.accounts.models import CitizenAccount, IdentityLink
from motcua.audit.models import AuditEvent
from motcua.fakeidp import keys

from .conftest import pick, query_of, sign_in, start

pytestmark = pytest.mark.django_db


def test_the_sign_in_page_offers_each_enabled_provider(client):
    response = client.get("/tai-khoan/dang-nhap/")
    assert response.status_code == 200
    assert b"/tai-khoan/dang-nhap/dvcqg/" in response.content
    assert b"/tai-khoan/dang-nhap/vneid/" in response.content


def test_no_provider_is_enabled_by_default_without_the_fake(client, settings):
    settings.MOTCUA_FAKE_IDP = False
    response = client.get("/tai-khoan/dang-nhap/")
    assert b"/tai-khoan/dang-nhap/dvcqg/" not in response.content
    assert client.get("/tai-khoan/dang-nhap/dvcqg/").status_code == 404
    assert client.get("/fake-idp/jwks").status_code == 404


def test_the_redirect_carries_state_nonce_and_dvcqg_acr_values(client):
    params, location = start(client)
    assert location.startswith("/fake-idp/authorize?")
    assert params["response_type"] == "code"
    assert params["client_id"] == "motcua-dvcqg-demo"
    assert params["scope"] == "openid"
    assert params["acr_values"] == "LoA1"
    assert params["redirect_uri"] == "http://testserver/tai-khoan/dang-nhap/dvcqg/callback/"
    assert params["state"] and params["nonce"]
    assert "acr_values" not in start(client, "vneid")[0]


def test_a_first_sign_in_creates_the_account_from_the_claims(client, idp):
    response = sign_in(client)
    assert response.status_code == 302
    assert response["Location"] == "/tai-khoan/"
    account = CitizenAccount.objects.get()
    assert (account.kind, account.id_type, account.id_number) == (
        "citizen", "personal_id", "042090001234",
    )  # fmt: skip
    assert account.full_name == "Nguyễn Văn An"
    assert str(account.birth_date) == "1990-03-12"
    assert (account.phone, account.email) == ("0912345678", "an.nguyen@example.vn")
    assert not account.user.has_usable_password() and not account.user.is_staff
    link = IdentityLink.objects.get()
    assert (link.provider, link.subject) == ("dvcqg", "7f3c2a10-0001-4d6e-9a1b-000000000001")
    assert AuditEvent.objects.filter(action="citizen.account_created").count() == 1
    page = client.get("/tai-khoan/")
    assert page.status_code == 200
    assert "Nguyễn Văn An" in page.content.decode()
    assert "042090001234" not in page.content.decode()  # masked


def test_the_client_posts_to_userinfo_with_timeouts_everywhere(client, idp):
    sign_in(client)
    methods = {path: method for method, path, _ in idp.calls}
    assert methods == {"/fake-idp/token": "POST", "/fake-idp/jwks": "GET",
                       "/fake-idp/userinfo": "POST"}  # fmt: skip
    assert all(timeout == 10.0 for _, _, timeout in idp.calls)


def test_the_fake_refuses_userinfo_by_get(client):
    assert client.get("/fake-idp/userinfo").status_code == 405


def test_a_second_sign_in_finds_the_account_by_the_stable_id(client, idp):
    sign_in(client)
    client.post("/tai-khoan/dang-xuat/")
    response = sign_in(client)
    assert response["Location"] == "/tai-khoan/"
    assert CitizenAccount.objects.count() == 1 and IdentityLink.objects.count() == 1
    assert IdentityLink.objects.get().last_sign_in_at is not None


def test_a_business_account_is_keyed_on_its_tax_code(client, idp):
    sign_in(client, citizen="cong-ty-thanh-sen")
    account = CitizenAccount.objects.get()
    assert (account.kind, account.id_type, account.id_number) == (
        "business", "tax_code", "3001234567",
    )  # fmt: skip
    assert account.business_name == "Công ty TNHH Thành Sen"


def test_vneid_records_the_assurance_level(client, idp):
    sign_in(client, provider="vneid", citizen="tran-thi-binh")
    link = IdentityLink.objects.get()
    assert (link.provider, link.assurance) == ("vneid", "IAL1")


def test_the_next_address_is_kept_through_the_provider(client, idp):
    params, _ = start(client, next_url="/tai-khoan/?tab=1")
    assert client.get(pick(client, params))["Location"] == "/tai-khoan/?tab=1"


def test_an_outside_next_address_is_ignored(client, idp):
    params, _ = start(client, next_url="https://evil.example/")
    assert client.get(pick(client, params))["Location"] == "/tai-khoan/"


class TestLinkingByIdentityNumber:
    def test_an_account_with_the_number_is_linked_only_after_confirmation(self, client, idp):
        sign_in(client, provider="vneid")
        client.post("/tai-khoan/dang-xuat/")
        response = sign_in(client, provider="dvcqg")
        assert response["Location"] == "/tai-khoan/lien-ket/"
        assert IdentityLink.objects.count() == 1  # nothing linked yet
        assert client.get("/tai-khoan/").status_code == 302  # not signed in yet
        page = client.get("/tai-khoan/lien-ket/")
        assert page.status_code == 200 and "••••••••1234" in page.content.decode()
        response = client.post("/tai-khoan/lien-ket/", {"answer": "link"})
        assert response["Location"] == "/tai-khoan/"
        account = CitizenAccount.objects.get()
        assert set(account.links.values_list("provider", flat=True)) == {"vneid", "dvcqg"}
        assert AuditEvent.objects.filter(action="citizen.identity_linked").count() == 1
        assert client.get("/tai-khoan/").status_code == 200

    def test_declining_links_nothing_and_signs_nobody_in(self, client, idp):
        sign_in(client, provider="vneid")
        client.post("/tai-khoan/dang-xuat/")
        sign_in(client, provider="dvcqg")
        response = client.post("/tai-khoan/lien-ket/", {"answer": "decline"})
        assert response.status_code == 200
        assert IdentityLink.objects.count() == 1 and CitizenAccount.objects.count() == 1
        assert client.get("/tai-khoan/").status_code == 302
        assert client.post("/tai-khoan/lien-ket/", {"answer": "link"}).status_code == 400

    def test_the_confirmation_expires(self, client, idp, monkeypatch):
        sign_in(client, provider="vneid")
        client.post("/tai-khoan/dang-xuat/")
        sign_in(client, provider="dvcqg")
        monkeypatch.setattr("motcua.accounts.views.time.time", lambda: 4_000_000_000)
        response = client.post("/tai-khoan/lien-ket/", {"answer": "link"})
        assert response.status_code == 400
        assert IdentityLink.objects.count() == 1

    def test_an_account_already_linked_at_the_provider_is_not_linked_again(self, client, idp):
        sign_in(client, provider="dvcqg")
        client.post("/tai-khoan/dang-xuat/")
        IdentityLink.objects.filter(provider="dvcqg").update(subject="an-older-techid")
        sign_in(client, provider="dvcqg")
        response = client.post("/tai-khoan/lien-ket/", {"answer": "link"})
        assert response.status_code == 403
        assert IdentityLink.objects.count() == 1

    def test_without_a_confirmation_pending_the_page_refuses(self, client):
        assert client.get("/tai-khoan/lien-ket/").status_code == 400


class TestRefusals:
    @pytest.mark.parametrize(
        ("fault", "status", "failure"),
        [
            ("access_denied", 400, "cancelled"),
            ("wrong_state", 400, "state"),
            ("expired_code", 400, "refused_by_provider"),
            ("bad_signature", 400, "invalid_token"),
            ("userinfo_down", 502, "provider_unavailable"),
        ],
    )
    def test_a_failure_at_the_provider_is_a_page_not_a_500(
        self, client, idp, fault, status, failure
    ):
        response = sign_in(client, fault=fault)
        assert response.status_code == status
        assert f'data-failure="{failure}"'.encode() in response.content
        assert CitizenAccount.objects.count() == 0
        assert client.get("/tai-khoan/").status_code == 302

    @pytest.mark.parametrize("error", [requests.ConnectionError(), requests.Timeout()])
    def test_an_unreachable_provider_is_a_page_not_a_500(self, client, idp, error):
        idp.flaky["/fake-idp/userinfo"] = error
        response = sign_in(client)
        assert response.status_code == 502
        assert CitizenAccount.objects.count() == 0

    def test_a_state_is_used_once(self, client, idp):
        params, _ = start(client)
        callback = pick(client, params)
        assert client.get(callback).status_code == 302
        client.post("/tai-khoan/dang-xuat/")
        assert client.get(callback).status_code == 400

    def test_a_callback_from_another_browser_is_refused(self, client, idp):
        params, _ = start(client)
        callback = pick(client, params)
        from django.test import Client

        assert Client().get(callback).status_code == 400
        assert CitizenAccount.objects.count() == 0

    @pytest.mark.parametrize(
        ("claims", "refused"),
        [
            ({"aud": "another-client"}, True),
            ({"iss": "https://impostor.example"}, True),
            ({"nonce": "another"}, True),
            ({"exp": 1_000_000}, True),
            ({}, False),
        ],
    )
    def test_the_id_token_is_checked_for_audience_issuer_nonce_expiry(self, idp, claims, refused):
        provider = providers.get_or_404("dvcqg")
        good = {"iss": provider.issuer, "aud": provider.client_id, "sub": "s",
                "nonce": "n", "exp": 4_000_000_000}  # fmt: skip
        token = keys.sign(good | claims)
        backend = backend_for(provider)
        if refused:
            with pytest.raises((SuspiciousOperation, jwt.PyJWTError)):
                backend.verify_token(token, nonce="n")
        else:
            assert backend.verify_token(token, nonce="n")["sub"] == "s"

    def test_a_missing_identity_number_is_refused(self, client, idp, monkeypatch):
        from motcua.fakeidp import citizens

        person = citizens.CITIZENS["nguyen-van-an"]
        monkeypatch.setitem(
            citizens.CITIZENS, "nguyen-van-an",
            citizens.DemoCitizen(**{**person.__dict__, "personal_id": ""}),
        )  # fmt: skip
        response = sign_in(client)
        assert response.status_code == 403
        assert b'data-failure="no_id_number"' in response.content

    def test_a_disabled_account_cannot_sign_in(self, client, idp):
        sign_in(client)
        client.post("/tai-khoan/dang-xuat/")
        CitizenAccount.objects.get().user.__class__.objects.update(is_active=False)
        response = sign_in(client)
        assert response.status_code == 403
        assert b'data-failure="account_disabled"' in response.content


def test_sign_out_ends_the_session_and_the_providers_with_id_token_hint(client, idp):
    sign_in(client)
    id_token = client.session["oidc_id_token"]
    response = client.post("/tai-khoan/dang-xuat/")
    assert response.status_code == 302
    params = query_of(response["Location"])
    assert response["Location"].startswith("/fake-idp/logout?")
    assert params["id_token_hint"] == id_token
    assert params["post_logout_redirect_uri"] == "http://testserver/tai-khoan/da-dang-xuat/"
    assert client.get("/tai-khoan/").status_code == 302
    back = client.get(response["Location"])
    assert back["Location"].startswith("http://testserver/tai-khoan/da-dang-xuat/?state=")
    assert client.get(back["Location"]).status_code == 200


def test_sign_out_is_post_only(client, idp):
    sign_in(client)
    assert client.get("/tai-khoan/dang-xuat/").status_code == 405
    assert client.get("/tai-khoan/").status_code == 200


def test_the_fake_refuses_a_logout_hint_it_did_not_sign(client):
    response = client.get(
        "/fake-idp/logout",
        {"id_token_hint": "x.y.z", "post_logout_redirect_uri": "http://testserver/"},
    )
    assert response.status_code == 400


def test_the_fake_never_redirects_to_another_site(client):
    params, _ = start(client)
    params["redirect_uri"] = "https://evil.example/callback"
    assert client.get("/fake-idp/authorize", params).status_code == 400
