"""Request ids, and a JSON or HTML 503 with Retry-After when the database is briefly away."""

import logging
import re
import uuid

from django.conf import settings
from django.db import InterfaceError, OperationalError

from . import errors
from .logs import request_id

logger = logging.getLogger("motcua.runtime")
_VALID_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


class RequestIdMiddleware:
    """Every request gets an id, in its log lines and in the X-Request-ID response header. A
    trusted reverse proxy's id (nginx `$request_id`) is kept, so both logs tell one story."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        given = request.headers.get("X-Request-ID", "")
        trusted = settings.MOTCUA_TRUSTED_PROXY_COUNT > 0 and _VALID_ID.match(given)
        request.request_id = given if trusted else uuid.uuid4().hex
        token = request_id.set(request.request_id)
        try:
            response = self.get_response(request)
        finally:
            request_id.reset(token)
        response["X-Request-ID"] = request.request_id
        return response


class DatabaseUnavailableMiddleware:
    """A database that cannot be reached (restarting, failing over, a lock held too long)
    is a 503 the client may retry, not a 500: the API in its error shape, pages as a page.
    Django drops the broken connection at the end of the request and opens a new one."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, (OperationalError, InterfaceError)):
            return None
        logger.warning("database unavailable: %s", exception)
        return errors.unavailable(request)


NUL_ESCAPES = (b"%00", b"\\u0000", b"\x00")  # a form's, a JSON string's, the raw byte
TEXT_BODIES = ("application/json", "application/x-www-form-urlencoded")


class RefuseNulMiddleware:
    """A NUL character in the path, the query string or a text body (JSON, a plain form) is
    refused with a 400 before any view reads it: PostgreSQL's text columns do not take NUL,
    and a search or a lookup that passed one on answered 500 (a procedure search with
    `q=a%00b`, found by hand after the fuzzer found it in the feedback API). One check for
    every door instead of one per field. Files (multipart) may hold NUL bytes and are read
    by content elsewhere."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if self._carries_nul(request):
            return errors.unstorable(request)
        return self.get_response(request)

    @staticmethod
    def _carries_nul(request) -> bool:
        query = request.META.get("QUERY_STRING", "").encode("latin-1", "replace").lower()
        if "\x00" in request.path or b"%00" in query or b"\x00" in query:
            return True
        if request.content_type not in TEXT_BODIES:
            return False
        body = request.body.lower()
        return any(escape in body for escape in NUL_ESCAPES)
