"""Signed-in sessions end after MOTCUA_SESSION_IDLE_MINUTES without a request.

The session's lifetime is that idle time (SESSION_COOKIE_AGE, settings.py); each save moves its
end (the database row's expiry and the cookie's) to now plus the lifetime. Django's
SESSION_SAVE_EVERY_REQUEST would save it on every request, a database write per page; this
middleware saves a signed-in session again only when the last save is at least REFRESH_SECONDS
old, so an active user costs at most one write a minute and is signed out between
idle - 1 minute and idle after their last request. Signing in counts as activity
(`stamp_sign_in`, on Django's user_logged_in), so the first pages after it write nothing.
"""

import time

from django.contrib.auth import SESSION_KEY
from django.http import HttpRequest, HttpResponse

REFRESH_SECONDS = 60
SEEN = "motcua_seen_at"


class SessionActivityMiddleware:
    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        # After the view, so that the sign-in's own save counts as the first activity.
        session = getattr(request, "session", None)
        if session is not None and SESSION_KEY in session:
            now = int(time.time())
            if now - session.get(SEEN, 0) >= REFRESH_SECONDS:
                session[SEEN] = now  # modified: saved with the response, expiry moved on
        return response


def stamp_sign_in(sender, request: HttpRequest | None, user, **kwargs) -> None:
    """user_logged_in receiver (apps.py): the sign-in saves the session anyway."""
    session = getattr(request, "session", None)
    if session is not None:
        session[SEEN] = int(time.time())
