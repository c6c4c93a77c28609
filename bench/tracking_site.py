"""URLconf of the tracking benchmark's server only: the product's URLs plus /bench/bare/, a
JSON view that does nothing, as the baseline of the same server and middleware."""

from django.http import HttpRequest, JsonResponse
from django.urls import path

from motcua.urls import urlpatterns as product_urlpatterns


def bare(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"ok": True})


urlpatterns = [path("bench/bare/", bare), *product_urlpatterns]
