from django.urls import path

from . import report_views

urlpatterns = [
    path("", report_views.report, name="report"),
    path("excel/", report_views.report_excel, name="report-excel"),
    path("pdf/", report_views.report_pdf, name="report-pdf"),
    path("ho-so/", report_views.dossiers, name="report-dossiers"),
]
