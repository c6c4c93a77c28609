from django.urls import path

from . import catalogue_views as views

app_name = "catalogue"
urlpatterns = [
    path("mau/<int:component_id>/", views.form_template, name="form"),
    path("", views.procedure_list, name="list"),
    path("<str:code>/", views.procedure_detail, name="detail"),
]
