from django.urls import path

from . import feedback_views as fb
from . import rating_views as rate

app_name = "feedback"
urlpatterns = [
    path("danh-gia/ho-so/<str:code>/", rate.rate_my_dossier, name="rate-dossier"),
    path("danh-gia/lien-ket/<str:token>/", rate.rate_by_link, name="rate-link"),
    path("danh-gia/thiet-bi/<str:token>/", rate.device_rate, name="device-rate"),
    path("phan-anh/gui/", fb.send_feedback, name="send"),
    path("phan-anh/da-gui/<str:reference>/", fb.sent, name="sent"),
    path("phan-anh/cua-toi/", fb.my_feedback, name="mine"),
    path("phan-anh/cua-toi/<int:pk>/", fb.my_item, name="my-item"),
    path("phan-anh/cua-toi/<int:pk>/y-kien/", fb.react_mine, name="react-mine"),
    path("phan-anh/cua-toi/<int:pk>/bo-sung/", fb.supplement_mine, name="supplement-mine"),
    path("phan-anh/tra-loi/<str:token>/", fb.answer_link, name="answer-link"),
    path("muc-do-hai-long/", fb.published_satisfaction, name="satisfaction"),
    path("phan-anh/", fb.published_list, name="published-list"),
    path("phan-anh/<str:reference>/", fb.published, name="published"),
]
