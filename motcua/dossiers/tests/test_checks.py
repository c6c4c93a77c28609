"""The system checks of the tracking limits (checks.py), as `manage.py check` runs them."""

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from motcua.dossiers.checks import tracking_limits


def ids(settings) -> list[str]:
    return [message.id for message in tracking_limits(None)]


def test_the_defaults_pass(settings):
    assert ids(settings) == []


def test_no_per_address_limit_without_a_proxy_is_a_warning(settings):
    settings.MOTCUA_TRACKING_IP_LIMIT = 0
    settings.MOTCUA_TRUSTED_PROXY_COUNT = 0
    assert ids(settings) == ["motcua.W001"]
    settings.MOTCUA_TRUSTED_PROXY_COUNT = 1  # nginx in front, limiting per address
    assert ids(settings) == []


@pytest.mark.parametrize(
    "name",
    [
        "MOTCUA_TRACKING_IP_LIMIT",
        "MOTCUA_TRACKING_IP_WINDOW",
        "MOTCUA_TRACKING_SECRET_LIMIT",
        "MOTCUA_TRACKING_SECRET_ADDRESS_LIMIT",
        "MOTCUA_TRACKING_SECRET_WINDOW",
    ],
)
def test_a_negative_limit_or_an_empty_window_is_an_error(settings, name):
    setattr(settings, name, -1)
    assert ids(settings) == ["motcua.E001"]
    with pytest.raises(SystemCheckError, match=name):
        call_command("check")
