"""The opt-out link of every notice, through HTTP: a GET changes nothing, a POST stops the
notices, a forged token is a 404."""

import pytest

from motcua.notifications import preferences
from motcua.notifications.models import ContactPreference

pytestmark = pytest.mark.django_db
routed = pytest.mark.urls("motcua.notifications.tests.urls")


@routed
def test_the_link_asks_then_stops_the_notices(client):
    link = preferences.opt_out_link("0987654321", "https://motcua.example")
    assert link.startswith("https://motcua.example/thong-bao/")
    path = link.removeprefix("https://motcua.example")
    page = client.get(path)
    assert page.status_code == 200 and "849…321" in page.content.decode()
    assert not ContactPreference.objects.exists()  # a link previewer changed nothing
    done = client.post(path, {"channel": "sms"})
    assert done.status_code == 200
    preference = ContactPreference.objects.get(address="84987654321")
    assert not preference.sms and preference.zalo and preference.opted_out_at is None


@routed
def test_a_forged_token_is_not_found(client):
    assert client.get("/thong-bao/84987654321/").status_code == 404


def test_the_project_routes_the_link(client):
    """The project's own URLs (motcua/urls.py) serve the page the notices link to."""
    link = preferences.opt_out_link("0987654321", "https://motcua.example")
    assert link.startswith("https://motcua.example/thong-bao/")
    assert client.get(link.removeprefix("https://motcua.example")).status_code == 200


@pytest.mark.urls("motcua.notifications.tests.no_urls")
def test_without_its_route_the_link_is_left_out(db):
    assert preferences.opt_out_link("0987654321", "https://motcua.example") == ""
