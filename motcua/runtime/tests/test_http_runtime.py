"""The running system's doors: health, request ids, errors in the right shape, headers."""

import json
import logging
import os
import subprocess
import sys
from datetime import timedelta

import pytest
from django.db import OperationalError
from django.test import override_settings
from django.urls import path
from django.utils import timezone

from motcua.runtime.logs import JsonFormatter, RequestIdFilter
from motcua.runtime.models import WorkerHeartbeat
from motcua.runtime.services import record_heartbeat
from motcua.urls import urlpatterns as site_patterns


def broken_view(request):
    raise RuntimeError("boom /secret/path.py")


def database_down_view(request):
    raise OperationalError("could not connect to server")


urlpatterns = [
    path("api/v1/broken", broken_view),
    path("broken", broken_view),
    path("api/v1/db-down", database_down_view),
    path("db-down", database_down_view),
    *site_patterns,
]
handler500 = "motcua.runtime.errors.server_error"


@pytest.fixture
def faulty_client(client):
    client.raise_request_exception = False
    with override_settings(ROOT_URLCONF=__name__):
        yield client


def test_health_reports_database_worker_disk_and_version(client, db):
    record_heartbeat("deadlines")
    response = client.get("/healthz")
    body = response.json()
    assert response.status_code == 200
    assert body["status"] == "ok"
    assert body["checks"]["database"]["ok"] is True
    assert body["checks"]["worker"]["lag_seconds"] <= 1
    assert body["checks"]["disk"]["free_mb"] > 0
    assert body["version"].startswith("0.")
    assert response["Cache-Control"].startswith("max-age=0")


def test_health_is_degraded_but_serving_when_the_worker_is_late(client, db, settings):
    WorkerHeartbeat.objects.create(
        name="deadlines", last_run_at=timezone.now() - timedelta(hours=1)
    )
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["status"] == "degraded"
    assert response.json()["checks"]["worker"]["ok"] is False


def test_health_is_down_when_the_disk_is_full(client, db, settings):
    settings.MOTCUA_HEALTH_MIN_FREE_MB = 10**12
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["status"] == "down"


def test_every_response_carries_a_request_id(client, db):
    first = client.get("/healthz")["X-Request-ID"]
    second = client.get("/healthz")["X-Request-ID"]
    assert len(first) == 32 and first != second


def test_request_id_of_a_trusted_proxy_is_kept(client, db, settings):
    assert client.get("/healthz", HTTP_X_REQUEST_ID="abc-123")["X-Request-ID"] != "abc-123"
    settings.MOTCUA_TRUSTED_PROXY_COUNT = 1
    assert client.get("/healthz", HTTP_X_REQUEST_ID="abc-123")["X-Request-ID"] == "abc-123"
    assert client.get("/healthz", HTTP_X_REQUEST_ID="<bad id>")["X-Request-ID"] != "<bad id>"


def test_unhandled_error_on_the_api_is_json_with_the_request_id(faulty_client, caplog):
    with caplog.at_level(logging.ERROR):
        response = faulty_client.get("/api/v1/broken")
    assert response.status_code == 500
    error = response.json()["error"]
    assert error["code"] == "server_error"
    assert error["request_id"] == response["X-Request-ID"]
    assert "secret" not in response.content.decode()
    logged = [r for r in caplog.records if r.name == "django.request"]
    assert logged and logged[0].request_id == response["X-Request-ID"]


def test_unhandled_error_on_a_page_names_the_request_id(faulty_client):
    response = faulty_client.get("/broken")
    assert response.status_code == 500
    assert response["X-Request-ID"] in response.content.decode()
    assert "boom" not in response.content.decode()


@pytest.mark.parametrize("url", ["/api/v1/db-down", "/db-down"])
def test_database_unavailable_is_a_503_to_retry(faulty_client, url):
    response = faulty_client.get(url)
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    if url.startswith("/api/"):
        assert response.json()["error"]["code"] == "unavailable"


