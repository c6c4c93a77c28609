"""Error responses outside the API's own handlers: the JSON API keeps its shape
`{"error": {"code", "message"}}` (with the request id), pages get a page naming the request id
that the people at the help desk can look up in the logs."""

from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

RETRY_AFTER_SECONDS = 5


def wants_json(request) -> bool:
    return request.path.startswith("/api/")


def error_body(code: str, message: str, **extra) -> dict:
    """The API's one error shape (the ninja handlers in api/errors.py use it too)."""
    return {"error": {"code": code, "message": message, **extra}}


def request_id_of(request) -> str:
    return getattr(request, "request_id", "-")


def _json(request, status: int, code: str, message: str) -> JsonResponse:
    body = error_body(code, message, request_id=request_id_of(request))
    return JsonResponse(body, status=status)


def _answer(request, status: int, code: str, message: str, template: str):
    """The API's error shape, or a page naming the request id."""
    if wants_json(request):
        return _json(request, status, code, message)
    context = {"message": message, "request_id": request_id_of(request)}
    return render(request, template, context, status=status)


def unavailable(request):
    message = _("The service is briefly unavailable. Please try again in a few seconds.")
    response = _answer(request, 503, "unavailable", message, "runtime/unavailable.html")
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def unstorable(request):
    """400: the request carries a NUL character, which no text column of PostgreSQL takes."""
    message = _("The request holds characters that cannot be stored (NUL): remove them.")
    return _answer(request, 400, "invalid_characters", message, "runtime/bad_request.html")


def server_error(request):
    """handler500: logged by Django with the request id (logs.RequestIdFilter)."""
    message = _("An unexpected error occurred. It has been recorded.")
    return _answer(request, 500, "server_error", message, "runtime/server_error.html")
