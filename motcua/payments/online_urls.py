from django.urls import path

from . import online_views as views

app_name = "online_payments"
urlpatterns = [
    path("nen-tang/xac-nhan/", views.platform_confirm, name="platform-confirm"),
    path("<str:code>/", views.pay_page, name="pay"),
    path("<str:code>/<int:pk>/nen-tang/", views.start, name="start"),
    path("<str:code>/ket-qua/", views.returned, name="return"),
    path("<str:code>/bien-lai/<int:pk>/", views.receipt, name="receipt"),
]
