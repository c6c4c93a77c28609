from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext_lazy as _

from motcua.throttle.clients import client_address

from .errors import SigningFailed
from .verify import verify_upload

TEMPLATE = "signing/verify.html"


class VerifyForm(forms.Form):
    file = forms.FileField(
        label=_("Signed PDF file"),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
    )


def verify(request: HttpRequest) -> HttpResponse:
    """GET: the form; POST: the report of every signature in the uploaded PDF."""
    context: dict = {"form": VerifyForm()}
    status = 200
    if request.method == "POST":
        form = VerifyForm(request.POST, request.FILES)
        context["form"] = form
        if form.is_valid():
            upload = form.cleaned_data["file"]
            context["file_name"] = upload.name
            try:
                context["report"] = verify_upload(upload, client=client_address(request))
            except SigningFailed as refused:
                context["error"], status = refused.message, refused.status
        else:
            status = 400
    response = render(request, TEMPLATE, context, status=status)
    add_never_cache_headers(response)
    return response
