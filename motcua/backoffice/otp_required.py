"""With MOTCUA_ADMIN_REQUIRE_OTP on, the admin site (/admin/) is for sessions verified by a
code from the account's authenticator app: a signed-in but unverified session is sent to the
code page (backoffice otp-verify, which links to enrolment for an account without an app) and
comes back afterwards. The admin's sign-in and sign-out pages stay open. Off by default.

Placed after django_otp's OTPMiddleware, which tells whether the session is verified.
"""

from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse


class AdminOTPRequiredMiddleware:
    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if settings.MOTCUA_ADMIN_REQUIRE_OTP and _needs_code(request):
            query = urlencode({"next": request.get_full_path()})
            return HttpResponseRedirect(f"{reverse('backoffice:otp-verify')}?{query}")
        return self.get_response(request)


def _needs_code(request: HttpRequest) -> bool:
    if not request.path.startswith(reverse("admin:index")):
        return False
    if request.path in (reverse("admin:login"), reverse("admin:logout")):
        return False
    return request.user.is_authenticated and not request.user.is_verified()
