"""Two kinds of backend.

- `ProviderBackend` (one subclass per national provider) runs mozilla-django-oidc's
  authorization-code exchange with that provider's settings (providers.py): the library reads
  one provider from Django's settings, so `get_settings` answers from the provider instead.
  It is not in AUTHENTICATION_BACKENDS: the provider's callback view calls its own backend
  (views.py), so a sign-in never tries the other provider's token endpoint nor the staff's.
- `CitizenBackend` is in AUTHENTICATION_BACKENDS only to load a signed-in citizen from the
  session; it authenticates nobody by itself and never loads a staff account."""

from typing import Any

import requests
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import BaseBackend
from django.core.exceptions import SuspiciousOperation
from django.utils import timezone
from mozilla_django_oidc.auth import OIDCAuthenticationBackend  # type: ignore[import-untyped]

from .claims import read_identity
from .providers import Provider
from .services import SignInResult, sign_in

CITIZEN_BACKEND = "motcua.accounts.backends.CitizenBackend"


class CitizenBackend(BaseBackend):
    def authenticate(self, request, **credentials):
        return None

    def get_user(self, user_id):
        return (
            get_user_model()
            .objects.filter(
                pk=user_id,
                is_active=True,
                is_staff=False,
                is_superuser=False,
                citizen_account__isnull=False,
            )
            .first()
        )


class ProviderBackend(OIDCAuthenticationBackend):
    subject_claim = "TechID"

    def __init__(self, provider: Provider):
        self.provider = provider
        self.settings = provider.oidc_settings()
        self.result: SignInResult | None = None
        self.id_token = ""
        super().__init__()

    def get_settings(self, attr: str, *args: Any) -> Any:
        if attr in self.settings:
            return self.settings[attr]
        return super().get_settings(attr, *args)

    def verify_token(self, token: str, **kwargs: Any) -> dict[str, Any]:
        """The library checks the signature, expiry and nonce; the audience and issuer too."""
        payload = super().verify_token(token, **kwargs)
        audience = payload.get("aud")
        audiences = audience if isinstance(audience, list) else [audience]
        if self.provider.client_id not in audiences:
            raise SuspiciousOperation("id_token audience is not this client")
        if self.provider.issuer and payload.get("iss") != self.provider.issuer:
            raise SuspiciousOperation("id_token issuer is not the provider")
        return payload

    def get_userinfo(self, access_token, id_token, payload):
        """DVCQG answers userinfo by POST with the bearer token (OIDC clients default to GET)."""
        response = requests.post(
            self.OIDC_OP_USER_ENDPOINT,
            headers={"Authorization": f"Bearer {access_token}"},
            verify=self.get_settings("OIDC_VERIFY_SSL"),
            timeout=self.get_settings("OIDC_TIMEOUT"),
            proxies=self.get_settings("OIDC_PROXY"),
        )
        response.raise_for_status()
        return response.json()

    def store_tokens(self, access_token, id_token):
        # Kept on the backend: the session is cycled at sign-in, the view stores it after.
        self.id_token = id_token

    def get_or_create_user(self, access_token, id_token, payload):
        claims = self.get_userinfo(access_token, id_token, payload)
        if claims.get("sub") and claims["sub"] != payload.get("sub"):
            raise SuspiciousOperation("userinfo is about another person than the id_token")
        identity = read_identity(
            self.provider.key,
            claims,
            subject_claim=self.subject_claim,
            today=timezone.localdate(),
        )
        self.identity = identity
        self.result = sign_in(identity)
        return self.result.account.user if self.result.account else None


class DvcqgBackend(ProviderBackend):
    """Cổng Dịch vụ công quốc gia: acr_values (LoA), userinfo by POST, Vietnamese claims."""


class VneidBackend(ProviderBackend):
    """VNeID (Bộ Công an): the same claim names, with the account's assurance level IAL."""


BACKENDS: dict[str, type[ProviderBackend]] = {"dvcqg": DvcqgBackend, "vneid": VneidBackend}


def backend_for(provider: Provider) -> ProviderBackend:
    return BACKENDS[provider.key](provider)
