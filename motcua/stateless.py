"""Django's session, CSRF, authentication and message middleware, left out of the stateless
public API.

GET /api/v1/tracking/{code} is called by every receipt's QR code, by kiosks and by portals
that poll. It reads no session, user, CSRF token or flash message and sets no cookie: its
answer depends on the code, the digits and the client address only (the rate limit counts
per address, in the database). The four middleware below still did their work on each call,
about a quarter of what Django spends on a request before the view (bench/bench_tracking.py),
so on the paths of STATELESS_PATHS they step aside: `request.user` is anonymous and there
is no `request.session`. Everywhere else they are Django's own, unchanged.

Only GET endpoints belong here: without the CSRF middleware, an unsafe method would not be
checked.
"""

from django.contrib.auth.middleware import AuthenticationMiddleware as DjangoAuthentication
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages.middleware import MessageMiddleware as DjangoMessages
from django.contrib.sessions.middleware import SessionMiddleware as DjangoSessions
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import CsrfViewMiddleware as DjangoCsrf

STATELESS_PATHS = ("/api/v1/tracking/",)


def is_stateless(request: HttpRequest) -> bool:
    return request.path_info.startswith(STATELESS_PATHS)


class SessionMiddleware(DjangoSessions):
    def process_request(self, request: HttpRequest) -> None:
        if not is_stateless(request):
            super().process_request(request)

    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        if is_stateless(request):
            return response
        return super().process_response(request, response)


class CsrfViewMiddleware(DjangoCsrf):
    def process_request(self, request: HttpRequest) -> None:
        if not is_stateless(request):
            super().process_request(request)

    def process_view(self, request: HttpRequest, callback, callback_args, callback_kwargs):
        if is_stateless(request):
            return None
        return super().process_view(request, callback, callback_args, callback_kwargs)

    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        if is_stateless(request):
            return response
        return super().process_response(request, response)


class AuthenticationMiddleware(DjangoAuthentication):
    def process_request(self, request: HttpRequest) -> None:
        if is_stateless(request):
            request.user = AnonymousUser()
        else:
            super().process_request(request)


class MessageMiddleware(DjangoMessages):
    def process_request(self, request: HttpRequest) -> None:
        if not is_stateless(request):
            super().process_request(request)
