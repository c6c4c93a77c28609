"""The public tracking page /tra-cuu/: parse the form, ask dossiers.tracking, render.

`GET /tra-cuu/?ma=<code>` (the link in the receipt's QR code) shows the code-only view. The
last 4 digits are sent by POST, so that they stay out of addresses, browser history and
server logs on shared computers such as a lookup kiosk.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext_lazy as _

from motcua.dossiers.tracking import TrackingError, clean_secret, track_dossier
from motcua.throttle.clients import client_address

TEMPLATE = "portal/tracking/page.html"


class DigitsInput(forms.TextInput):
    """Visible while typing, never written back into the page, like a password."""

    def format_value(self, value) -> None:
        return None


class TrackingForm(forms.Form):
    ma = forms.CharField(label=_("Dossier code"), max_length=64)
    secret = forms.CharField(
        label=_("Last 4 digits of the applicant's phone or ID number"),
        required=False,
        max_length=4,
        widget=DigitsInput,
        help_text=_("Optional: shows where the dossier is and the appointment."),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["ma"].widget.attrs.update(
            {"placeholder": _("e.g. H42.50.01-260309-0001"), "autocapitalize": "characters"}
        )
        self.fields["secret"].widget.attrs.update(
            {"inputmode": "numeric", "autocomplete": "off", "pattern": "[0-9]{4}"}
        )

    def clean_secret(self) -> str | None:
        try:
            return clean_secret(self.cleaned_data.get("secret"))
        except TrackingError as exc:
            raise ValidationError(exc.message) from None


def track(request: HttpRequest) -> HttpResponse:
    response = _track(request)
    if request.method == "POST":
        # Answers to the digits may carry the details: no cache may keep them.
        add_never_cache_headers(response)
    return response


def _track(request: HttpRequest) -> HttpResponse:
    data = request.POST if request.method == "POST" else _code_only(request)
    form = TrackingForm(data or None)
    context: dict = {"form": form}
    if not form.is_valid():
        return render(request, TEMPLATE, context)
    try:
        context["tracking"] = track_dossier(
            form.cleaned_data["ma"], form.cleaned_data["secret"], client=client_address(request)
        )
    except TrackingError as exc:
        return _error(request, context, exc)
    return render(request, TEMPLATE, context)


def _code_only(request: HttpRequest) -> dict:
    """From the query string only the code is taken (a secret there is ignored)."""
    return {"ma": request.GET["ma"]} if request.GET.get("ma", "").strip() else {}


def _error(request: HttpRequest, context: dict, exc: TrackingError) -> HttpResponse:
    context["error"] = exc
    response = render(request, TEMPLATE, context, status=exc.status)
    if exc.retry_after is not None:
        response["Retry-After"] = str(exc.retry_after)
    return response
