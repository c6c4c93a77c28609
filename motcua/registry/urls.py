from django.urls import path

from . import views

app_name = "registry"
urlpatterns = [
    path(
        "<str:code>/dung-lai/<int:component>/<int:document>/",
        views.reuse_document,
        name="reuse",
    ),
]
