"""The citizen's feedback pages: send (an account optional), the published answers (public,
without personal data), the signed-in person's own items, the link in the answer's notice
where the sender likes or dislikes it."""

from datetime import date

from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from motcua.accounts.views import citizen_required

from . import notices, register, satisfaction
from .errors import FeedbackError
from .forms import FeedbackForm
from .models import Feedback
from .senders import account_of as _account
from .senders import sender_dossier as _dossier
from .senders import sender_follow_up as _follow_up
from .senders import sending_agencies

PAGE = 20


def _initial(account, again: str = "") -> dict:
    initial = {"token": register.new_token(), "again": again[:32]}
    if account is not None:
        initial.update(name=account.full_name, phone=account.phone, email=account.email)
    centre = sending_agencies().filter(kind__in=["provincial_centre", "commune_centre"]).first()
    if centre is not None:
        initial["agency"] = centre.pk
    return initial


def submission(form, *, source: str, user, dossier) -> register.Submission:
    data = form.cleaned_data
    agency = dossier.receiving_agency if dossier is not None else data["agency"]
    return register.Submission(
        source=source,
        agency=agency,
        sender=register.Sender(data["name"], data["address"], data["phone"], data["email"], user),
        subject=data["subject"],
        title=data["title"],
        body=data["body"],
        dossier=dossier,
        uploads=form.files.getlist("attachments"),
        token=data["token"],
    )


@never_cache
def send_feedback(request: HttpRequest) -> HttpResponse:
    """Send feedback or a complaint (Decree 20/2008 art. 6: in writing, through the portal)."""
    account = _account(request)
    if request.method != "POST":
        initial = _initial(account, request.GET.get("lai", ""))
        form = FeedbackForm(initial=initial, agencies=sending_agencies())
        return render(request, "feedback/send.html", {"form": form, "account": account})
    form = FeedbackForm(request.POST, request.FILES, agencies=sending_agencies())
    status = 400
    if form.is_valid():
        try:
            dossier = _dossier(form.cleaned_data["code"], account, form.cleaned_data["phone"])
            user = account.user if account is not None else None
            sub = submission(form, source=Feedback.Source.PORTAL, user=user, dossier=dossier)
            sub.follow_up_of = _follow_up(
                form.cleaned_data["again"], account, form.cleaned_data["phone"]
            )
            item, _created = register.receive_feedback(sub, actor=user)
        except FeedbackError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
            status = error.status
        else:
            return redirect(reverse("feedback:sent", args=[item.reference]))
    return render(request, "feedback/send.html", {"form": form, "account": account}, status=status)


def sent(request: HttpRequest, reference: str) -> HttpResponse:
    """The acknowledgement: the reference and the deadline, nothing personal."""
    item = get_object_or_404(
        Feedback.objects.only("reference", "handle_due_at"), reference=reference
    )
    return render(request, "feedback/sent.html", {"item": item})


def published_list(request: HttpRequest) -> HttpResponse:
    """Published answers (Decree 20/2008 art. 19), personal data taken out."""
    found = Feedback.objects.filter(state=Feedback.State.PUBLISHED).select_related(
        "handling_agency"
    )
    query = request.GET.get("q", "").strip()[:100]
    if query:
        found = found.filter(Q(public_title__icontains=query) | Q(public_answer__icontains=query))
    page = Paginator(found.order_by("-published_at", "-pk"), PAGE).get_page(
        request.GET.get("trang")
    )
    return render(request, "feedback/published_list.html", {"page": page, "query": query})


def published(request: HttpRequest, reference: str) -> HttpResponse:
    item = get_object_or_404(
        Feedback.objects.select_related("handling_agency"),
        reference=reference,
        state=Feedback.State.PUBLISHED,
    )
    return render(request, "feedback/published.html", {"item": item})


@never_cache
@citizen_required
def my_feedback(request: HttpRequest) -> HttpResponse:
    found = Feedback.objects.filter(sender_user_id=request.user.pk).order_by("-received_at", "-pk")
    page = Paginator(found, PAGE).get_page(request.GET.get("trang"))
    return render(request, "feedback/mine.html", {"page": page})


@never_cache
@citizen_required
def my_item(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(Feedback, pk=pk, sender_user_id=request.user.pk)
    return render(
        request,
        "feedback/own.html",
        {"item": item, "react_url": reverse("feedback:react-mine", args=[pk])},
    )


@require_POST
@citizen_required
def supplement_mine(request: HttpRequest, pk: int) -> HttpResponse:
    """The signed-in sender answers the agency's request for a supplement online."""
    item = get_object_or_404(Feedback, pk=pk, sender_user_id=request.user.pk)
    text = request.POST.get("text", "")
    try:
        register.receive_supplement(
            item,
            actor=request.user,
            text=text,
            seen_state=Feedback.State.SUPPLEMENT_REQUESTED,
            by_sender=True,
        )
    except FeedbackError as error:
        context = {
            "item": item,
            "supplement_error": error.message,
            "supplement_text": text,
            "react_url": reverse("feedback:react-mine", args=[pk]),
        }
        return render(request, "feedback/own.html", context, status=error.status)
    return redirect("feedback:my-item", pk=pk)


@require_POST
@citizen_required
def react_mine(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(Feedback, pk=pk, sender_user_id=request.user.pk)
    return _react(request, item, request.user, reverse("feedback:my-item", args=[pk]))


@never_cache
def answer_link(request: HttpRequest, token: str) -> HttpResponse:
    """The answer as its sender sees it, from the link in the notice (no account needed)."""
    item = _by_token(token)
    if request.method == "POST":
        return _react(request, item, None, request.path)
    return render(request, "feedback/own.html", {"item": item, "react_url": request.path})


def _by_token(token: str) -> Feedback:
    pk = notices.read_answer_token(token)
    item = Feedback.objects.filter(pk=pk).first() if pk else None
    if item is None:
        raise Http404
    return item


def _react(request, item: Feedback, actor, back: str) -> HttpResponse:
    opinion = request.POST.get("liked")
    context = {"item": item, "react_url": request.path}
    if opinion not in ("1", "0"):
        context["error"] = _("Choose like or dislike.")
        return render(request, "feedback/own.html", context, status=400)
    try:
        register.react_to_answer(item, liked=opinion == "1", actor=actor)
    except FeedbackError as error:
        context["error"] = error.message
        return render(request, "feedback/own.html", context, status=error.status)
    return redirect(back + "?cam-on=1")


def _quarter(request) -> tuple[int, int]:
    today = timezone.localdate()
    try:
        year = int(request.GET.get("nam") or today.year)
        number = int(request.GET.get("quy") or (today.month - 1) // 3 + 1)
    except ValueError:
        return today.year, (today.month - 1) // 3 + 1
    if not (2018 <= year <= today.year + 1 and 1 <= number <= 4):
        return today.year, (today.month - 1) // 3 + 1
    return year, number


def published_satisfaction(request: HttpRequest) -> HttpResponse:
    """The satisfaction of a quarter per unit, as a centre announces it (Decree 61/2018 art.
    32: results are published): counts only, no officer and nobody named."""
    year, number = _quarter(request)
    first = date(year, 3 * number - 2, 1)
    after = date(year + (number == 4), (3 * number) % 12 + 1, 1)
    rows, total = satisfaction.build(
        satisfaction.ratings_in(first, after, None), satisfaction.By.UNIT
    )
    context = {
        "rows": rows,
        "total": total,
        "year": year,
        "number": number,
        "years": range(timezone.localdate().year, 2017, -1),
    }
    return render(request, "feedback/published_satisfaction.html", context)
