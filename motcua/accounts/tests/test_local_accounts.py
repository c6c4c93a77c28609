"""Local accounts (issue 15 §1, for a deployment without national sign-in): registration with a
phone or e-mail and a password, confirmed by a one-time code; sign-in with lockout; the
account sees only the dossiers it filed itself, never those a counter received for the
number it typed; the national providers never link to it."""

import re

import pytest
from django.core import mail

from conftest import complete_intake
from motcua.accounts.models import CitizenAccount, OneTimeCode
from motcua.dossiers.applicants import Applicant
from motcua.dossiers.intake import receive_dossier

from .conftest import sign_in

pytestmark = pytest.mark.django_db
AN = "042090001234"
PASSWORD = "hoa-sen-nở-2026"


@pytest.fixture(autouse=True)
def _local_on(settings):
    settings.MOTCUA_LOCAL_ACCOUNTS = True
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


def register(client, **overrides):
    data = {
        "full_name": "Nguyễn Văn An",
        "id_number": AN,
        "contact": "an@example.vn",
        "password": PASSWORD,
        "password_again": PASSWORD,
        **overrides,
    }
    return client.post("/tai-khoan/dang-ky/", data)


def last_code() -> str:
    found = re.search(r"\b(\d{6})\b", str(mail.outbox[-1].body))
    assert found is not None
    return found.group(1)


def test_register_confirm_and_sign_in(client):
    response = register(client)
    assert response.status_code == 302 and response["Location"] == "/tai-khoan/xac-nhan/"
    account = CitizenAccount.objects.get()
    assert not account.identity_verified and not account.user.is_active
    assert mail.outbox[-1].to == ["an@example.vn"]
    assert OneTimeCode.objects.get().code_hash != last_code()  # kept as a hash only
    page = client.get("/tai-khoan/xac-nhan/").content.decode()
    assert "an•••@example.vn" in page
    wrong = client.post(
        "/tai-khoan/xac-nhan/", {"code": "000000" if last_code() != "000000" else "111111"}
    )
    assert wrong.status_code == 400
    right = client.post("/tai-khoan/xac-nhan/", {"code": last_code()})
    assert right.status_code == 302 and right["Location"] == "/tai-khoan/"
    account.user.refresh_from_db()
    assert account.user.is_active
    assert "Nguyễn Văn An" in client.get("/tai-khoan/").content.decode()
    client.post("/tai-khoan/dang-xuat/")
    client.cookies.clear()
    signed = client.post(
        "/tai-khoan/dang-nhap/mat-khau/", {"contact": "AN@example.vn", "password": PASSWORD}
    )
    assert signed.status_code == 302
    assert client.get("/tai-khoan/").status_code == 200
    assert client.get("/backoffice/").status_code == 302  # never a staff session


def test_bad_input_is_refused_and_kept(client):
    response = register(client, id_number="12345", contact="not a contact", password_again="x")
    assert response.status_code == 400
    text = response.content.decode()
    assert 'value="Nguyễn Văn An"' in text and text.count('class="error-text"') >= 2
    assert not CitizenAccount.objects.exists()
    weak = register(client, password="123", password_again="123")
    assert weak.status_code == 400 and not CitizenAccount.objects.exists()


def test_a_code_expires_after_five_wrong_tries(client):
    register(client)
    code = last_code()
    wrong = "000000" if code != "000000" else "111111"
    for _ in range(5):
        client.post("/tai-khoan/xac-nhan/", {"code": wrong})
    assert client.post("/tai-khoan/xac-nhan/", {"code": code}).status_code == 400
    assert client.post("/tai-khoan/xac-nhan/", {"action": "resend"}).status_code == 302
    assert client.post("/tai-khoan/xac-nhan/", {"code": last_code()}).status_code == 302


def test_sign_in_locks_after_repeated_failures(client, settings):
    register(client)
    client.post("/tai-khoan/xac-nhan/", {"code": last_code()})
    client.post("/tai-khoan/dang-xuat/")
    for _ in range(settings.MOTCUA_LOGIN_FAILURE_LIMIT):
        response = client.post(
            "/tai-khoan/dang-nhap/mat-khau/", {"contact": "an@example.vn", "password": "sai"}
        )
        assert response.status_code == 400
    locked = client.post(
        "/tai-khoan/dang-nhap/mat-khau/", {"contact": "an@example.vn", "password": PASSWORD}
    )
    assert locked.status_code == 429


def test_a_local_account_sees_only_what_it_filed(
    client, idp, birth_registration, commune_agency, clerk
):
    """A counter dossier of the number the local account typed stays out of its sight; the
    national account of that number is created apart, never linked to the local one."""
    counter = receive_dossier(
        complete_intake(
            birth_registration,
            commune_agency,
            Applicant("citizen", "Nguyễn Văn An", AN, "0912345678"),
        ),
        actor=clerk,
    )
    register(client)
    client.post("/tai-khoan/xac-nhan/", {"code": last_code()})
    assert counter.code not in client.get("/tai-khoan/ho-so/").content.decode()
    assert client.get(f"/tai-khoan/ho-so/{counter.code}/").status_code == 404
    client.post("/tai-khoan/dang-xuat/")
    client.cookies.clear()
    sign_in(client)  # the real An, through the national provider
    assert CitizenAccount.objects.filter(id_number=AN).count() == 2
    national = CitizenAccount.objects.get(identity_verified=True)
    assert national.links.count() == 1
    assert counter.code in client.get("/tai-khoan/ho-so/").content.decode()


def test_local_accounts_are_off_unless_enabled(client, settings):
    settings.MOTCUA_LOCAL_ACCOUNTS = False
    assert client.get("/tai-khoan/dang-ky/").status_code == 404
    assert register(client).status_code == 404
    assert "mat-khau" not in client.get("/tai-khoan/dang-nhap/").content.decode()
