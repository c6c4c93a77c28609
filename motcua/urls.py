from django.conf import settings
from django.conf.urls.i18n import i18n_patterns  # noqa: F401  (kept for later language prefixes)
from django.contrib import admin
from django.urls import include, path

from motcua.api.main import api

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("thu-tuc/", include("motcua.portal.catalogue_urls")),
    path("", include("motcua.portal.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
