"""Sign-in brute force (django-axes): failures per username and address lock that pair out for
a cool-off, the right password included, at the back office and the admin alike."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from axes.models import AccessAttempt, AccessFailureLog
from django.urls import reverse

from conftest import PASSWORD
from motcua.audit.models import AuditEvent

LOGIN = reverse("backoffice:login")
ADMIN_LOGIN = reverse("admin:login")
T0 = datetime(2026, 3, 9, 2, 0, tzinfo=UTC)
LOCKED = "Đăng nhập sai quá nhiều lần với tài khoản này từ địa chỉ của bạn."


@pytest.fixture(autouse=True)
def _limits(settings):
    settings.MOTCUA_LOGIN_COOLOFF_MINUTES = 15  # what the page says
    settings.AXES_FAILURE_LIMIT = 5
    settings.AXES_COOLOFF_TIME = timedelta(minutes=15)


def sign_in(client, url, username, password, **extra):
    return client.post(url, {"username": username, "password": password}, **extra)


def is_signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_the_fifth_wrong_password_locks_the_pair_out_even_for_the_right_one(client, clerk):
    with time_machine.travel(T0, tick=False):
        wrong = [sign_in(client, LOGIN, "clerk", "wrong") for _ in range(5)]
        right = sign_in(client, LOGIN, "clerk", PASSWORD)

    assert [r.status_code for r in wrong] == [200] * 4 + [429]
    assert right.status_code == 429
    assert right["Retry-After"] == "900"
    page = right.content.decode()
    assert "Tạm khóa đăng nhập" in page
    assert LOCKED in page and "Vui lòng thử lại sau 15 phút." in page
    assert not is_signed_in(client)
    attempt = AccessAttempt.objects.get()
    assert (attempt.username, attempt.ip_address) == ("clerk", "127.0.0.1")
    assert attempt.failures_since_start == 6
    assert AccessFailureLog.objects.filter(username="clerk").count() == 6


def test_thirty_wrong_passwords_then_the_right_one_is_refused(client, clerk):
    for _ in range(30):
        sign_in(client, LOGIN, "clerk", "guess")

    assert sign_in(client, LOGIN, "clerk", PASSWORD).status_code == 429
    assert not is_signed_in(client)


def test_the_lockout_is_per_username_and_address(client, clerk, specialist):
    with time_machine.travel(T0, tick=False):
        for _ in range(5):
            sign_in(client, LOGIN, "clerk", "wrong")
        other_user = sign_in(client, LOGIN, "specialist", PASSWORD)
        client.logout()
        other_address = sign_in(client, LOGIN, "clerk", PASSWORD, REMOTE_ADDR="198.51.100.20")
        signed_in = is_signed_in(client)

    assert other_user.status_code == 302
    assert other_address.status_code == 302 and other_address.url == reverse("backoffice:home")
    assert signed_in


def test_the_right_password_works_again_after_the_cool_off(client, clerk):
    with time_machine.travel(T0, tick=False):
        for _ in range(5):
            sign_in(client, LOGIN, "clerk", "wrong")
    with time_machine.travel(T0 + timedelta(minutes=14), tick=False):
        assert sign_in(client, LOGIN, "clerk", PASSWORD).status_code == 429
    # A refused attempt during the cool-off starts it again.
    with time_machine.travel(T0 + timedelta(minutes=28), tick=False):
        assert sign_in(client, LOGIN, "clerk", PASSWORD).status_code == 429
    with time_machine.travel(T0 + timedelta(minutes=28 + 16), tick=False):
        assert sign_in(client, LOGIN, "clerk", PASSWORD).status_code == 302
        assert is_signed_in(client)

    assert not AccessAttempt.objects.exists()  # a success clears the pair's failures


def test_a_success_clears_the_failures_before_the_limit(client, clerk):
    with time_machine.travel(T0, tick=False):
        for _ in range(4):
            sign_in(client, LOGIN, "clerk", "wrong")
        assert sign_in(client, LOGIN, "clerk", PASSWORD).status_code == 302
        client.logout()
        after = [sign_in(client, LOGIN, "clerk", "wrong").status_code for _ in range(4)]

    assert after == [200] * 4
    assert AccessAttempt.objects.get().failures_since_start == 4


def test_the_admin_login_is_locked_out_the_same_way(client, system_admin):
    for _ in range(5):
        sign_in(client, ADMIN_LOGIN, "root", "wrong")
    right = sign_in(client, ADMIN_LOGIN, "root", PASSWORD)

    assert right.status_code == 429
    page = right.content.decode()
    assert "Quản trị motcua" in page or "motcua" in page
    assert 'class="errornote"' in page and LOCKED in page
    assert not is_signed_in(client)
    assert client.get(reverse("admin:index")).status_code == 302  # still to the login page


def test_the_lockout_counts_the_address_behind_a_trusted_proxy(client, clerk, settings):
    settings.MOTCUA_TRUSTED_PROXY_COUNT = 1
    behind = {"REMOTE_ADDR": "10.0.0.1"}
    for _ in range(5):
        sign_in(client, LOGIN, "clerk", "wrong", HTTP_X_FORWARDED_FOR="203.0.113.7", **behind)
    same = sign_in(client, LOGIN, "clerk", PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.7", **behind)
    # A forged entry on the left does not change the address our proxy wrote.
    forged = sign_in(
        client, LOGIN, "clerk", PASSWORD, HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.7", **behind
    )
    elsewhere = sign_in(client, LOGIN, "clerk", PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.9")

    assert (same.status_code, forged.status_code, elsewhere.status_code) == (429, 429, 302)
    assert AccessAttempt.objects.get().ip_address == "203.0.113.7"


def test_a_lockout_of_a_staff_account_is_audited_once(client, clerk):
    for _ in range(7):
        sign_in(client, LOGIN, "clerk", "wrong")
    for _ in range(5):
        sign_in(client, LOGIN, "nobody", "wrong")  # no account: only axes' records

    event = AuditEvent.objects.get()
    assert (event.action, event.target_id, event.actor) == (
        "user.login_locked_out",
        str(clerk.pk),
        None,
    )
    assert event.data == {"address": "127.0.0.1", "failures": 5, "minutes": 15}
    assert AccessAttempt.objects.filter(username="nobody").get().failures_since_start == 5


def test_the_lockout_page_in_english(client, clerk):
    client.post(reverse("set_language"), {"language": "en", "next": LOGIN})
    for _ in range(5):
        response = sign_in(client, LOGIN, "clerk", "wrong")

    page = response.content.decode()
    assert "Sign-in temporarily blocked" in page
    assert "Please try again in 15 minutes." in page


def test_a_system_administrator_lifts_a_lockout_in_the_admin(client, clerk, system_admin):
    for _ in range(5):
        sign_in(client, LOGIN, "clerk", "wrong")
    attempt = AccessAttempt.objects.get()
    client.force_login(system_admin)

    listed = client.get(reverse("admin:axes_accessattempt_changelist"))
    deleted = client.post(
        reverse("admin:axes_accessattempt_delete", args=[attempt.pk]), {"post": "yes"}
    )
    client.logout()

    assert listed.status_code == 200 and "clerk" in listed.content.decode()
    assert deleted.status_code == 302
    assert not AccessAttempt.objects.exists()
    assert AuditEvent.objects.filter(action="accessattempt.deleted", actor=system_admin).exists()
    assert sign_in(client, LOGIN, "clerk", PASSWORD).status_code == 302


@pytest.mark.parametrize("name", ["accessattempt", "accessfailurelog", "accesslog"])
def test_agency_administrators_do_not_see_sign_in_records(client, agency_admin, name):
    client.force_login(agency_admin)

    assert client.get(reverse(f"admin:axes_{name}_changelist")).status_code == 403


def test_a_sign_in_without_a_peer_address_is_counted_under_none(client, clerk):
    # Behind a Unix socket without a forwarded entry REMOTE_ADDR is empty.
    for _ in range(5):
        sign_in(client, LOGIN, "clerk", "wrong", REMOTE_ADDR="")
    refused = sign_in(client, LOGIN, "clerk", PASSWORD, REMOTE_ADDR="")
    elsewhere = sign_in(client, LOGIN, "clerk", PASSWORD)

    assert refused.status_code == 429
    assert AccessAttempt.objects.get().ip_address is None
    assert elsewhere.status_code == 302
