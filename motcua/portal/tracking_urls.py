from django.urls import path

from . import tracking_views as views

app_name = "tracking"
urlpatterns = [
    path("", views.track, name="track"),
]
