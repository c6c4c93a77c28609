"""The citizen's online filing pages (/nop-truc-tuyen/), phone first: start from a procedure,
one page to fill the e-form, upload the documents and choose how to receive the result (each
part saved on its own, so a dropped connection loses at most the part being sent), a review,
the submission and its acknowledgement with the dossier's code and QR code. Then, on one of
their dossiers: answer a supplement request, ask to withdraw.

Every page is the signed-in person's own: a draft or a dossier of anybody else is a 404.
A refused form is drawn again with what was typed and the reason beside it (status 400)."""

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from motcua.accounts.models import CitizenAccount
from motcua.accounts.views import citizen_required
from motcua.catalogue.models import Channel, Procedure
from motcua.documents.qr import qr_svg, tracking_url
from motcua.dossiers import online
from motcua.dossiers.errors import DossierError
from motcua.dossiers.permissions import get_account_dossier
from motcua.dossiers.status import Action, allowed_actions

from . import services
from .forms import DeliveryForm, EForm, NoteForm, StartForm
from .models import Draft


def _account(request: HttpRequest) -> CitizenAccount:
    return CitizenAccount.objects.get(user=request.user.pk)


def _procedure(code: str) -> Procedure:
    return get_object_or_404(
        Procedure.objects.published().select_related("current_version"), code=code
    )


@never_cache
@require_http_methods(["GET", "POST"])
def start(request: HttpRequest, code: str) -> HttpResponse:
    """What filing this procedure online takes, and the agency to file with."""
    procedure = _procedure(code)
    version = procedure.current_version
    if not services.offered_online(version):
        shown = {"procedure": procedure, "version": version}
        return render(request, "filing/not_online.html", shown, status=404)
    assert version is not None
    agencies = services.filing_agencies(version)
    form = StartForm(agencies, request.POST or None)
    chosen = request.GET.get("co_quan", "")
    if chosen.isdigit() and int(chosen) in {a.pk for a in agencies}:  # from the deep link
        form.fields["agency"].initial = int(chosen)
    signed_in = request.user.is_authenticated and hasattr(request.user, "citizen_account")
    status = 200
    if request.method == "POST":
        if not signed_in:
            return redirect(f"{reverse('accounts:login')}?next={request.path}")
        if form.is_valid():
            try:
                draft = services.start_draft(
                    _account(request), procedure, form.cleaned_data["agency"]
                )
            except DossierError as error:
                form.add_error("agency", error.message)
            else:
                return redirect("filing:draft", key=draft.key)
        status = 400
    context: dict[str, object] = {
        "procedure": procedure,
        "version": version,
        "form": form,
        "signed_in": signed_in,
        "documents": services.checklist(version),
    }
    return render(request, "filing/start.html", context, status=status)


def _draft_page(request, draft: Draft, *, eform=None, delivery=None, errors=None, status=200):
    account = _account(request)
    version = draft.version
    if eform is None and version.eform:
        eform = EForm(version.eform, initial=draft.data)
    if delivery is None:
        delivery = DeliveryForm(
            initial={
                "result_delivery": draft.result_delivery,
                "delivery_address": draft.delivery_address,
            }
        )
    held: dict[int | None, list] = {}
    for row in draft.files.order_by("pk"):
        held.setdefault(row.component_id, []).append(row)
    documents = [
        {"component": c, "files": held.get(c.pk, []), "required": c.required_for(Channel.ONLINE)}
        for c in services.checklist(version)
    ]
    context = {
        "draft": draft,
        "version": version,
        "eform": eform,
        "delivery": delivery,
        "documents": documents,
        "reusable": services.reusable(account),
        "upload_errors": errors or {},
        "max_mb": settings.MOTCUA_MAX_UPLOAD_MB,
    }
    return render(request, "filing/draft.html", context, status=status)


@never_cache
@citizen_required
def drafts(request: HttpRequest) -> HttpResponse:
    account = _account(request)
    return render(request, "filing/drafts.html", {"drafts": services.open_drafts(account)})


@never_cache
@citizen_required
def draft(request: HttpRequest, key) -> HttpResponse:
    return _draft_page(request, services.get_draft(_account(request), key))


@require_POST
@citizen_required
def save_form(request: HttpRequest, key) -> HttpResponse:
    account = _account(request)
    current = services.get_draft(account, key)
    if not current.version.eform:
        return redirect("filing:draft", key=key)
    eform = EForm(current.version.eform, request.POST, initial=current.data)
    if not eform.is_valid():  # what cannot even be read (letters in a number, a bad date)
        return _draft_page(request, current, eform=eform, status=400)
    services.save_answers(current, account, eform.answers())
    messages.success(request, _("The form is saved."))
    target = "filing:review" if request.POST.get("next") == "review" else "filing:draft"
    return redirect(target, key=key)


@require_POST
@citizen_required
def upload(request: HttpRequest, key) -> HttpResponse:
    account = _account(request)
    current = services.get_draft(account, key)
    component = request.POST.get("component", "")
    try:
        services.add_files(current, account, component, request.FILES.getlist("files"))
    except DossierError as error:
        return _draft_page(request, current, errors={component: error.message}, status=400)
    return redirect(f"{reverse('filing:draft', kwargs={'key': key})}#doc-{component}")


@require_POST
@citizen_required
def remove(request: HttpRequest, key, file_id: int) -> HttpResponse:
    account = _account(request)
    current = services.get_draft(account, key)
    try:
        services.remove_file(current, account, file_id)
    except DossierError as error:
        messages.error(request, error.message)
    return redirect("filing:draft", key=key)


