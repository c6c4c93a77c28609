"""Two-step sign-in for administrators: enrolling an authenticator app (TOTP) in the back
office, and the admin site asking for its code when MOTCUA_ADMIN_REQUIRE_OTP is on."""

import re
from base64 import b32decode
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from conftest import PASSWORD
from motcua.audit.models import AuditEvent
from motcua.organisations import two_factor

ENROL = reverse("backoffice:otp-enrol")
VERIFY = reverse("backoffice:otp-verify")
ADMIN = reverse("admin:index")
T0 = datetime(2026, 3, 9, 2, 0, tzinfo=UTC)


def at(seconds: float):
    return time_machine.travel(T0 + timedelta(seconds=seconds), tick=False)


def code_for(key: bytes) -> str:
    """The app's current code for `key` (30-second steps, 6 digits), computed here."""
    return f"{TOTP(key).token():06d}"


def key_on_page(response) -> bytes:
    key = re.search(r'class="otp-key">([A-Z2-7]+)</code>', response.content.decode()).group(1)
    return b32decode(key)


def enrolled(user) -> bytes:
    """`user` with a confirmed app, through the services, at T0; returns its key."""
    with at(0):
        key = two_factor.pending_device(user).bin_key
        assert two_factor.confirm_device(user, code_for(key)) is not None
    return key


def test_an_agency_administrator_enrols_an_authenticator_app(client, agency_admin):
    client.force_login(agency_admin)
    with at(0):
        page = client.get(ENROL)
        key = key_on_page(page)
        confirmed = client.post(ENROL, {"code": code_for(key)})
        verified_by = client.session["otp_device_id"]
        again = client.get(ENROL)

    assert page.status_code == 200
    assert "<svg" in page.content.decode() and "Đăng nhập hai bước" in page.content.decode()
    device = TOTPDevice.objects.get(user=agency_admin, confirmed=True)
    assert device.bin_key == key
    assert device.config_url.startswith("otpauth://totp/motcua%3Acommune_admin?secret=")
    assert "issuer=motcua" in device.config_url
    assert confirmed.status_code == 302
    assert verified_by == device.persistent_id  # this session is verified
    assert "Tài khoản này đã thiết lập ứng dụng xác thực" in again.content.decode()
    event = AuditEvent.objects.get(action="user.otp_enrolled")
    assert (event.target_id, event.actor) == (str(agency_admin.pk), agency_admin)


def test_the_qr_code_and_key_stay_the_same_until_confirmed(client, system_admin):
    client.force_login(system_admin)
    with at(0):
        first, second = key_on_page(client.get(ENROL)), key_on_page(client.get(ENROL))

    assert first == second
    assert TOTPDevice.objects.filter(user=system_admin, confirmed=False).count() == 1


def test_a_wrong_code_does_not_enrol(client, system_admin):
    client.force_login(system_admin)
    with at(0):
        client.get(ENROL)
        response = client.post(ENROL, {"code": "000000"})
        malformed = client.post(ENROL, {"code": "12ab56"})
        session = dict(client.session)

    assert response.status_code == 400
    assert "Mã này không đúng" in response.content.decode()
    assert malformed.status_code == 400
    assert "Nhập 6 chữ số" in malformed.content.decode()
    assert not TOTPDevice.objects.filter(confirmed=True).exists()
    assert "otp_device_id" not in session


def test_staff_who_do_not_administer_cannot_enrol(client, clerk):
    client.force_login(clerk)

    assert client.get(ENROL).status_code == 403
    assert not TOTPDevice.objects.exists()


def test_replacing_the_app_needs_a_code_from_the_current_one(client, system_admin):
    old_key = enrolled(system_admin)
    client.force_login(system_admin)  # a password alone
    with at(60):
        refused = client.get(ENROL)
        client.post(VERIFY, {"code": code_for(old_key)})
        page = client.get(ENROL)
        new_key = key_on_page(page)
        client.post(ENROL, {"code": code_for(new_key)})

    assert (
        refused.status_code == 302 and refused.url == f"{VERIFY}?next={ENROL.replace('/', '%2F')}"
    )
    assert page.status_code == 200
    assert list(TOTPDevice.objects.values_list("confirmed", flat=True)) == [True]
    assert TOTPDevice.objects.get().bin_key == new_key != old_key


