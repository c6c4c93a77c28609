"""The JSON API under /api/v1/ (django-ninja); each domain adds its router here."""

from ninja import NinjaAPI

from .catalogue import router as catalogue_router
from .errors import install_error_handlers
from .workdays import router as workdays_router

api = NinjaAPI(
    title="motcua API",
    version="1",
    description="JSON API of motcua, the open-source one-stop system for procedures.",
    urls_namespace="api",
    docs_url="/docs",
    openapi_url="/openapi.json",
)
install_error_handlers(api)
api.add_router("/procedures", catalogue_router)
api.add_router("/workdays", workdays_router)
