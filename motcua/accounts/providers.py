"""The national identity providers this deployment signs citizens in with, from the settings
(MOTCUA_OIDC_PROVIDERS, read from MOTCUA_OIDC_<PROVIDER>_* in settings.py): a provider is
enabled when its client id is set. With MOTCUA_FAKE_IDP on (development: DEBUG), a provider
not configured points at the fake provider served by motcua/fakeidp, so that `make demo` signs
a demo citizen in through the real flow."""

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from motcua.fakeidp.clients import demo_client

from .models import Provider as ProviderKey

LABELS = {
    "dvcqg": _("Sign in with the National Public Service Portal account"),
    "vneid": _("Sign in with VNeID"),
}
DEFAULT_ACR = {"dvcqg": "LoA1", "vneid": ""}


@dataclass(frozen=True)
class Provider:
    key: str
    client_id: str
    client_secret: str
    authorization_endpoint: str
    token_endpoint: str
    userinfo_endpoint: str
    jwks_endpoint: str
    end_session_endpoint: str = ""
    issuer: str = ""
    acr_values: str = ""
    scopes: str = "openid"
    fake: bool = False

    @property
    def label(self) -> str:
        return str(LABELS[self.key])

    def oidc_settings(self) -> dict[str, Any]:
        """mozilla-django-oidc's settings for this provider (backends.py, views.py)."""
        return {
            "OIDC_OP_AUTHORIZATION_ENDPOINT": self.authorization_endpoint,
            "OIDC_OP_TOKEN_ENDPOINT": self.token_endpoint,
            "OIDC_OP_USER_ENDPOINT": self.userinfo_endpoint,
            "OIDC_OP_JWKS_ENDPOINT": self.jwks_endpoint,
            "OIDC_RP_CLIENT_ID": self.client_id,
            "OIDC_RP_CLIENT_SECRET": self.client_secret,
            "OIDC_RP_SIGN_ALGO": "RS256",
            "OIDC_RP_IDP_SIGN_KEY": None,
            "OIDC_RP_SCOPES": self.scopes,
            "OIDC_AUTH_REQUEST_EXTRA_PARAMS": {"acr_values": self.acr_values}
            if self.acr_values
            else {},
            "OIDC_AUTHENTICATION_CALLBACK_URL": f"accounts:callback-{self.key}",
            # Without a timeout requests waits for ever on a provider that hangs.
            "OIDC_TIMEOUT": settings.MOTCUA_OIDC_TIMEOUT,
            "OIDC_VERIFY_SSL": True,
            "OIDC_PROXY": None,
            "OIDC_USE_NONCE": True,
            "OIDC_USE_PKCE": False,
            "OIDC_ALLOW_UNSECURED_JWT": False,
            "OIDC_VERIFY_KID": True,
            "OIDC_TOKEN_USE_BASIC_AUTH": False,  # DVCQG: the secret in the form body
            "OIDC_STORE_ID_TOKEN": True,  # for logout's id_token_hint
            "OIDC_STORE_ACCESS_TOKEN": False,
            "OIDC_CREATE_USER": True,
            "OIDC_REDIRECT_FIELD_NAME": "next",
            "OIDC_OP_LOGOUT_URL_METHOD": "motcua.accounts.logout.end_session_url",
            "LOGOUT_REDIRECT_URL": "accounts:signed-out",
        }


def _configured(key: str) -> Provider | None:
    conf = settings.MOTCUA_OIDC_PROVIDERS.get(key) or {}
    if not conf.get("client_id"):
        return None
    values: dict[str, Any] = {
        "client_secret": "",
        "jwks_endpoint": "",
        "acr_values": DEFAULT_ACR[key],
    }
    values |= {name: value for name, value in conf.items() if value}
    return Provider(key=key, **values)


def _fake(key: str) -> Provider:
    """Browser redirects by path (any host the demo is opened on); the calls from server to
    provider at MOTCUA_PUBLIC_URL, where the development server listens."""
    client = demo_client(key)
    base = settings.MOTCUA_PUBLIC_URL.rstrip("/")
    return Provider(
        key=key,
        client_id=client.client_id,
        client_secret=client.client_secret,
        authorization_endpoint=reverse("fakeidp:authorize"),
        token_endpoint=base + reverse("fakeidp:token"),
        userinfo_endpoint=base + reverse("fakeidp:userinfo"),
        jwks_endpoint=base + reverse("fakeidp:jwks"),
        end_session_endpoint=reverse("fakeidp:logout"),
        issuer=base + reverse("fakeidp:root").rstrip("/"),
        acr_values=DEFAULT_ACR[key],
        fake=True,
    )


def provider(key: str) -> Provider | None:
    if key not in ProviderKey.values:
        return None
    return _configured(key) or (_fake(key) if settings.MOTCUA_FAKE_IDP else None)


def enabled() -> list[Provider]:
    return [p for key in ProviderKey.values if (p := provider(key))]


def get_or_404(key: str) -> Provider:
    found = provider(key)
    if found is None:
        raise Http404
    return found
