"""The site's urls with the opt-out page (as motcua/urls.py would route it)."""

from django.urls import include, path

from motcua.urls import urlpatterns as site

urlpatterns = [path("thong-bao/", include("motcua.notifications.urls")), *site]
