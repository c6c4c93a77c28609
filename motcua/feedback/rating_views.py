"""The rating pages: the signed-in citizen rates their dossier (/y-kien/danh-gia/ho-so/…),
the link in a notice (/y-kien/danh-gia/lien-ket/<token>/), the counter device
(/y-kien/danh-gia/thiet-bi/<token>/). Each: who and which dossier from the session or the
token (never from what is posted), the form, one service (ratings.record_rating), the
page again with what was chosen on a refusal."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from motcua.accounts.models import CitizenAccount
from motcua.accounts.views import citizen_required
from motcua.dossiers.permissions import get_account_dossier

from . import devices
from .errors import FeedbackError
from .forms import RatingForm
from .models import Channel, Level
from .ratings import may_rate_online, rating_of, record_rating


def _initial(rating) -> dict:
    if rating is None:
        return {}
    initial = {"level": rating.level, "comment": rating.comment}
    initial["liked"] = "" if rating.liked is None else ("1" if rating.liked else "0")
    initial.update({f"c_{k}": v for k, v in rating.criteria.items()})
    return initial


def _rate(request, dossier, channel, template, extra, **service) -> HttpResponse:
    """GET: the form (with the rating already given); POST: record it."""
    rating = rating_of(dossier, channel)
    criteria = channel != Channel.DEVICE
    if request.method != "POST":
        form = RatingForm(initial=_initial(rating), criteria=criteria)
        return render(
            request, template, {**extra, "dossier": dossier, "form": form, "rating": rating}
        )
    form = RatingForm(request.POST, criteria=criteria)
    status = 400
    if form.is_valid():
        try:
            rating, _changed = record_rating(
                dossier=dossier, channel=channel, given=form.given(), **service
            )
        except FeedbackError as error:
            form.add_error(None, error.message)
            status = error.status
        else:
            return render(
                request, template, {**extra, "dossier": dossier, "rating": rating, "thanked": True}
            )
    context = {**extra, "dossier": dossier, "form": form, "rating": rating}
    return render(request, template, context, status=status)


@never_cache
@citizen_required
def rate_my_dossier(request: HttpRequest, code: str) -> HttpResponse:
    """The citizen rates one of their dossiers once it has its result (portal channel)."""
    account = CitizenAccount.objects.get(user=request.user.pk)
    dossier = get_account_dossier(account, code)
    if not may_rate_online(dossier):
        return render(request, "feedback/rate_closed.html", {"dossier": dossier}, status=409)
    return _rate(
        request, dossier, Channel.PORTAL, "feedback/rate.html", {"mine": True}, actor=request.user
    )


def _refused(request, error: FeedbackError, template="feedback/token_refused.html"):
    return render(request, template, {"message": error.message}, status=error.status)


@never_cache
def rate_by_link(request: HttpRequest, token: str) -> HttpResponse:
    """The rating link of a notice: the token names the dossier (devices.issue_link_token)."""
    try:
        dossier = devices.read_link_token(token)
    except FeedbackError as error:
        return _refused(request, error)
    if not may_rate_online(dossier):
        return render(request, "feedback/rate_closed.html", {"dossier": dossier}, status=409)
    return _rate(request, dossier, Channel.NOTICE_LINK, "feedback/rate.html", {"mine": False})


@never_cache
def device_rate(request: HttpRequest, token: str) -> HttpResponse:
    """The counter device's screen: four large buttons, the dossier and the counter from the
    token (devices.py); a tap records the rating on the "counter device" channel."""
    try:
        claim = devices.read_device_token(token)
    except FeedbackError as error:
        return _refused(request, error, "feedback/device_refused.html")
    context = {
        "claim": claim,
        "dossier": claim.dossier,
        "levels": Level.choices,
        "token": token,
        "back": _local_path(request.GET.get("next", "")),
    }
    if request.method != "POST":
        context["rating"] = rating_of(claim.dossier, Channel.DEVICE)
        return render(request, "feedback/device.html", context)
    form = RatingForm(request.POST, criteria=False)
    if not form.is_valid():
        context["error"] = _("Press one of the four buttons.")
        return render(request, "feedback/device.html", context, status=400)
    try:
        rating, _changed = record_rating(
            dossier=claim.dossier,
            channel=Channel.DEVICE,
            given=form.given(),
            **_device_context(claim),
        )
    except FeedbackError as error:
        context["error"] = error.message
        return render(request, "feedback/device.html", context, status=error.status)
    context.update(rating=rating, thanked=True)
    return render(request, "feedback/device.html", context)


def _local_path(target: str) -> str:
    """`next` (the queue's tablet page, to return to after the thanks) if it is a path of
    this site; empty otherwise (never an open redirect)."""
    if target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return ""


def _device_context(claim: devices.DeviceClaim) -> dict:
    from django.contrib.auth import get_user_model

    officer = None
    if claim.officer_id:
        officer = get_user_model().objects.filter(pk=claim.officer_id).first()
    return {
        "officer": officer,
        "counter_code": claim.counter_code,
        "ticket_number": claim.ticket_number,
    }
