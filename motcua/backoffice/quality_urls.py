from django.urls import path

from . import quality_views

urlpatterns = [
    path("", quality_views.indicators_page, name="quality"),
    path("giam-sat/", quality_views.supervision_page, name="supervision"),
]
