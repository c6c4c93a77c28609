from django.urls import path

from . import deeplink, views

app_name = "filing"
urlpatterns = [
    path("ho-so-nhap/", views.drafts, name="drafts"),
    path("ho-so-nhap/<uuid:key>/", views.draft, name="draft"),
    path("ho-so-nhap/<uuid:key>/to-khai/", views.save_form, name="save-form"),
    path("ho-so-nhap/<uuid:key>/tep/", views.upload, name="upload"),
    path("ho-so-nhap/<uuid:key>/tep/<int:file_id>/xoa/", views.remove, name="remove"),
    path("ho-so-nhap/<uuid:key>/dung-lai/", views.reuse, name="reuse"),
    path("ho-so-nhap/<uuid:key>/nhan-ket-qua/", views.delivery, name="delivery"),
    path("ho-so-nhap/<uuid:key>/xem-lai/", views.review, name="review"),
    path("ho-so-nhap/<uuid:key>/nop/", views.submit, name="submit"),
    path("da-nop/<str:code>/", views.submitted, name="submitted"),
    path("ho-so/<str:code>/bo-sung/", views.supplement, name="supplement"),
    path("ho-so/<str:code>/rut/", views.withdraw, name="withdraw"),
    path("vnconnect/", deeplink.follow, name="vnconnect"),  # the DVCQG deep link
    path("<str:code>/", views.start, name="start"),
]
