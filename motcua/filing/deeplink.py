"""The National Public Service Portal's deep link (capabilities.md §2.2, as THS serves it):
DVCQG sends a person who chose a procedure there to the province's portal with

    /?vnconnect=1&MaTTHCDP=<procedure code>&MaCoQuanThucHien=<agency code>&MaDVC=<service>

and the portal takes them, through the DVCQG sign-in if they are not signed in, to the online
filing of that procedure at that agency. The procedure code may be national (1.001193) or
localised (1.001193.000.00.00.H44); the agency's in the QĐ 20/2020 form, an alias, or the old
Circular 10/2016 form (converted as the history import does). Nothing is created on a GET:
the start page opens with the agency chosen, and the person presses "Start"."""

import logging
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from motcua.accounts import providers
from motcua.catalogue.models import Procedure
from motcua.dossiers.history import LOCALISED_PROCEDURE
from motcua.organisations.codes import from_old_agency_code
from motcua.organisations.models import Agency, AgencyAlias

log = logging.getLogger(__name__)
MAX_CODE = 64


def find_procedure(code: str) -> Procedure | None:
    code = code.strip()[:MAX_CODE]
    published = Procedure.objects.published().select_related("current_version")
    found = published.filter(code=code).first()
    match = LOCALISED_PROCEDURE.match(code)
    if found is None and match:
        found = published.filter(code=match["national"]).first()
    return found


def find_agency(code: str) -> Agency | None:
    code = code.strip().upper()[:MAX_CODE]
    if not code:
        return None
    found = Agency.objects.filter(code=code).first()
    if found is None:
        alias = AgencyAlias.objects.select_related("agency").filter(code=code).first()
        found = alias.agency if alias else None
    if found is None and (converted := from_old_agency_code(code)):
        found = Agency.objects.filter(code=converted).first()
    return found


def follow(request: HttpRequest) -> HttpResponse:
    procedure = find_procedure(request.GET.get("MaTTHCDP", ""))
    if procedure is None:
        log.info("vnconnect: unknown procedure %r", request.GET.get("MaTTHCDP", "")[:MAX_CODE])
        return render(request, "filing/unknown_link.html", status=404)
    target = reverse("filing:start", kwargs={"code": procedure.code})
    agency = find_agency(request.GET.get("MaCoQuanThucHien", ""))
    if agency is not None:
        target += "?" + urlencode({"co_quan": agency.pk})
    signed_in = request.user.is_authenticated and hasattr(request.user, "citizen_account")
    if signed_in or providers.provider("dvcqg") is None:
        return redirect(target)
    sign_in = reverse("accounts:start", kwargs={"provider": "dvcqg"})
    return redirect(f"{sign_in}?{urlencode({'next': target})}")
