"""Public catalogue pages: parse the request, ask catalogue.search, render."""

from django.core.paginator import Page, Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from motcua.catalogue.search import get_public_version, search_procedures, version_history

from .catalogue_display import grouped_components, time_limits_by_channel
from .forms import CatalogueSearchForm

PAGE_SIZE = 25


def procedure_list(request: HttpRequest) -> HttpResponse:
    form = CatalogueSearchForm(request.GET or None)
    form.is_valid()
    page = _page(request, form)
    context = {
        "form": form,
        "page": page,
        "procedures": page.object_list,
        "querystring": _filters_querystring(request),
        "searched": bool(form.is_bound and form.has_changed()),
    }
    return render(request, "portal/catalogue/list.html", context)


def _page(request: HttpRequest, form: CatalogueSearchForm) -> Page:
    """A page number that is not a number shows the first page; past the end, the last."""
    paginator = Paginator(search_procedures(form.to_query()), PAGE_SIZE)
    return paginator.get_page(request.GET.get("page"))


def _filters_querystring(request: HttpRequest) -> str:
    """The current filters without the page, for pager links ("" or "q=...&")."""
    params = request.GET.copy()
    params.pop("page", None)
    encoded = params.urlencode()
    return f"{encoded}&" if encoded else ""


def procedure_detail(request: HttpRequest, code: str) -> HttpResponse:
    number = _version_number(request.GET.get("version"))
    version = get_public_version(code, number=number)
    procedure = version.procedure
    groups = grouped_components(version.documents())
    context = {
        "procedure": procedure,
        "version": version,
        "is_current": version.pk == procedure.current_version_id,
        "component_groups": groups,
        "document_notes": version.notes(),
        "show_forms": any(group.has_forms for group in groups),
        "channel_time_limits": time_limits_by_channel(version),
        "history": version_history(procedure),
    }
    return render(request, "portal/catalogue/detail.html", context)


def _version_number(raw: str | None) -> int | None:
    """`?version=N`; anything that is not a positive number means the current version."""
    if raw and raw.isdecimal() and int(raw) > 0:
        return int(raw)
    return None


def form_template(request, component_id: int):
    """A procedure's downloadable form (public: Decree 63/2010 art. 25, forms published in
    the national database are valid). Uploaded files are not served as static media."""
    from django.http import FileResponse, Http404

    from motcua.catalogue.models import Component, ProcedureVersion

    component = (
        Component.objects.filter(pk=component_id)
        .exclude(version__status=ProcedureVersion.Status.DRAFT)
        .exclude(form_file="")
        .first()
    )
    if component is None or not component.form_file.storage.exists(component.form_file.name):
        raise Http404
    name = component.form_file.name.rsplit("/", 1)[-1]
    return FileResponse(component.form_file.open("rb"), as_attachment=True, filename=name)
