"""The address the receipt points to (QR code and printed text): the deployment's public
address, and in development without one the address the browser reached the server at."""

import os
import subprocess
import sys

import pytest
from django.urls import reverse

from conftest import PASSWORD
from motcua.documents import forms

from .pdfs import text


@pytest.fixture
def payloads(monkeypatch) -> list[str]:
    """What each QR code encodes (segno only encodes: no decoder to read the image back)."""
    seen: list[str] = []

    def record(payload: str) -> str:
        seen.append(payload)
        return forms_qr(payload)

    forms_qr = forms.qr_svg
    monkeypatch.setattr(forms, "qr_svg", record)
    return seen


def _print_receipt(client, officer, dossier, **headers):
    client.login(username=officer.username, password=PASSWORD)
    url = reverse("backoffice:print", kwargs={"code": dossier.code, "form": "01"})
    response = client.get(url, **headers)
    assert response.status_code == 200, response.status_code
    return text(response.content)


def test_configured_public_address_is_printed_and_encoded(
    client, settings, received, officer, payloads
):
    settings.MOTCUA_PUBLIC_URL, settings.MOTCUA_PUBLIC_URL_SET = "https://dvc.example.gov.vn", True
    content = _print_receipt(client, officer, received)
    expected = f"https://dvc.example.gov.vn/tra-cuu/?ma={received.code}"
    assert payloads == [expected]
    assert expected in content


def test_in_development_the_address_the_browser_used(client, settings, received, officer, payloads):
    settings.DEBUG, settings.MOTCUA_PUBLIC_URL_SET = True, False
    settings.ALLOWED_HOSTS = ["192.168.1.20"]
    content = _print_receipt(client, officer, received, HTTP_HOST="192.168.1.20:8123")
    expected = f"http://192.168.1.20:8123/tra-cuu/?ma={received.code}"
    assert payloads == [expected]
    assert expected in content


def test_in_production_never_the_request_host(client, settings, received, officer, payloads):
    settings.DEBUG, settings.MOTCUA_PUBLIC_URL_SET = False, False
    settings.MOTCUA_PUBLIC_URL = "http://127.0.0.1:8123"
    settings.ALLOWED_HOSTS = ["evil.example"]
    _print_receipt(client, officer, received, HTTP_HOST="evil.example")
    assert payloads == [f"http://127.0.0.1:8123/tra-cuu/?ma={received.code}"]


def test_the_default_address_follows_port():
    """Unset, MOTCUA_PUBLIC_URL is the development server's address on PORT (make demo)."""
    env = {k: v for k, v in os.environ.items() if k != "MOTCUA_PUBLIC_URL"}
    env.update(PORT="8123", DEBUG="true")
    script = "import motcua.settings as s; print(s.MOTCUA_PUBLIC_URL, s.MOTCUA_PUBLIC_URL_SET)"
    out = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True
    )
    assert out.stdout.split() == ["http://127.0.0.1:8123", "False"]
