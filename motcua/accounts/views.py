"""The citizen's sign-in pages (/tai-khoan/): the choice of provider, the redirect to it
(mozilla-django-oidc's request view with the provider's settings), the callback, the
confirmation of a link by identity number, the account page and sign-out. Every failure of
the exchange is a page saying what happened, never a 500."""

import logging
import time
from functools import wraps

import jwt
import requests
from django import forms
from django.conf import settings
from django.contrib import auth, messages
from django.core.exceptions import SuspiciousOperation
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST
from django.views.generic import View
from mozilla_django_oidc.views import (  # type: ignore[import-untyped]
    OIDCAuthenticationCallbackView,
    OIDCAuthenticationRequestView,
    OIDCLogoutView,
)

from motcua.documents import pdf
from motcua.documents.errors import DocumentError
from motcua.documents.qr import served_at
from motcua.dossiers import online
from motcua.dossiers.attachments import download_response
from motcua.dossiers.identity import IdentityError, IdentityType
from motcua.dossiers.identity import validate as validate_identity
from motcua.dossiers.models import Attachment
from motcua.dossiers.permissions import account_dossiers, get_account_dossier
from motcua.dossiers.status import OPEN, Action, Status, allowed_actions
from motcua.dossiers.timeleft import describe_time_left

from . import local, providers, services
from .backends import CITIZEN_BACKEND, backend_for
from .claims import ClaimsRefused, Identity
from .logout import SESSION_ID_TOKEN, SESSION_PROVIDER
from .middleware import is_citizen_session
from .models import CitizenAccount

log = logging.getLogger(__name__)
PENDING = "citizen_pending_link"
PENDING_SECONDS = 600

FAILURES = {
    "cancelled": (_("Sign-in was cancelled at the identity provider."), 400),
    "state": (
        _("This sign-in link has expired or was already used. Please start again."),
        400,
    ),
    "provider_unavailable": (
        _("The identity provider did not answer. Please try again in a few minutes."),
        502,
    ),
    "invalid_token": (
        _("The identity provider's answer could not be verified. Please start again."),
        400,
    ),
    "refused_by_provider": (
        _("The identity provider refused to complete this sign-in. Please start again."),
        400,
    ),
    "pending_expired": (_("The confirmation has expired. Please sign in again."), 400),
}


