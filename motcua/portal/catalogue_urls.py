from django.urls import path

from . import catalogue_views as views

app_name = "catalogue"
urlpatterns = [
    path("", views.procedure_list, name="list"),
    path("<str:code>/", views.procedure_detail, name="detail"),
]
