"""Staff and citizens never share a session scope: a citizen's session (loaded by
CitizenBackend) is anonymous under the staff doors, so /backoffice/ sends them to the staff
sign-in page and /admin/ to its own, where signing in replaces the session whole. The staff
API (/api/, session or token) answers them as it answers anyone not signed in, except its
citizen's routes (CITIZEN_API_PATHS: the feedback API's /mine, which refuses staff)."""

from django.contrib.auth import BACKEND_SESSION_KEY
from django.contrib.auth.models import AnonymousUser

from .backends import CITIZEN_BACKEND

STAFF_PATHS = ("/backoffice/", "/admin/", "/api/")
CITIZEN_API_PATHS = ("/api/v1/feedback/mine",)


def is_citizen_session(request) -> bool:
    return request.session.get(BACKEND_SESSION_KEY) == CITIZEN_BACKEND


class CitizenScopeMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # Pages ask this (base.html: "My account" or the back office) without a query.
        request.is_citizen = is_citizen_session(request)
        staff_path = request.path.startswith(STAFF_PATHS)
        if staff_path and request.is_citizen and not request.path.startswith(CITIZEN_API_PATHS):
            request.user = AnonymousUser()

            async def anonymous():
                return AnonymousUser()

            request.auser = anonymous
        return self.get_response(request)
