from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from motcua.dossiers.errors import DossierError
from motcua.dossiers.permissions import get_dossier_for

from . import reuse
from .models import DigitisedDocument


@login_required
@require_POST
def reuse_document(request, code: str, component: int, document: int):
    """Take a registered document for one of the dossier's handed-in documents. Staff who may
    attach files to the dossier (the attach rule of the policy, checked by attach_file)."""
    dossier = get_dossier_for(request.user, code, write=True)
    found_component = dossier.components.filter(pk=component).first()
    found_document = DigitisedDocument.objects.filter(pk=document).first()
    if found_component is None or found_document is None:
        raise Http404
    try:
        reuse.reuse(dossier, found_component, found_document, actor=request.user)
    except DossierError as error:
        messages.error(request, _("Not done: %(reason)s") % {"reason": error.message})
        return redirect("backoffice:dossier", code=code)
    messages.success(request, _("Done: the registered document was reused."))
    return redirect("backoffice:dossier", code=code)
