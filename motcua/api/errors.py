"""One error shape for the whole API: {"error": {"code": ..., "message": ...}}.

Every failure a request can meet inside the API answers in that shape: invalid input (422,
with ninja's `details`), an unreadable body (400), a missing or bad authentication (401,
api/auth.py), a refused CSRF check or permission (403), an unknown object (404), the
domains' own errors with their status, and anything unexpected: logged with its traceback
and answered 500 `server_error` without it, whatever DEBUG says.
"""

import logging

from django.core.exceptions import PermissionDenied, RequestDataTooBig, SuspiciousOperation
from django.db import InterfaceError, OperationalError
from django.http import Http404, HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParserError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import NinjaAPI
from ninja.errors import HttpError, Throttled
from ninja.errors import ValidationError as NinjaValidationError

from motcua.catalogue.errors import CatalogueError
from motcua.dossiers.errors import DossierError
from motcua.runtime import errors as runtime_errors
from motcua.runtime.errors import error_body, request_id_of
from motcua.signing.errors import SigningFailed
from motcua.workdays.errors import WorkdaysError

logger = logging.getLogger(__name__)

# The code and message of an HttpError by its status (ninja raises them itself).
HTTP_ERRORS = {
    400: ("bad_request", gettext_lazy("The request could not be read.")),
    403: ("forbidden", gettext_lazy("You may not do this.")),
    404: ("not_found", gettext_lazy("Not found")),
    405: ("method_not_allowed", gettext_lazy("This method is not allowed here.")),
    413: ("too_large", gettext_lazy("The request is too large.")),
    429: ("rate_limited", gettext_lazy("Too many requests; try again later.")),
}


def error_response(api: NinjaAPI, request: HttpRequest, status: int, code: str, message: str):
    return api.create_response(request, error_body(code, str(message)), status=status)


def _http_error(exc: HttpError) -> tuple[str, str]:
    if exc.status_code == 400 and isinstance(exc.__cause__, ValueError):
        # ninja's "Cannot parse request body": JSON that does not parse.
        return "invalid_json", _("The request body is not valid JSON.")
    code, message = HTTP_ERRORS.get(exc.status_code, ("error", gettext_lazy("Request failed.")))
    return code, str(message)


def install_error_handlers(api: NinjaAPI) -> None:
    _install_request_errors(api)
    _install_domain_errors(api)

    @api.exception_handler(Exception)
    def server_error(request, exc):
        if isinstance(exc, (OperationalError, InterfaceError)):
            # The database is away (restarting, a lock held too long): retry shortly.
            logger.warning("database unavailable on %s %s: %s", request.method, request.path, exc)
            return runtime_errors.unavailable(request)
        logger.exception("API error on %s %s", request.method, request.path)
        message = _("Something went wrong on our side; it has been logged.")
        body = error_body("server_error", str(message), request_id=request_id_of(request))
        return api.create_response(request, body, status=500)


def _install_request_errors(api: NinjaAPI) -> None:
    @api.exception_handler(NinjaValidationError)
    def invalid_input(request, exc):
        body = error_body("invalid_input", _("Invalid input"), details=exc.errors)
        return api.create_response(request, body, status=422)

    @api.exception_handler(HttpError)
    def http_error(request, exc):
        response = error_response(api, request, exc.status_code, *_http_error(exc))
        if isinstance(exc, Throttled) and exc.wait is not None:
            response["Retry-After"] = str(int(exc.wait) + 1)
        return response

    @api.exception_handler(Http404)
    def not_found(request, exc):
        return error_response(api, request, 404, "not_found", _("Not found"))

    @api.exception_handler(PermissionDenied)
    def forbidden(request, exc):
        return error_response(api, request, 403, "forbidden", _("You may not do this."))

    @api.exception_handler(MultiPartParserError)
    def invalid_multipart(request, exc):
        message = _("The multipart body could not be read.")
        return error_response(api, request, 400, "invalid_multipart", message)

    @api.exception_handler(SuspiciousOperation)
    def bad_request(request, exc):
        if isinstance(exc, RequestDataTooBig):
            return error_response(api, request, 413, "too_large", _("The request is too large."))
        message = _("The request could not be read.")
        return error_response(api, request, 400, "bad_request", message)


def _install_domain_errors(api: NinjaAPI) -> None:
    @api.exception_handler(CatalogueError)
    def catalogue_error(request, exc):
        return error_response(api, request, 400, exc.code, exc.message)

    @api.exception_handler(WorkdaysError)
    def workdays_error(request, exc):
        return error_response(api, request, exc.status, exc.code, exc.message)

    @api.exception_handler(DossierError)
    def dossier_error(request, exc):
        return error_response(api, request, exc.status, exc.code, exc.message)

    @api.exception_handler(SigningFailed)
    def signing_error(request, exc):
        return error_response(api, request, exc.status, exc.code, exc.message)


def method_not_allowed(api: NinjaAPI, request: HttpRequest, allowed: str) -> HttpResponse:
    response = error_response(api, request, 405, *HTTP_ERRORS[405])
    response["Allow"] = allowed
    return response
