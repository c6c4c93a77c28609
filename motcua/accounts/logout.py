"""RP-initiated logout at the provider (OpenID Connect RP-Initiated Logout 1.0): the id_token
of the sign-in as `id_token_hint`, and where to come back (capabilities.md §2.2)."""

from urllib.parse import urlencode

from django.http import HttpRequest
from django.urls import reverse
from django.utils.crypto import get_random_string

from . import providers

SESSION_PROVIDER = "citizen_provider"
SESSION_ID_TOKEN = "oidc_id_token"


def end_session_url(request: HttpRequest) -> str:
    """The provider's end-session address, or our signed-out page when there is none."""
    back = request.build_absolute_uri(reverse("accounts:signed-out"))
    provider = providers.provider(request.session.get(SESSION_PROVIDER, ""))
    id_token = request.session.get(SESSION_ID_TOKEN)
    if provider is None or not provider.end_session_endpoint or not id_token:
        return back
    query = {
        "id_token_hint": id_token,
        "post_logout_redirect_uri": back,
        "client_id": provider.client_id,
        "state": get_random_string(16),
    }
    return f"{provider.end_session_endpoint}?{urlencode(query)}"
