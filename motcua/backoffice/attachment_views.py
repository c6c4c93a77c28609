"""Attach scans and result files to a dossier, and download them after a permission check
(uploaded files are never served as public media)."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from motcua.dossiers.attachments import (
    ATTACHED_KINDS,
    attach_file,
    download_response,
    get_attachment_for,
)
from motcua.dossiers.errors import DossierError
from motcua.dossiers.models import Dossier, DossierComponent
from motcua.dossiers.permissions import get_dossier_for


class AttachmentForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("File (PDF, JPEG, PNG, TIFF)"))
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=ATTACHED_KINDS)
    component = forms.ModelChoiceField(
        label=gettext_lazy("Scan of"),
        queryset=DossierComponent.objects.none(),
        required=False,
        empty_label=gettext_lazy("— the whole dossier —"),
    )

    def __init__(self, *args, dossier: Dossier, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["component"].queryset = dossier.components.all()
        self.fields["component"].label_from_instance = lambda c: c.name[:90]


@login_required
@require_POST
def upload(request, code: str):
    dossier = get_dossier_for(request.user, code)
    form = AttachmentForm(request.POST, request.FILES, dossier=dossier)
    if not form.is_valid():
        messages.error(
            request,
            _("Not done: %(errors)s")
            % {"errors": " ".join(e for errs in form.errors.values() for e in errs)},
        )
        return redirect("backoffice:dossier", code=code)
    try:
        attachment = attach_file(
            dossier,
            actor=request.user,
            upload=form.cleaned_data["file"],
            kind=form.cleaned_data["kind"],
            component=form.cleaned_data["component"],
        )
    except DossierError as error:
        messages.error(request, _("Not done: %(reason)s") % {"reason": error.message})
        if error.status == 403:  # the page as it is, answering with the refusal's status
            from .dossier_views import dossier_page

            return dossier_page(request, dossier, status=403)
    else:
        messages.success(request, _("Attached %(name)s.") % {"name": attachment.original_name})
    return redirect("backoffice:dossier", code=code)


@login_required
def download(request, code: str, pk: int):
    return download_response(get_attachment_for(request.user, code, pk))
