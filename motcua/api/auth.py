"""Who is calling the API (architecture.md §4).

Programs send `Authorization: Bearer <token>` (tokens from `manage.py create_api_token` or the
admin; organisations.tokens checks them). Browsers of logged-in staff use their Django
session; for unsafe methods the session is accepted only with a valid CSRF token, as Django
requires on pages (403 `csrf_failed`). A request with neither a token nor a logged-in session
is simply not authenticated (401), whatever its method. To protect an endpoint:

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
from ninja.errors import AuthenticationError, HttpError
from ninja.security import HttpBearer
from ninja.security import SessionAuth as NinjaSessionAuth
from ninja.utils import check_csrf

from motcua.organisations.tokens import authenticate_token

from .errors import error_body, error_response


class CsrfFailed(HttpError):
    """A logged-in session sent an unsafe request without a valid CSRF token."""

    def __init__(self) -> None:
        super().__init__(403, "CSRF check failed")


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
    """The Django session of a logged-in, active user; CSRF checked for unsafe methods.
    Only a logged-in session is checked: without one there is nothing a forged request could
    borrow, and the caller is told to authenticate (401) rather than about CSRF."""

    def _get_key(self, request: HttpRequest) -> str | None:
        if request.user.is_authenticated and check_csrf(request) is not None:
            raise CsrfFailed()
        return request.COOKIES.get(self.param_name)

    def authenticate(self, request: HttpRequest, key: str | None):
        user = super().authenticate(request, key)
        return user if user is not None and user.is_active else None


STAFF_AUTH = [BearerToken(), SessionAuth()]


def _presented_bearer(request: HttpRequest) -> bool:
    return request.headers.get("Authorization", "").lower().startswith("bearer ")


def install_auth_errors(api: NinjaAPI) -> None:
    @api.exception_handler(CsrfFailed)
    def csrf_failed(request, exc):
        message = _("The CSRF check failed; reload the page and try again.")
        return error_response(api, request, 403, "csrf_failed", message)

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
