from django.urls import path

from . import staff_views as views

app_name = "feedback_staff"
urlpatterns = [
    path("", views.register_page, name="register"),
    path("moi/", views.enter_item, name="enter"),
    path("qua-han/", views.overdue_page, name="overdue"),
    path("phieu-danh-gia/", views.paper_rating, name="paper"),
    path("muc-do-hai-long/", views.satisfaction_page, name="satisfaction"),
    path("<int:pk>/", views.item_page, name="item"),
    path("<int:pk>/tep/<int:file_pk>/", views.item_file, name="file"),
    path("<int:pk>/<str:action>/", views.act, name="act"),
]
