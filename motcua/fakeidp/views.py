"""A fake national identity provider (OpenID Connect, authorization code flow) for development
and tests: authorize (a page to pick a demo person, and a failure to simulate), token (an
RS256 id_token), userinfo by POST only (as DVCQG), JWKS, end session. Served only while
MOTCUA_FAKE_IDP is on (by default when DEBUG is); 404 otherwise."""

import base64
import hashlib
import time
from functools import wraps
from urllib.parse import urlencode, urlsplit

import jwt
from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from . import grants, keys
from .citizens import CITIZENS, claims_of
from .clients import CLIENTS, DemoClient


def enabled_only(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not settings.MOTCUA_FAKE_IDP:
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper


def issuer(request: HttpRequest) -> str:
    return request.build_absolute_uri(reverse("fakeidp:root")).rstrip("/")


def _same_site(request: HttpRequest, uri: str) -> bool:
    """A redirect only back to the site that sent the person here: never an open redirect."""
    parts = urlsplit(uri)
    return parts.scheme in {"http", "https"} and parts.netloc == request.get_host()


def _authorize_error(request: HttpRequest, message: str) -> HttpResponse:
    return render(request, "fakeidp/error.html", {"message": message}, status=400)


@enabled_only
@never_cache
@require_http_methods(["GET", "POST"])
def authorize(request: HttpRequest) -> HttpResponse:
    params = request.POST if request.method == "POST" else request.GET
    client = CLIENTS.get(params.get("client_id", ""))
    redirect_uri = params.get("redirect_uri", "")
    if client is None or params.get("response_type") != "code":
        return _authorize_error(request, "Unknown client or response type.")
    if not _same_site(request, redirect_uri) or not params.get("state"):
        return _authorize_error(request, "The redirect address or the state is not acceptable.")
    if request.method == "POST" and params.get("citizen") in CITIZENS:
        return _answer(client, params)
    context = {
        "client": client,
        "citizens": CITIZENS.values(),
        "faults": grants.FAULTS,
        "params": {
            name: params.get(name, "")
            for name in ("client_id", "redirect_uri", "state", "nonce", "acr_values", "scope")
        }
        | {"response_type": "code"},
    }
    return render(request, "fakeidp/authorize.html", context)


def _answer(client: DemoClient, params) -> HttpResponse:
    fault = params.get("fault", "")
    state = params["state"] if fault != "wrong_state" else keys.random_token()
    if fault == "access_denied":
        query = {"error": "access_denied", "state": state}
    else:
        code = grants.issue_code(
            client_id=client.client_id,
            redirect_uri=params["redirect_uri"],
            citizen=params["citizen"],
            nonce=params.get("nonce", ""),
            acr=params.get("acr_values", ""),
            fault=fault if fault in grants.FAULTS else "",
        )
        query = {"code": code, "state": state}
    return redirect(f"{params['redirect_uri']}?{urlencode(query)}")


def _token_error(error: str, status: int = 400) -> JsonResponse:
    return JsonResponse({"error": error}, status=status)


def _client_of(request: HttpRequest) -> DemoClient | None:
    """client_secret_post (DVCQG) or client_secret_basic."""
    client_id, secret = request.POST.get("client_id", ""), request.POST.get("client_secret", "")
    header = request.headers.get("Authorization", "")
    if header.startswith("Basic "):
        client_id, _, secret = base64.b64decode(header[6:]).decode().partition(":")
    client = CLIENTS.get(client_id)
    return client if client and client.client_secret == secret else None


def _subject(client: DemoClient, tech_id: str) -> str:
    """A pairwise `sub`, different from TechID: the client keys accounts on TechID."""
    return hashlib.sha256(f"{client.client_id}:{tech_id}".encode()).hexdigest()[:32]


@csrf_exempt
@enabled_only
@require_POST
def token(request: HttpRequest) -> JsonResponse:
    client = _client_of(request)
    if client is None:
        return _token_error("invalid_client", 401)
    if request.POST.get("grant_type") != "authorization_code":
        return _token_error("unsupported_grant_type")
    try:
        code = grants.read("code", request.POST.get("code", ""))
    except grants.GrantError:
        return _token_error("invalid_grant")
    if code["client_id"] != client.client_id or code["redirect_uri"] != request.POST.get(
        "redirect_uri"
    ):
        return _token_error("invalid_grant")
    citizen = CITIZENS[code["citizen"]]
    now = int(time.time())
    id_token = {
        "iss": issuer(request),
        "sub": _subject(client, citizen.tech_id),
        "aud": client.client_id,
        "iat": now,
        "exp": now + grants.ACCESS_TOKEN_SECONDS,
        "auth_time": now,
        "nonce": code["nonce"],
        "acr": code["acr"],
    }
    access = grants.issue(
        "access",
        {"client_id": client.client_id, "citizen": citizen.key, "fault": code["fault"]},
        seconds=grants.ACCESS_TOKEN_SECONDS,
    )
    return JsonResponse(
        {
            "access_token": access,
            "token_type": "Bearer",
            "expires_in": grants.ACCESS_TOKEN_SECONDS,
            "id_token": keys.sign(id_token, forged=code["fault"] == "bad_signature"),
        },
        headers={"Cache-Control": "no-store"},
    )


@csrf_exempt
@enabled_only
@require_POST
def userinfo(request: HttpRequest) -> JsonResponse:
    header = request.headers.get("Authorization", "")
    try:
        access = grants.read("access", header.removeprefix("Bearer "))
    except grants.GrantError:
        return JsonResponse({"error": "invalid_token"}, status=401)
    if access["fault"] == "userinfo_down":
        return JsonResponse({"error": "temporarily_unavailable"}, status=503)
    client = CLIENTS[access["client_id"]]
    citizen = CITIZENS[access["citizen"]]
    sub = _subject(client, citizen.tech_id)
    return JsonResponse(claims_of(citizen, client.style, sub=sub))


@enabled_only
@require_GET
def jwks(request: HttpRequest) -> JsonResponse:
    return JsonResponse(keys.jwks())


@enabled_only
@require_GET
def configuration(request: HttpRequest) -> JsonResponse:
    base = issuer(request)
    return JsonResponse(
        {
            "issuer": base,
            "authorization_endpoint": request.build_absolute_uri(reverse("fakeidp:authorize")),
            "token_endpoint": request.build_absolute_uri(reverse("fakeidp:token")),
            "userinfo_endpoint": request.build_absolute_uri(reverse("fakeidp:userinfo")),
            "jwks_uri": request.build_absolute_uri(reverse("fakeidp:jwks")),
            "end_session_endpoint": request.build_absolute_uri(reverse("fakeidp:logout")),
            "response_types_supported": ["code"],
            "subject_types_supported": ["pairwise"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "token_endpoint_auth_methods_supported": ["client_secret_post", "client_secret_basic"],
        }
    )


@enabled_only
@never_cache
@require_GET
def logout(request: HttpRequest) -> HttpResponse:
    """RP-initiated logout: the id_token_hint must be one this provider signed."""
    back = request.GET.get("post_logout_redirect_uri", "")
    try:
        keys.verify(request.GET.get("id_token_hint", ""), audience=list(CLIENTS))
    except jwt.PyJWTError:
        return _authorize_error(request, "Missing or invalid id_token_hint.")
    if not _same_site(request, back):
        return _authorize_error(request, "The address to return to is not acceptable.")
    state = request.GET.get("state")
    return redirect(f"{back}?{urlencode({'state': state})}" if state else back)
