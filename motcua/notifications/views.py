"""The opt-out page of the link in every notice: GET asks (a link previewer or a mail
scanner opening it changes nothing), POST stops the notices to that address."""

from django import forms
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from . import preferences
from .models import Channel


class OptOutForm(forms.Form):
    channel = forms.ChoiceField(
        label=_("Stop"),
        choices=[
            ("", _("every notice")),
            (Channel.SMS, _("SMS only")),
            (Channel.ZALO, _("Zalo only")),
            (Channel.EMAIL, _("e-mail only")),
        ],
        required=False,
    )


@require_http_methods(["GET", "POST"])
def opt_out(request: HttpRequest, token: str) -> HttpResponse:
    address = preferences.address_of(token)
    if address is None:
        raise Http404
    form = OptOutForm(request.POST or None)
    done = False
    if request.method == "POST" and form.is_valid():
        preferences.opt_out(address, channel=form.cleaned_data["channel"] or None)
        done = True
    masked = address[:3] + "…" + address[-3:]
    context = {"form": form, "done": done, "address": masked}
    return render(request, "notifications/opt_out.html", context)
