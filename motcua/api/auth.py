"""Who is calling the API (architecture.md §4).

Programs send `Authorization: Bearer <token>` (tokens from `manage.py create_api_token` or the
admin; organisations.tokens checks them). Browsers of logged-in staff use their Django
session; for unsafe methods the session is accepted only with a valid CSRF token, as Django
requires on pages. To protect an endpoint:

    from motcua.api.auth import STAFF_AUTH

    @router.get("/dossiers/{code}", auth=STAFF_AUTH)
    def get_dossier(request, code: str):
        user = request.auth  # the authenticated user, whichever way they came
        ...

or `Router(auth=STAFF_AUTH)` for a whole router. With either kind of authentication
`request.user` is the same user, so permission accessors work unchanged. Failures answer 401
in the API's error shape (`install_auth_errors`), with `WWW-Authenticate: Bearer`.
"""

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError
from ninja.security import HttpBearer
from ninja.security import SessionAuth as NinjaSessionAuth

from motcua.organisations.tokens import authenticate_token

from .errors import error_body


class BearerToken(HttpBearer):
    """`Authorization: Bearer <token>`: an unrevoked, unexpired token of an active user. A
    token that is presented but not valid is refused outright (401), without falling back
    to the session: the caller meant to use it."""

    def authenticate(self, request: HttpRequest, token: str):
        api_token = authenticate_token(token.strip())
        if api_token is None:
            raise AuthenticationError()
        request.user = api_token.user
        request.api_token = api_token  # type: ignore[attr-defined]
        return api_token.user


class SessionAuth(NinjaSessionAuth):
    """The Django session of a logged-in, active user; CSRF checked for unsafe methods."""

    def authenticate(self, request: HttpRequest, key: str | None):
        user = super().authenticate(request, key)
        return user if user is not None and user.is_active else None


STAFF_AUTH = [BearerToken(), SessionAuth()]


def _presented_bearer(request: HttpRequest) -> bool:
    return request.headers.get("Authorization", "").lower().startswith("bearer ")


def install_auth_errors(api: NinjaAPI) -> None:
    @api.exception_handler(AuthenticationError)
    def unauthenticated(request, exc):
        if _presented_bearer(request):
            code, message = "invalid_token", _("The token is invalid, expired or revoked.")
            challenge = 'Bearer error="invalid_token"'
        else:
            code, message = "unauthenticated", _("Log in or send an API token.")
            challenge = "Bearer"
        response = api.create_response(request, error_body(code, message), status=401)
        response["WWW-Authenticate"] = challenge
        return response