@require_POST
@citizen_required
def reuse(request: HttpRequest, key) -> HttpResponse:
    account = _account(request)
    current = services.get_draft(account, key)
    component = request.POST.get("component", "")
    try:
        services.reuse(current, account, component, request.POST.get("document", ""))
    except DossierError as error:
        return _draft_page(request, current, errors={component: error.message}, status=400)
    return redirect(f"{reverse('filing:draft', kwargs={'key': key})}#doc-{component}")


@require_POST
@citizen_required
def delivery(request: HttpRequest, key) -> HttpResponse:
    account = _account(request)
    current = services.get_draft(account, key)
    form = DeliveryForm(request.POST)
    if form.is_valid():
        try:
            services.set_delivery(
                current,
                account,
                form.cleaned_data["result_delivery"],
                form.cleaned_data["delivery_address"],
            )
        except DossierError as error:
            form.add_error("delivery_address", error.message)
    if form.errors:
        return _draft_page(request, current, delivery=form, status=400)
    return redirect(f"{reverse('filing:draft', kwargs={'key': key})}#delivery")


@never_cache
@citizen_required
def review(request: HttpRequest, key) -> HttpResponse:
    current = services.get_draft(_account(request), key)
    return _review_page(request, current)


def _review_page(request, current: Draft, status: int = 200) -> HttpResponse:
    checked = services.review(current)
    specs = []
    if current.version.eform:
        form = EForm(current.version.eform)
        specs = [
            (
                title,
                [
                    (f.field.spec, current.data.get(f.name), checked.errors.get(f.name))
                    for f in fields
                ],
            )
            for title, fields in form.grouped()
        ]
    context = {
        "draft": current,
        "checked": checked,
        "sections": specs,
        "files": current.files.select_related("component").order_by("component__order", "pk"),
        "general_errors": checked.errors.get("", []),
    }
    return render(request, "filing/review.html", context, status=status)


@require_POST
@citizen_required
def submit(request: HttpRequest, key) -> HttpResponse:
    account = _account(request)
    found = Draft.objects.filter(account=account, key=key).first()
    if found is None:
        raise Http404
    try:
        dossier = services.submit(found, account)
    except DossierError as error:
        messages.error(request, error.message)
        return _review_page(request, services.get_draft(account, key), status=error.status or 422)
    return redirect("filing:submitted", code=dossier.code)


@never_cache
@citizen_required
def submitted(request: HttpRequest, code: str) -> HttpResponse:
    """The acknowledgement: the dossier's code, its QR code to track it, from when it is
    examined (the next working moment if filed outside working hours)."""
    account = _account(request)
    dossier = get_account_dossier(account, code)
    context = {
        "dossier": dossier,
        "qr": qr_svg(tracking_url(dossier.code), scalable=True),
        "tracking": tracking_url(dossier.code),
        "examined_from": services.examined_from(dossier.submitted_at or dossier.created_at),
        "clock_from_submission": settings.MOTCUA_ONLINE_CLOCK == "submitted",
    }
    return render(request, "filing/submitted.html", context)


# --- On a dossier already filed -------------------------------------------------------------


@never_cache
@require_http_methods(["GET", "POST"])
@citizen_required
def supplement(request: HttpRequest, code: str) -> HttpResponse:
    """Send what the agency asked for: files per requested item, and a note."""
    account = _account(request)
    dossier = get_account_dossier(account, code)
    request_event = online.supplement_request(dossier)
    items = online.requested_items(request_event)
    form = NoteForm(request.POST or None)
    error = ""
    status = 200
    if request.method == "POST" and form.is_valid():
        uploads = {
            item.index: request.FILES.getlist(f"item-{item.index}")
            for item in items
            if request.FILES.getlist(f"item-{item.index}")
        }
        try:
            online.send_supplement(
                code, account=account, note=form.cleaned_data["note"], uploads=uploads
            )
        except DossierError as refused:
            error, status = refused.message, 400
        else:
            messages.success(request, _("Sent. The agency will look at it and tell you."))
            return redirect("accounts:dossier", code=code)
    elif request.method == "POST":
        status = 400
    context = {
        "dossier": dossier,
        "request_event": request_event,
        "items": items,
        "replies": online.replies(dossier, request_event),
        "form": form,
        "error": error,
        "can_send": Action.SEND_SUPPLEMENT_ONLINE in allowed_actions(dossier.status),
    }
    return render(request, "filing/supplement.html", context, status=status)


@never_cache
@require_http_methods(["GET", "POST"])
@citizen_required
def withdraw(request: HttpRequest, code: str) -> HttpResponse:
    account = _account(request)
    dossier = get_account_dossier(account, code)
    form = NoteForm(request.POST or None)
    form.fields["note"].label = _("Why do you withdraw the dossier?")
    error, status = "", 200
    if request.method == "POST" and form.is_valid():
        try:
            online.ask_withdrawal(code, account=account, reason=form.cleaned_data["note"])
        except DossierError as refused:
            error, status = refused.message, 400
        else:
            messages.success(
                request, _("Your request is sent; the agency confirms the withdrawal.")
            )
            return redirect("accounts:dossier", code=code)
    elif request.method == "POST":
        status = 400
    context = {
        "dossier": dossier,
        "form": form,
        "error": error,
        "pending": online.pending_withdrawal(dossier),
    }
    return render(request, "filing/withdraw.html", context, status=status)
