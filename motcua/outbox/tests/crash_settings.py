"""Settings of the crash test's server, workers and checks (test_crash_delivery.py): the
deployment's settings plus the fake SMS gateway (fake_gateway.py)."""

from motcua.settings import *  # noqa: F403

INSTALLED_APPS = [*INSTALLED_APPS, "motcua.outbox.tests.fake_gateway.FakeGatewayConfig"]  # noqa: F405
