"""The answer to a sign-in that django-axes refuses (settings.py, "Sign-in security"): a page
in the look of the door that was used (back office or admin), status 429 with Retry-After,
saying when to try again. Axes calls `locked_out` (AXES_LOCKOUT_CALLABLE) through its
middleware for the failure that reaches the limit and for every attempt during the cool-off.

Axes keeps its own records (AccessAttempt per username and address, AccessFailureLog per
failed sign-in, AccessLog per sign-in), visible to a system administrator in the admin. The
moment a staff account gets locked out is also written to the audit log, once per lockout.
"""

from axes.helpers import get_client_username
from django.conf import settings
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import ngettext

from motcua.audit.services import record_event


def locked_out(
    request: HttpRequest,
    original_response: HttpResponse | None = None,
    credentials: dict | None = None,
) -> HttpResponse:
    _record_lockout(request, credentials)
    minutes = settings.MOTCUA_LOGIN_COOLOFF_MINUTES
    message = ngettext(
        "Too many failed sign-ins for this account from your address. "
        "Please try again in %(minutes)d minute.",
        "Too many failed sign-ins for this account from your address. "
        "Please try again in %(minutes)d minutes.",
        minutes,
    ) % {"minutes": minutes}
    if request.path_info.startswith(reverse("admin:index")):
        context = {**admin.site.each_context(request), "message": message}
        response = render(request, "admin/locked_out.html", context, status=429)
    else:
        response = render(request, "backoffice/locked_out.html", {"message": message}, status=429)
    response["Retry-After"] = str(minutes * 60)
    return response


def _record_lockout(request: HttpRequest, credentials: dict | None) -> None:
    """An audit event when the failures of a staff account's pair reach the limit (not for
    each refused attempt after it; unknown usernames stay in axes' records only)."""
    if getattr(request, "axes_failures_since_start", None) != settings.AXES_FAILURE_LIMIT:
        return
    username = get_client_username(request, credentials)
    user = get_user_model()._default_manager.filter(username=username).first()
    if user is not None:
        record_event(
            "user.login_locked_out",
            user,
            address=request.axes_ip_address,
            failures=request.axes_failures_since_start,
            minutes=settings.MOTCUA_LOGIN_COOLOFF_MINUTES,
        )
