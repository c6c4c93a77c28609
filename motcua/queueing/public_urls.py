"""The centre's devices, in any browser: the ticket kiosk, the lookup kiosk, the board, the
rating tablet, and the booking of a visit."""

from django.urls import path

from . import board_views, booking_views, kiosk_views, lookup_views, tablet_views

app_name = "queueing-public"
urlpatterns = [
    path("kiosk/", kiosk_views.index, name="kiosk-index"),
    path("kiosk/tra-cuu/", lookup_views.lookup, name="lookup"),
    path("kiosk/tra-cuu/thu-tuc/<str:code>/", lookup_views.procedure, name="lookup-procedure"),
    path("kiosk/ve/<str:token>/", kiosk_views.ticket, name="ticket"),
    path("kiosk/ve/<str:token>/anh.png", kiosk_views.ticket_image, name="ticket-image"),
    path("kiosk/ve/<str:token>/escpos.bin", kiosk_views.ticket_escpos, name="ticket-escpos"),
    path("kiosk/<slug:slug>/", kiosk_views.kiosk, name="kiosk"),
    path("kiosk/<slug:slug>/lay-so/", kiosk_views.take, name="take"),
    path("kiosk/<slug:slug>/check-in/", kiosk_views.check_in, name="check-in"),
    path("bang-dien-tu/<slug:slug>/", board_views.page, name="board"),
    path("bang-dien-tu/<slug:slug>/su-kien/", board_views.feed, name="board-feed"),
    path("bang-dien-tu/<slug:slug>/loi-goi/<int:event>.wav", board_views.audio, name="board-audio"),
    path("danh-gia/<slug:code>/", tablet_views.tablet, name="tablet"),
    path("danh-gia/<slug:code>/ve/<int:ticket>/", tablet_views.rate, name="tablet-rate"),
    path("danh-gia/<slug:code>/anh.jpg", tablet_views.photo, name="tablet-photo"),
    path("dat-lich/", booking_views.index, name="book-index"),
    path("dat-lich/<slug:slug>/", booking_views.book, name="book"),
    path("dat-lich/hen/<str:code>/", booking_views.appointment, name="appointment"),
]
