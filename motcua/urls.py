from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from motcua.api.main import api

admin.site.site_header = _("motcua administration")
admin.site.site_title = _("motcua administration")
admin.site.index_title = _("One-stop system administration")

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("backoffice/", include("motcua.backoffice.urls")),
    path("api/v1/", api.urls),
    path("thu-tuc/", include("motcua.portal.catalogue_urls")),
    path("tra-cuu/", include("motcua.portal.tracking_urls")),
    path("", include("motcua.portal.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
