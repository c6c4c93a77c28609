"""One error shape for the whole API: {"error": {"code": ..., "message": ...}}."""

from django.http import Http404
from ninja import NinjaAPI
from ninja.errors import ValidationError as NinjaValidationError

from motcua.catalogue.errors import CatalogueError
from motcua.dossiers.errors import DossierError
from motcua.workdays.errors import WorkdaysError


def error_body(code: str, message: str, **extra) -> dict:
    return {"error": {"code": code, "message": message, **extra}}


def install_error_handlers(api: NinjaAPI) -> None:
    @api.exception_handler(NinjaValidationError)
    def invalid_input(request, exc):
        return api.create_response(
            request, error_body("invalid_input", "Invalid input", details=exc.errors), status=422
        )

    @api.exception_handler(Http404)
    def not_found(request, exc):
        return api.create_response(request, error_body("not_found", "Not found"), status=404)

    @api.exception_handler(CatalogueError)
    def catalogue_error(request, exc):
        return api.create_response(request, error_body(exc.code, exc.message), status=400)

    @api.exception_handler(WorkdaysError)
    def workdays_error(request, exc):
        body = error_body(exc.code, str(exc.message))
        return api.create_response(request, body, status=exc.status)

    @api.exception_handler(DossierError)
    def dossier_error(request, exc):
        return api.create_response(request, error_body(exc.code, exc.message), status=exc.status)