def test_pages_send_the_security_headers(client, db):
    response = client.get("/")
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "frame-ancestors 'none'" in policy
    assert "unsafe-inline" not in policy
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_json_log_lines_carry_the_request_id():
    record = logging.LogRecord("motcua", logging.ERROR, __file__, 1, "Lỗi %s", ("x",), None)
    record.dossier = "H15.50-260101-0001"
    RequestIdFilter().filter(record)
    line = json.loads(JsonFormatter().format(record))
    assert line["message"] == "Lỗi x" and line["request_id"] == "-"
    assert line["dossier"] == "H15.50-260101-0001"


PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": "k" * 20 + "production-secret-for-the-check-only",
    "ALLOWED_HOSTS": "dichvucong.example.gov.vn",
    "MOTCUA_PUBLIC_URL": "https://dichvucong.example.gov.vn",
    "MOTCUA_TRUSTED_PROXY_COUNT": "1",
    "DJANGO_SETTINGS_MODULE": "motcua.settings",
}


def run_manage(*args, env):
    base = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "DJANGO_SETTINGS_MODULE"}}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_is_clean_with_the_production_settings():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_debug_is_off_unless_asked_and_refuses_a_missing_key():
    env = {k: v for k, v in PRODUCTION.items() if k not in {"SECRET_KEY", "DEBUG"}}
    result = run_manage("check", env=env)
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_behind_tls_proxy_the_public_origin_passes_csrf(settings):
    from django.conf import settings as live

    assert live.CSRF_TRUSTED_ORIGINS[0] == "http://127.0.0.1:8000"
    result = run_manage(
        "shell",
        "-c",
        "from django.conf import settings as s; "
        "print(s.CSRF_TRUSTED_ORIGINS, s.SECURE_PROXY_SSL_HEADER, s.SESSION_COOKIE_SECURE)",
        env=PRODUCTION,
    )
    assert result.returncode == 0, result.stderr
    assert "['https://dichvucong.example.gov.vn']" in result.stdout
    assert "('HTTP_X_FORWARDED_PROTO', 'https') True" in result.stdout


def test_metrics_are_off_without_a_token(client, db):
    assert client.get("/metrics").status_code == 404


def test_metrics_need_the_token_and_speak_prometheus(client, db, settings):
    settings.MOTCUA_METRICS_TOKEN = "scrape-token-0123456789"
    assert client.get("/metrics").status_code == 401
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer wrong").status_code == 401
    response = client.get("/metrics", HTTP_AUTHORIZATION="Bearer scrape-token-0123456789")
    assert response.status_code == 200
    text = response.content.decode()
    assert "motcua_database_up 1" in text
    assert "motcua_dossiers_open 0" in text and "# TYPE motcua_dossiers_overdue gauge" in text
    assert "motcua_outbox_waiting 0" in text and "motcua_outbox_dead 0" in text


def test_error_reports_by_email_when_addresses_are_set(faulty_client, settings, mailoutbox):
    faulty_client.get("/broken")
    assert mailoutbox == []
    settings.ADMINS = [("motcua", "ops@example.gov.vn")]
    faulty_client.get("/broken")
    assert len(mailoutbox) == 1 and "boom" in mailoutbox[0].body
    assert mailoutbox[0].to == ["ops@example.gov.vn"]


def test_database_unavailable_inside_the_api_is_a_503_in_its_shape(client, db, monkeypatch):
    from motcua.api import catalogue

    def away(*args, **kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(catalogue, "search_procedures", away)
    response = client.get("/api/v1/procedures")
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert response.json()["error"]["code"] == "unavailable"


def test_unhandled_error_inside_the_api_names_the_request_id(client, db, monkeypatch):
    from motcua.api import catalogue

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(catalogue, "search_procedures", broken)
    response = client.get("/api/v1/procedures")
    assert response.status_code == 500
    assert response.json()["error"]["request_id"] == response["X-Request-ID"]
