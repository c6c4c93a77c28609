"""The lookup kiosk (/kiosk/tra-cuu/): the catalogue searched without diacritics, and a
dossier's progress by its code (scan the receipt's QR), through the public tracking's rule
(dossiers.tracking: rate limits per address, names masked, the code-only view; the digits
are not asked on a shared screen)."""

from django.shortcuts import get_object_or_404, render
from django.utils.cache import add_never_cache_headers

from motcua.catalogue.models import Procedure
from motcua.catalogue.search import CatalogueQuery, search_procedures
from motcua.dossiers.tracking import TrackingError, track_dossier
from motcua.throttle.clients import client_address

from .forms import KioskTrackingForm, LookupForm

RESULTS = 12


def lookup(request):
    search = LookupForm(request.GET or None)
    procedures = []
    if search.is_valid() and search.cleaned_data["q"]:
        procedures = list(search_procedures(CatalogueQuery(search.cleaned_data["q"]))[:RESULTS])
    tracking_form = KioskTrackingForm(request.POST or None)
    context = {"search": search, "procedures": procedures, "form": tracking_form}
    status = 200
    if request.method == "POST" and tracking_form.is_valid():
        try:
            context["tracking"] = track_dossier(
                tracking_form.cleaned_data["ma"], None, client=client_address(request)
            )
        except TrackingError as error:
            context["error"] = error
            status = error.status
    response = render(request, "queueing/lookup.html", context, status=status)
    add_never_cache_headers(response)
    return response


def procedure(request, code: str):
    found = get_object_or_404(
        Procedure.objects.published().select_related("current_version", "field"), code=code
    )
    version = found.current_version
    return render(
        request,
        "queueing/lookup_procedure.html",
        {"procedure": found, "version": version, "documents": version.documents()},
    )
