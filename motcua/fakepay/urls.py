from django.urls import path

from . import views

app_name = "fakepay"
urlpatterns = [
    path("api", views.api, name="api"),
    path("pay/<str:reference>/", views.pay, name="pay"),
    path("send-now", views.send_now, name="send-now"),
]
