from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("", views.home, name="home"),
    path("ho-so/", views.my_dossiers, name="dossiers"),
    path("ho-so/<str:code>/", views.my_dossier, name="dossier"),
    path("ho-so/<str:code>/ket-qua/<int:pk>/", views.my_result, name="result"),
    path("ho-so/<str:code>/mau/<str:form>/", views.my_form, name="form"),
    path("dang-nhap/", views.login, name="login"),
    path("dang-nhap/mat-khau/", views.local_login, name="local-login"),
    path("dang-ky/", views.register, name="register"),
    path("xac-nhan/", views.confirm, name="confirm"),
    path("dang-nhap/<str:provider>/", views.StartView.as_view(), name="start"),
    path(
        "dang-nhap/dvcqg/callback/",
        views.CallbackView.as_view(provider_key="dvcqg"),
        name="callback-dvcqg",
    ),
    path(
        "dang-nhap/vneid/callback/",
        views.CallbackView.as_view(provider_key="vneid"),
        name="callback-vneid",
    ),
    path("lien-ket/", views.link, name="link"),
    path("dang-xuat/", views.logout, name="logout"),
    path("da-dang-xuat/", views.signed_out, name="signed-out"),
]
