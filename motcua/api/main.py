"""The JSON API under /api/v1/ (django-ninja); each domain adds its router here."""

from ninja import NinjaAPI

api = NinjaAPI(
    title="motcua API",
    version="1",
    description="JSON API of motcua, the open-source one-stop system for procedures.",
    urls_namespace="api",
    docs_url="/docs",
    openapi_url="/openapi.json",
)
