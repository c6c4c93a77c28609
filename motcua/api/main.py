"""The JSON API under /api/v1/ (django-ninja); each domain adds its router here."""

from collections.abc import Callable
from functools import wraps

from django.http import HttpRequest, HttpResponseNotAllowed
from django.urls import URLPattern, re_path
from django.utils.translation import gettext as _
from ninja import NinjaAPI

from .attachments import router as attachments_router
from .auth import install_auth_errors
from .catalogue import router as catalogue_router
from .dossier_actions import router as dossier_actions_router
from .dossiers import router as dossiers_router
from .errors import error_response, install_error_handlers, method_not_allowed
from .feedback import router as feedback_router
from .me import router as me_router
from .reports import router as reports_router
from .signatures import public as signatures_router
from .signatures import staff as signing_sessions_router
from .tracking import router as tracking_router
from .workdays import router as workdays_router


class MotcuaAPI(NinjaAPI):
    """NinjaAPI whose answers outside the operations keep the error shape too: a method an
    endpoint does not take (405, ninja answers it in plain text) and a path under the API
    that names no endpoint (404, Django would answer its HTML page)."""

    def _get_urls(self) -> list:
        patterns = [_shaped(pattern, self) for pattern in super()._get_urls()]
        return [*patterns, re_path(r"", _unknown_path(self), name="unknown-path")]


def _shaped(pattern, api: NinjaAPI):
    if not isinstance(pattern, URLPattern):
        return pattern
    # ninja's root view raises Http404; the pattern stays for its name (the document's prefix).
    root = pattern.name == "api-root"
    view = _unknown_path(api) if root else _json_405(pattern.callback, api)
    return URLPattern(pattern.pattern, view, pattern.default_args, pattern.name)


def _json_405(view: Callable, api: NinjaAPI) -> Callable:
    @wraps(view)
    def shaped(request: HttpRequest, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if isinstance(response, HttpResponseNotAllowed):
            return method_not_allowed(api, request, response["Allow"])
        return response

    return shaped


def _unknown_path(api: NinjaAPI) -> Callable:
    def unknown_path(request: HttpRequest, *args, **kwargs):
        return error_response(api, request, 404, "not_found", _("Not found"))

    unknown_path.csrf_exempt = True  # type: ignore[attr-defined]
    return unknown_path


api = MotcuaAPI(
    title="motcua API",
    version="1",
    description="JSON API of motcua, the open-source one-stop system for procedures. "
    'Every error answers {"error": {"code": ..., "message": ...}} (invalid input adds '
    "`details`); moments are ISO 8601 with their offset, written in Vietnam's time "
    "(+07:00), and moments sent without an offset are refused (422).",
    urls_namespace="api",
    docs_url="/docs",
    openapi_url="/openapi.json",
)
install_error_handlers(api)
install_auth_errors(api)
api.add_router("/procedures", catalogue_router)
api.add_router("/workdays", workdays_router)
api.add_router("/dossiers", dossiers_router)
api.add_router("/dossiers", dossier_actions_router)
api.add_router("/dossiers", attachments_router)
api.add_router("/tracking", tracking_router)
api.add_router("/me", me_router)
api.add_router("/reports", reports_router)
api.add_router("/feedback", feedback_router)
api.add_router("/signatures", signatures_router)
api.add_router("", signing_sessions_router)
