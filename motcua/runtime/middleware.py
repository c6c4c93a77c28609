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