def test_the_admin_asks_for_no_code_by_default(client, system_admin):
    client.post(reverse("admin:login"), {"username": "root", "password": PASSWORD})

    assert client.get(ADMIN).status_code == 200


@pytest.fixture
def require_otp(settings):
    settings.MOTCUA_ADMIN_REQUIRE_OTP = True


@pytest.mark.usefixtures("require_otp")
def test_the_admin_requires_the_code_when_configured(client, system_admin):
    key = enrolled(system_admin)
    with at(30):
        signed_in = client.post(reverse("admin:login"), {"username": "root", "password": PASSWORD})
        asked = client.get(reverse("admin:organisations_agency_changelist"))
        wrong = client.post(VERIFY, {"code": "000000", "next": asked.url.split("next=")[1]})
    with at(61):  # the next step, after the throttle's second
        right = client.post(VERIFY, {"code": code_for(key), "next": "/admin/organisations/agency/"})
        admin_page = client.get(reverse("admin:organisations_agency_changelist"))

    assert signed_in.status_code == 302
    assert asked.status_code == 302
    assert asked.url == f"{VERIFY}?next=%2Fadmin%2Forganisations%2Fagency%2F"
    assert wrong.status_code == 400 and "Mã này không đúng" in wrong.content.decode()
    assert right.status_code == 302 and right.url == "/admin/organisations/agency/"
    assert admin_page.status_code == 200


@pytest.mark.usefixtures("require_otp")
def test_a_code_is_used_once(client, system_admin):
    key = enrolled(system_admin)  # the code of T0's step confirmed the app
    client.force_login(system_admin)
    with at(10):
        replayed = client.post(VERIFY, {"code": code_for(key)})
        still_asked = client.get(ADMIN)

    assert replayed.status_code == 400
    assert still_asked.status_code == 302 and still_asked.url.startswith(VERIFY)


@pytest.mark.usefixtures("require_otp")
def test_an_administrator_without_an_app_is_sent_to_set_one_up(client, agency_admin):
    client.force_login(agency_admin)
    with at(0):
        asked = client.get(ADMIN, follow=True)
        key = key_on_page(client.get(f"{ENROL}?next=/admin/"))
        enrolled_now = client.post(ENROL, {"code": code_for(key), "next": "/admin/"})
        admin_page = client.get(ADMIN)

    page = asked.content.decode()
    assert "chưa thiết lập ứng dụng nào" in page
    assert f'href="{ENROL}?next=/admin/"' in page
    assert enrolled_now.status_code == 302 and enrolled_now.url == "/admin/"
    assert admin_page.status_code == 200


@pytest.mark.usefixtures("require_otp")
def test_the_admin_sign_in_page_and_other_doors_stay_open(client, system_admin, clerk):
    assert client.get(reverse("admin:login")).status_code == 200
    client.force_login(clerk)
    assert client.get(reverse("backoffice:home")).status_code == 200


def test_system_administrators_may_delete_a_lost_device_but_not_read_its_key(
    client, system_admin, agency_admin
):
    enrolled(agency_admin)
    device = TOTPDevice.objects.get()
    client.force_login(system_admin)

    page = client.get(reverse("admin:otp_totp_totpdevice_change", args=[device.pk]))
    deleted = client.post(
        reverse("admin:otp_totp_totpdevice_delete", args=[device.pk]), {"post": "yes"}
    )

    assert page.status_code == 200 and device.key not in page.content.decode()
    assert deleted.status_code == 302 and not TOTPDevice.objects.exists()
    assert AuditEvent.objects.filter(action="totpdevice.deleted", actor=system_admin).exists()
    client.force_login(agency_admin)
    changelist = reverse("admin:otp_totp_totpdevice_changelist")
    assert client.get(changelist).status_code == 403