def citizen_required(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not (request.user.is_authenticated and is_citizen_session(request)):
            return redirect(f"{reverse('accounts:login')}?next={request.path}")
        return view(request, *args, **kwargs)

    return wrapper


def failure(request: HttpRequest, code: str, message=None, status: int = 400) -> HttpResponse:
    if message is None:
        message, status = FAILURES[code]
    log.warning("citizen sign-in refused: %s", code)
    context = {"code": code, "message": message, "providers": providers.enabled()}
    return render(request, "accounts/failure.html", context, status=status)


@never_cache
def login(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/login.html", _login_context(request))


def _login_context(request: HttpRequest, local_form=None) -> dict:
    local_on = settings.MOTCUA_LOCAL_ACCOUNTS
    return {
        "providers": providers.enabled(),
        "next": request.GET.get("next") or request.POST.get("next", ""),
        "staff_session": request.user.is_authenticated and not is_citizen_session(request),
        "local_form": (local_form or LocalSignInForm()) if local_on else None,
    }


class StartView(OIDCAuthenticationRequestView):
    """Redirects to the provider with state, nonce and, for DVCQG, acr_values."""

    def __init__(self, **kwargs):
        View.__init__(self, **kwargs)  # the library's reads one provider from the settings

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.provider = providers.get_or_404(kwargs["provider"])
        self.OIDC_OP_AUTH_ENDPOINT = self.provider.authorization_endpoint
        self.OIDC_RP_CLIENT_ID = self.provider.client_id

    def get_settings(self, attr, *args):
        return self.provider.oidc_settings().get(attr, *args)

    def get(self, request, provider):
        return super().get(request)


class CallbackView(OIDCAuthenticationCallbackView):
    provider_key = ""

    def get(self, request):
        provider = providers.get_or_404(self.provider_key)
        states = request.session.get("oidc_states") or {}
        entry = states.pop(request.GET.get("state", ""), None)
        request.session["oidc_states"] = states  # a state is used once, whatever follows
        if request.GET.get("error"):
            return failure(request, "cancelled" if entry else "state")
        if entry is None or not request.GET.get("code"):
            return failure(request, "state")
        backend = backend_for(provider)
        try:
            user = backend.authenticate(
                request, nonce=entry["nonce"], code_verifier=entry.get("code_verifier")
            )
        except (ClaimsRefused, services.SignInRefused) as refused:
            return failure(request, refused.code, refused.message, 403)
        except requests.HTTPError as error:
            if error.response is not None and error.response.status_code < 500:
                return failure(request, "refused_by_provider")  # e.g. a code that expired
            log.exception("identity provider %s failed", provider.key)
            return failure(request, "provider_unavailable")
        except requests.RequestException:
            log.exception("identity provider %s unreachable", provider.key)
            return failure(request, "provider_unavailable")
        except (SuspiciousOperation, jwt.PyJWTError, ValueError, KeyError):
            log.exception("identity provider %s: answer refused", provider.key)
            return failure(request, "invalid_token")
        result = backend.result
        if result and result.to_confirm:
            return _ask_to_link(request, provider.key, backend, result.to_confirm)
        if user is None or result is None:
            return failure(request, "invalid_token")
        return _signed_in(request, user, provider.key, backend.id_token)


def _signed_in(request, user, provider_key: str, id_token: str) -> HttpResponse:
    next_url = request.session.get("oidc_login_next")
    auth.login(request, user, backend=CITIZEN_BACKEND)  # a new session key; staff's is gone
    request.session[SESSION_PROVIDER] = provider_key
    request.session[SESSION_ID_TOKEN] = id_token
    return redirect(next_url or "accounts:home")


def _ask_to_link(request, provider_key, backend, account: CitizenAccount) -> HttpResponse:
    request.session[PENDING] = {
        "provider": provider_key,
        "identity": backend.identity.as_dict(),
        "account": account.pk,
        "id_token": backend.id_token,
        "expires": time.time() + PENDING_SECONDS,
    }
    return redirect("accounts:link")


@never_cache
@require_http_methods(["GET", "POST"])
def link(request: HttpRequest) -> HttpResponse:
    """An account already holds the person's identity number: linking needs their yes."""
    pending = request.session.get(PENDING)
    if not pending or pending["expires"] < time.time():
        request.session.pop(PENDING, None)
        return failure(request, "pending_expired")
    identity = Identity(**pending["identity"])
    account = CitizenAccount.objects.filter(pk=pending["account"]).first()
    if account is None:
        request.session.pop(PENDING, None)
        return failure(request, "pending_expired")
    if request.method == "GET":
        context = {"account": account, "identity": identity,
                   "provider": providers.get_or_404(pending["provider"])}  # fmt: skip
        return render(request, "accounts/link.html", context)
    request.session.pop(PENDING)
    if request.POST.get("answer") != "link":
        return render(request, "accounts/link_declined.html", status=200)
    try:
        account = services.link_identity(account.pk, identity)
    except services.SignInRefused as refused:
        return failure(request, refused.code, refused.message, 403)
    return _signed_in(request, account.user, pending["provider"], pending["id_token"])


@never_cache
@citizen_required
def home(request: HttpRequest) -> HttpResponse:
    account = CitizenAccount.objects.get(user=request.user.pk)
    latest = _dossiers(account)[: HOME_DOSSIERS + 1]
    context = {
        "account": account,
        "links": account.links.order_by("provider"),
        "dossiers": latest[:HOME_DOSSIERS],
        "more": len(latest) > HOME_DOSSIERS,
    }
    return render(request, "accounts/home.html", context)


HOME_DOSSIERS = 5
DOSSIERS_PAGE = 20


def _dossiers(account: CitizenAccount):
    return (
        account_dossiers(account)
        .select_related("procedure", "competent_agency")
        .order_by("-created_at", "-pk")
    )


@citizen_required
def my_dossiers(request: HttpRequest) -> HttpResponse:
    """Everything filed for the person: online, and what a counter received for them
    (matched by the identity number the national provider verified), newest first."""
    account = CitizenAccount.objects.get(user=request.user.pk)
    page = Paginator(_dossiers(account), DOSSIERS_PAGE).get_page(request.GET.get("trang"))
    return render(request, "accounts/dossiers.html", {"account": account, "page": page})


@citizen_required
def my_dossier(request: HttpRequest, code: str) -> HttpResponse:
    """One of the person's dossiers: status, appointment, steps (agencies, not officers),
    documents handed in and the result files; someone else's is a 404."""
    account = CitizenAccount.objects.get(user=request.user.pk)
    dossier = get_account_dossier(account, code)
    context = {
        "dossier": dossier,
        "steps": dossier.steps.select_related("agency").order_by("order", "pk"),
        "components": dossier.components.all(),
        "results": dossier.attachments.filter(kind=Attachment.Kind.RESULT).order_by("pk"),
        "time_left": describe_time_left(dossier.due_at) if dossier.status in OPEN else "",
        # What the person can do online (filing.views): answer a supplement request, ask to
        # withdraw while the dossier is open or waiting to be received.
        "asked": online.supplement_request(dossier)
        if dossier.status == Status.SUPPLEMENT
        else None,
        "can_withdraw": Action.ASK_WITHDRAWAL in allowed_actions(dossier.status),
        "withdrawal": online.pending_withdrawal(dossier),
        "forms": _handed_forms(dossier),
    }
    return render(request, "accounts/dossier.html", context)


# The forms the applicant was handed (or would have been at a counter), once the event that
# makes each exists (documents.pdf.MADE_AFTER): the receipt (Mẫu 01), the supplement guidance
# (02), the refusal (03), the apology with the new appointment (04). The control slip (05) is
# the agencies' own.
HANDED_FORMS = ("01", "02", "03", "04")


def _handed_forms(dossier) -> list[str]:
    happened = set(dossier.events.values_list("action", flat=True).distinct())
    return [number for number in pdf.printable(happened) if number in HANDED_FORMS]


@citizen_required
def my_form(request: HttpRequest, code: str, form: str) -> HttpResponse:
    """A form of the person's dossier as a PDF (the apology letter when late, the receipt…),
    to its owner only."""
    account = CitizenAccount.objects.get(user=request.user.pk)
    dossier = get_account_dossier(account, code)
    if form not in _handed_forms(dossier):
        raise Http404
    try:
        with served_at(request):
            content = pdf.form_pdf(form, dossier)
    except DocumentError:
        raise Http404 from None
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{code}-mau-{form}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


@citizen_required
def my_result(request: HttpRequest, code: str, pk: int) -> FileResponse:
    """A result file of the person's dossier, to its owner only (never cached)."""
    account = CitizenAccount.objects.get(user=request.user.pk)
    dossier = get_account_dossier(account, code)
    result = dossier.attachments.filter(kind=Attachment.Kind.RESULT, pk=pk).first()
    if result is None:
        raise Http404
    return download_response(result)


class LogoutView(OIDCLogoutView):
    """POST only; out of motcua, then out of the provider with the id_token as hint."""

    def get_settings(self, attr, *args):
        fixed = {
            "OIDC_OP_LOGOUT_URL_METHOD": "motcua.accounts.logout.end_session_url",
            "LOGOUT_REDIRECT_URL": "accounts:signed-out",
            "ALLOW_LOGOUT_GET_METHOD": False,
        }
        return fixed[attr] if attr in fixed else super().get_settings(attr, *args)

    def post(self, request):
        if request.user.is_authenticated and not is_citizen_session(request):
            return redirect("accounts:login")  # the staff sign out from the back office
        return super().post(request)


logout = require_POST(LogoutView.as_view())


@never_cache
def signed_out(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/signed_out.html")


# --- Local accounts (local.py), where MOTCUA_LOCAL_ACCOUNTS is on ----------------------------

LOCAL_PENDING = "citizen_local_pending"


class LocalSignInForm(forms.Form):
    contact = forms.CharField(label=_("Mobile number or e-mail"), max_length=254)
    password = forms.CharField(label=_("Password"), widget=forms.PasswordInput, max_length=128)


class RegisterForm(forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=200)
    id_number = forms.CharField(label=_("Personal identity number (12 digits)"), max_length=20)
    contact = forms.CharField(label=_("Mobile number or e-mail"), max_length=254)
    password = forms.CharField(label=_("Password"), widget=forms.PasswordInput, max_length=128)
    password_again = forms.CharField(
        label=_("Password again"), widget=forms.PasswordInput, max_length=128
    )

    def clean_id_number(self) -> str:
        try:
            return validate_identity(IdentityType.PERSONAL_ID, self.cleaned_data["id_number"])
        except IdentityError as error:
            raise forms.ValidationError(error.message) from None

    def clean_contact(self) -> str:
        try:
            return local.read_contact(self.cleaned_data["contact"]).value
        except local.LocalAccountError as error:
            raise forms.ValidationError(error.message) from None

    def clean(self):
        data = super().clean() or {}
        if data.get("password") and data.get("password") != data.get("password_again"):
            self.add_error("password_again", _("The two passwords differ."))
        return data


class CodeForm(forms.Form):
    code = forms.CharField(label=_("Code"), max_length=6, required=False)


def _local_only() -> None:
    if not settings.MOTCUA_LOCAL_ACCOUNTS:
        raise Http404


def _local_error(form: forms.Form, error: local.LocalAccountError) -> None:
    form.add_error(error.field if error.field in form.fields else None, error.message)


def _sign_in_local(request: HttpRequest, user, next_url: str = "") -> HttpResponse:
    auth.login(request, user, backend=CITIZEN_BACKEND)
    request.session[SESSION_PROVIDER] = "local"
    safe = url_has_allowed_host_and_scheme(next_url, {request.get_host()}, request.is_secure())
    return redirect(next_url if next_url and safe else "accounts:home")


@never_cache
@require_POST
def local_login(request: HttpRequest) -> HttpResponse:
    _local_only()
    form = LocalSignInForm(request.POST)
    next_url = request.POST.get("next", "")
    status = 400
    if form.is_valid():
        try:
            user = local.authenticate(
                request, form.cleaned_data["contact"], form.cleaned_data["password"]
            )
        except local.LocalAccountError as error:
            _local_error(form, error)
            status = 429 if error.code == "locked" else 400
        else:
            return _sign_in_local(request, user, next_url)
    return render(request, "accounts/login.html", _login_context(request, form), status=status)


@never_cache
@require_http_methods(["GET", "POST"])
def register(request: HttpRequest) -> HttpResponse:
    _local_only()
    form = RegisterForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            account = local.register(
                full_name=data["full_name"],
                id_number=data["id_number"],
                contact_text=data["contact"],
                password=data["password"],
                request=request,
            )
        except local.LocalAccountError as error:
            _local_error(form, error)
        else:
            request.session[LOCAL_PENDING] = {
                "account": account.pk,
                "expires": time.time() + PENDING_SECONDS * 3,
                "next": request.POST.get("next", ""),
            }
            return redirect("accounts:confirm")
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "next": request.GET.get("next") or request.POST.get("next", "")}
    return render(request, "accounts/register.html", context, status=status)


@never_cache
@require_http_methods(["GET", "POST"])
def confirm(request: HttpRequest) -> HttpResponse:
    """The code sent to the phone or e-mail; or a new one."""
    _local_only()
    pending = request.session.get(LOCAL_PENDING)
    if not pending or pending["expires"] < time.time():
        request.session.pop(LOCAL_PENDING, None)
        return redirect("accounts:register")
    account = CitizenAccount.objects.filter(pk=pending["account"], identity_verified=False).first()
    if account is None:
        request.session.pop(LOCAL_PENDING, None)
        return redirect("accounts:register")
    form = CodeForm(request.POST or None)
    status = 200
    if request.method == "POST":
        try:
            if request.POST.get("action") == "resend":
                local.send_code(account, request=request)
                messages.success(request, _("A new code is on its way."))
                return redirect("accounts:confirm")
            account = local.confirm(account.pk, request.POST.get("code", ""))
        except local.LocalAccountError as error:
            _local_error(form, error)
            status = 400
        else:
            request.session.pop(LOCAL_PENDING, None)
            return _sign_in_local(request, account.user, pending.get("next", ""))
    masked = local.Contact(account.phone, account.email)
    context = {"form": form, "sent_to": _mask(masked.value)}
    return render(request, "accounts/confirm.html", context, status=status)


def _mask(value: str) -> str:
    if "@" in value:
        name, _at, domain = value.partition("@")
        return f"{name[:2]}•••@{domain}"
    return "•" * max(len(value) - 3, 0) + value[-3:]
