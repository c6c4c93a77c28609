from django.urls import path

from . import appraisal_views, quality_views

urlpatterns = [
    path("", quality_views.indicators_page, name="quality"),
    path("giam-sat/", quality_views.supervision_page, name="supervision"),
    path("tham-dinh/<int:agency>/", appraisal_views.appraisal_page, name="appraisal"),
]
