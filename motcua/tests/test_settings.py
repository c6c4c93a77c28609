"""The settings module refuses unsafe production configurations (checked in a subprocess so
the running test settings are untouched)."""

import os
import subprocess
import sys

import pytest

GOOD_KEY = "x" * 50


def import_settings(**env):
    environment = {
        k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY", "ALLOWED_HOSTS"}
    }
    environment.update(env)
    return subprocess.run(
        [sys.executable, "-c", "import motcua.settings"],
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.mark.parametrize(
    "env, message",
    [
        ({"DEBUG": "false", "ALLOWED_HOSTS": "motcua.example.gov.vn"}, "SECRET_KEY"),
        ({"DEBUG": "false", "SECRET_KEY": "short", "ALLOWED_HOSTS": "a.vn"}, "SECRET_KEY"),
        ({"DEBUG": "false", "SECRET_KEY": GOOD_KEY}, "ALLOWED_HOSTS"),
        ({"DEBUG": "false", "SECRET_KEY": GOOD_KEY, "ALLOWED_HOSTS": "*"}, "ALLOWED_HOSTS"),
        ({"DEBUG": "maybe"}, "DEBUG must be a boolean"),
    ],
)
def test_unsafe_production_configuration_is_refused(env, message):
    result = import_settings(**env)
    assert result.returncode != 0
    assert message in result.stderr


def test_safe_production_configuration_starts():
    result = import_settings(DEBUG="false", SECRET_KEY=GOOD_KEY, ALLOWED_HOSTS="mc.example.vn")
    assert result.returncode == 0, result.stderr


def test_sqlite_runs_in_wal_mode_with_immediate_transactions(db, settings):
    from django.db import connection

    if connection.vendor != "sqlite":
        pytest.skip("SQLite only")
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        mode = cursor.fetchone()[0]
    # The in-memory test database cannot use WAL; the option must still be configured.
    assert mode in {"wal", "memory"}
    assert settings.DATABASES["default"]["OPTIONS"]["transaction_mode"] == "IMMEDIATE"


def test_vietnamese_dates_are_read_day_first():
    from django import forms
    from django.utils import translation

    with translation.override("vi"):
        field = forms.DateField()
        assert field.clean("10/03/2026").isoformat() == "2026-03-10"
    with translation.override("en"):
        assert forms.DateField().clean("10/03/2026").isoformat() == "2026-03-10"
