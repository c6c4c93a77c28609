"""Two-step sign-in pages for administrators (rules: organisations/two_factor.py).

/backoffice/bao-mat/xac-thuc-hai-buoc/ enrols an authenticator app: the otpauth address as a
QR code and as a key to type, then a code to confirm. /backoffice/bao-mat/ma-xac-thuc/ asks
for a code and marks the session verified (django_otp.login), then returns to `next`; the
admin site sends unverified sessions there when MOTCUA_ADMIN_REQUIRE_OTP is on.
"""

import io
from base64 import b32encode
from urllib.parse import urlencode

import segno
from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django_otp import login as otp_login

from motcua.organisations import two_factor


class CodeForm(forms.Form):
    code = forms.RegexField(
        label=_("Code from the authenticator app"),
        regex=r"^\s*\d{6}\s*$",
        error_messages={"invalid": _("Enter the 6 digits shown by the app.")},
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "autofocus": True}
        ),
    )

    def clean_code(self) -> str:
        return self.cleaned_data["code"].strip()


@login_required
def enrol(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not two_factor.may_enrol(user):
        raise PermissionDenied
    enrolled = two_factor.confirmed_device(user)
    if enrolled is not None and not user.is_verified():
        # Replacing a device needs the current one: a password alone must not do it.
        return redirect(_with_next(reverse("backoffice:otp-verify"), request.path))
    form = CodeForm(request.POST or None)
    accepted = _accept_code(request, form, two_factor.confirm_device, "backoffice:otp-enrol")
    if accepted is not None:
        return accepted
    device = two_factor.pending_device(user)
    context = {
        "form": form,
        "enrolled": enrolled,
        "qr": _qr_svg(device.config_url),
        "key": b32encode(device.bin_key).decode(),
        "next": _next(request),
    }
    return render(request, "backoffice/otp_enrol.html", context, status=_status(form))


@login_required
def verify(request: HttpRequest) -> HttpResponse:
    user = request.user
    if user.is_verified():
        return redirect(_next(request) or reverse("admin:index"))
    form = CodeForm(request.POST or None)
    accepted = _accept_code(request, form, two_factor.verify_code, "admin:index")
    if accepted is not None:
        return accepted
    context = {
        "form": form,
        "enrolled": two_factor.confirmed_device(user) is not None,
        "may_enrol": two_factor.may_enrol(user),
        "next": _next(request),
    }
    return render(request, "backoffice/otp_verify.html", context, status=_status(form))


def _accept_code(request: HttpRequest, form: CodeForm, check, default: str):
    """A valid code `check(user, code)` accepts verifies the session and goes on (to `next`
    or `default`); otherwise the form says so and the caller draws the page again."""
    if not form.is_valid():
        return None
    device = check(request.user, form.cleaned_data["code"])
    if device is None:
        form.add_error("code", _("This code is not right. Wait for the next one and try again."))
        return None
    otp_login(request, device)
    return redirect(_next(request) or reverse(default))


def _qr_svg(text: str) -> str:
    """The QR code as inline SVG, 5 px a module (CSP allows no inline style to scale it)."""
    buffer = io.BytesIO()
    segno.make_qr(text, error="m").save(buffer, kind="svg", scale=5, border=4, xmldecl=False)
    return buffer.getvalue().decode("ascii")


def _status(form: CodeForm) -> int:
    return 400 if form.errors else 200


def _next(request: HttpRequest) -> str | None:
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return None


def _with_next(url: str, target: str) -> str:
    return f"{url}?{urlencode({'next': target})}"
