from django.contrib.auth import views as auth_views
from django.urls import include, path

from . import (
    attachment_views,
    book_views,
    dossier_views,
    intake_views,
    otp_views,
    process_views,
)

app_name = "backoffice"
urlpatterns = [
    path("", dossier_views.home, name="home"),
    path(
        "dang-nhap/",
        auth_views.LoginView.as_view(template_name="backoffice/login.html"),
        name="login",
    ),
    path("dang-xuat/", auth_views.LogoutView.as_view(), name="logout"),
    path("bao-mat/xac-thuc-hai-buoc/", otp_views.enrol, name="otp-enrol"),
    path("bao-mat/ma-xac-thuc/", otp_views.verify, name="otp-verify"),
    path("tiep-nhan/", intake_views.choose_procedure, name="intake-choose"),
    path("tiep-nhan/nguoi-nop/", intake_views.applicant_lookup, name="applicant-lookup"),
    path("tiep-nhan/<str:code>/", intake_views.intake, name="intake"),
    path("viec-cua-toi/", process_views.my_work, name="my-work"),
    path("viec-cua-toi/<slug:slug>/", process_views.my_queue, name="my-queue"),
    path("so-theo-doi/", book_views.tracking_book, name="tracking-book"),
    path("ho-so/<str:code>/", dossier_views.dossier, name="dossier"),
    path("ho-so/<str:code>/xu-ly/<slug:action>/", process_views.act, name="act"),
    path("ho-so/<str:code>/in/<str:form>/", process_views.print_form, name="print"),
    path("ho-so/<str:code>/dinh-kem/", attachment_views.upload, name="attach"),
    path("ho-so/<str:code>/tep/<int:pk>/", attachment_views.download, name="attachment"),
    # Statistics (Biểu 06) and quality indicators / supervision, each in its own module.
    path("bao-cao/", include("motcua.backoffice.report_urls")),
    path("chat-luong/", include("motcua.backoffice.quality_urls")),
]
