from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from motcua.api.main import api
from motcua.organisations.admin import audited_password_change
from motcua.runtime.health import healthz
from motcua.runtime.metrics import metrics

admin.site.site_header = _("motcua administration")
admin.site.site_title = _("motcua administration")
admin.site.index_title = _("One-stop system administration")

handler500 = "motcua.runtime.errors.server_error"

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("metrics", metrics, name="metrics"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/password_change/", audited_password_change, name="admin-password-change"),
    path("admin/", admin.site.urls),
    path("backoffice/thu-phi/", include("motcua.payments.urls")),  # the cashier: fees, receipts
    path("backoffice/y-kien/", include("motcua.feedback.staff_urls")),  # feedback register, ratings
    path("backoffice/hang-doi/", include("motcua.queueing.urls")),  # counter widget, waiting times
    path("backoffice/ho-so/", include("motcua.registry.urls")),  # reuse a registered document
    path("backoffice/", include("motcua.backoffice.urls")),
    path("api/v1/", api.urls),
    path("thu-tuc/", include("motcua.portal.catalogue_urls")),
    path("tra-cuu/", include("motcua.portal.tracking_urls")),
    path("tai-khoan/", include("motcua.accounts.urls")),
    path("nop-truc-tuyen/", include("motcua.filing.urls")),  # filing online (citizens)
    path("fake-idp/", include("motcua.fakeidp.urls")),  # 404 unless MOTCUA_FAKE_IDP
    path("thanh-toan/", include("motcua.payments.online_urls")),  # the citizen pays online
    path("fake-pay/", include("motcua.fakepay.urls")),  # 404 unless MOTCUA_FAKE_PAYMENTS
    path("thong-bao/", include("motcua.notifications.urls")),  # opting out of notices
    path("y-kien/", include("motcua.feedback.urls")),  # ratings, feedback, published answers
    path("", include("motcua.queueing.public_urls")),  # kiosk, board, rating tablet, booking
    path("xac-thuc-chu-ky/", include("motcua.signing.urls")),  # check a signed PDF (public)
    path("", include("motcua.portal.urls")),
]

# Uploaded files are never served as static media: dossier attachments hold personal data and
# are downloaded through a permission-checked view (backoffice "attachment").
