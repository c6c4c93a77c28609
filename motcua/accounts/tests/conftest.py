"""The fake identity provider, reached in process: the OIDC client's calls from server to
provider (token, userinfo, JWKS) go through a requests adapter into Django's test client, so
the whole flow runs through HTTP without a socket. `flaky` makes a path fail as a network
would (ConnectionError, Timeout)."""

from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from django.conf import settings
from django.test import Client
from requests.adapters import BaseAdapter
from requests.structures import CaseInsensitiveDict


class InProcessAdapter(BaseAdapter):
    def __init__(self):
        super().__init__()
        self.client = Client()
        self.calls: list[tuple[str, str, object]] = []
        self.flaky: dict[str, Exception] = {}

    def send(self, request, stream=False, timeout=None, verify=True, cert=None, proxies=None):
        url = urlsplit(request.url)
        self.calls.append((request.method, url.path, timeout))
        if url.path in self.flaky:
            raise self.flaky[url.path]
        headers = {
            "HTTP_" + name.upper().replace("-", "_"): value
            for name, value in request.headers.items()
            if name.lower() not in {"content-type", "content-length", "host"}
        }
        answer = self.client.generic(
            request.method,
            f"{url.path}?{url.query}" if url.query else url.path,
            data=request.body or b"",
            content_type=request.headers.get("Content-Type", ""),
            HTTP_HOST=url.netloc,
            **headers,
        )
        response = requests.Response()
        response.status_code = answer.status_code
        response._content = answer.content
        response.headers = CaseInsensitiveDict(dict(answer.headers.items()))
        response.url = request.url
        response.request = request
        return response

    def close(self):
        pass


@pytest.fixture
def idp(monkeypatch, db):
    """Routes MOTCUA_PUBLIC_URL (where the fake provider's endpoints are) into the test client."""
    adapter = InProcessAdapter()
    original = requests.sessions.Session

    class Session(original):  # type: ignore[misc, valid-type]
        def __init__(self):
            super().__init__()
            self.mount(settings.MOTCUA_PUBLIC_URL, adapter)

    monkeypatch.setattr(requests.sessions, "Session", Session)
    return adapter


def query_of(location: str) -> dict[str, str]:
    return {name: values[0] for name, values in parse_qs(urlsplit(location).query).items()}


def start(client, provider="dvcqg", next_url=""):
    """The portal's redirect to the provider; the authorize request's parameters."""
    url = f"/tai-khoan/dang-nhap/{provider}/" + (f"?next={next_url}" if next_url else "")
    response = client.get(url)
    assert response.status_code == 302, response
    return query_of(response["Location"]), response["Location"]


def pick(client, params, citizen="nguyen-van-an", fault=""):
    """The person's choice on the fake provider's page; the redirect back to the portal."""
    response = client.post("/fake-idp/authorize", {**params, "citizen": citizen, "fault": fault})
    assert response.status_code == 302, response.content
    return response["Location"]


def sign_in(client, provider="dvcqg", citizen="nguyen-van-an", fault=""):
    """The whole flow; the callback's response."""
    params, _ = start(client, provider)
    return client.get(pick(client, params, citizen, fault))
