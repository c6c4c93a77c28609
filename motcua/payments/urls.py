from django.urls import path

from . import reconciliation_views, views

app_name = "payments"
urlpatterns = [
    path("", views.cashier, name="cashier"),
    path("ho-so/<str:code>/", views.dossier_payments, name="dossier"),
    path("ho-so/<str:code>/tinh/", views.compute, name="compute"),
    path("ho-so/<str:code>/<int:pk>/thu/", views.collect, name="collect"),
    path("ho-so/<str:code>/<int:pk>/so-luong/", views.quantities, name="quantities"),
    path("ho-so/<str:code>/<int:pk>/mien/", views.waive, name="waive"),
    path("ho-so/<str:code>/<int:pk>/hoan-tien/", views.refund, name="refund"),
    path("bien-lai/<int:pk>/", views.receipt, name="receipt"),
    path("doi-soat/", reconciliation_views.statements, name="statements"),
    path("doi-soat/dong/<int:pk>/", reconciliation_views.line, name="statement-line"),
    path("doi-soat/dong/<int:pk>/khop/", reconciliation_views.match, name="match-line"),
    path("doi-soat/dong/<int:pk>/bo-qua/", reconciliation_views.set_aside, name="set-aside"),
    path("doi-soat/bao-cao/", reconciliation_views.report, name="reconciliation-report"),
]
