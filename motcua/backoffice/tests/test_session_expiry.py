"""Signed-in sessions end after MOTCUA_SESSION_IDLE_MINUTES without a request (default 60),
at the back office and the admin; activity keeps them alive with at most one write a minute."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.contrib.sessions.models import Session
from django.urls import reverse

from conftest import PASSWORD
from motcua import settings as product

T0 = datetime(2026, 3, 9, 2, 0, tzinfo=UTC)
HOME = reverse("backoffice:home")


@pytest.fixture(autouse=True)
def _product_lifetime(settings):
    settings.SESSION_COOKIE_AGE = product.SESSION_COOKIE_AGE


def at(minutes: float):
    return time_machine.travel(T0 + timedelta(minutes=minutes), tick=False)


def sign_in(client, url=None, username="clerk"):
    url = url or reverse("backoffice:login")
    response = client.post(url, {"username": username, "password": PASSWORD})
    assert response.status_code == 302
    return response


def expiry() -> datetime:
    return Session.objects.get().expire_date


def test_the_default_idle_time_is_an_hour():
    assert product.MOTCUA_SESSION_IDLE_MINUTES == 60
    assert product.SESSION_COOKIE_AGE == 3600


def test_an_idle_staff_session_ends_and_activity_keeps_it_alive(client, clerk):
    with at(0):
        sign_in(client)
    with at(59):
        still = client.get(HOME)
    with at(59 + 59):  # an hour after signing in, but active a minute ago
        active = client.get(HOME)
    with at(59 + 59 + 61):
        idle = client.get(HOME)

    assert still.status_code == active.status_code == 200
    assert idle.status_code == 302
    assert idle.url.startswith(reverse("backoffice:login"))
    assert not Session.objects.filter(expire_date__gt=T0 + timedelta(minutes=179)).exists()


def test_requests_within_a_minute_do_not_rewrite_the_session(client, clerk):
    with at(0):
        sign_in(client)
        signed_in_until = expiry()
    with at(0.5):
        client.get(HOME)
        unchanged = expiry()
    with at(1):
        client.get(HOME)
        moved = expiry()

    assert signed_in_until == unchanged == T0 + timedelta(minutes=60)
    assert moved == T0 + timedelta(minutes=61)


def test_an_idle_admin_session_ends_too(client, system_admin):
    with at(0):
        sign_in(client, reverse("admin:login"), "root")
        signed_in = client.get(reverse("admin:index")).status_code
    with at(61):
        idle = client.get(reverse("admin:index"))

    assert signed_in == 200
    assert idle.status_code == 302 and idle.url.startswith(reverse("admin:login"))


def test_anonymous_visitors_get_no_session(client, db):
    client.get(reverse("tracking:track"))
    client.get(HOME)

    assert not Session.objects.exists()
