"""The counter widget and the day's figures, in the back office (/backoffice/hang-doi/)."""

from django.urls import path

from . import counter_views, figures_views, monthly_views, photo_views

app_name = "queueing"
urlpatterns = [
    path("", counter_views.counters, name="counters"),
    path("quay/<int:pk>/", counter_views.widget, name="widget"),
    path("quay/<int:pk>/nhan-quay/", counter_views.take, name="take"),
    path("quay/<int:pk>/roi-quay/", counter_views.leave, name="leave"),
    path("quay/<int:pk>/goi-tiep/", counter_views.call_next, name="call-next"),
    path("quay/<int:pk>/dang-cho/", counter_views.waiting, name="waiting"),
    path("quay/<int:pk>/cap-so/", counter_views.give, name="give"),
    path("quay/<int:pk>/phuc-vu/", counter_views.serve, name="serve"),
    path("quay/<int:pk>/ve/<int:ticket>/chuyen/", counter_views.transfer, name="transfer"),
    path("quay/<int:pk>/ve/<int:ticket>/<slug:operation>/", counter_views.operate, name="operate"),
    path("mo-ho-so/", counter_views.open_dossier, name="open-dossier"),
    path("so-lieu/<slug:slug>/", figures_views.day_figures, name="figures"),
    path("thang/", monthly_views.month_figures, name="monthly"),
    path("thang/excel/", monthly_views.month_excel, name="monthly-excel"),
    path("anh-cua-toi/", photo_views.my_photo, name="my-photo"),
    path("anh/<int:user>.jpg", photo_views.staff_photo, name="staff-photo"),
]
