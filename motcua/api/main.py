"""The JSON API under /api/v1/ (django-ninja); each domain adds its router here."""

from ninja import NinjaAPI

from .attachments import router as attachments_router
from .auth import install_auth_errors
from .catalogue import router as catalogue_router
from .dossier_actions import router as dossier_actions_router
from .dossiers import router as dossiers_router
from .errors import install_error_handlers
from .me import router as me_router
from .reports import router as reports_router
from .tracking import router as tracking_router
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
install_auth_errors(api)
api.add_router("/procedures", catalogue_router)
api.add_router("/workdays", workdays_router)
api.add_router("/dossiers", dossiers_router)
api.add_router("/dossiers", dossier_actions_router)
api.add_router("/dossiers", attachments_router)
api.add_router("/tracking", tracking_router)
api.add_router("/me", me_router)
api.add_router("/reports", reports_router)
